from prometheus_client import Counter

SEATS_ASSIGNED = Counter("continuity_seats_assigned_total", "Learners seated")
SEATS_WAITLISTED = Counter(
    "continuity_seats_waitlisted_total", "Learners put on a waiting list"
)
LICENCES_ISSUED = Counter(
    "continuity_licences_issued_total", "Licences issued", ["plan"]
)
SEATS_RELEASED = Counter(
    "continuity_seats_released_total", "Seats given back by learners who left"
)
LICENCE_NOTICES = Counter(
    "continuity_licence_notices_total", "Licence end notices (expiring, expired)",
    ["kind"],
)
