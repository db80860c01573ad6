from prometheus_client import Counter

PROGRESS_ACCEPTED = Counter(
    "continuity_progress_accepted_total", "Progress records accepted", ["kind"]
)
PROGRESS_REFUSED = Counter(
    "continuity_progress_refused_total", "Progress records refused", ["reason"]
)
SKILLS_ACQUIRED = Counter("continuity_skills_acquired_total", "Skills acquired")
