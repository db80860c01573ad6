from prometheus_client import Counter, Histogram

APPLICATIONS = Counter(
    "continuity_applications_total", "Applications reaching each status", ["status"]
)
TIME_TO_ACTIVE = Histogram(
    "continuity_time_to_active_seconds",
    "From application received to institution active",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600, 86400),
)
ROSTER_ROWS = Counter(
    "continuity_roster_rows_total", "Roster rows by outcome", ["outcome"]
)
