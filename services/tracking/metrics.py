from prometheus_client import Counter

PROGRESS_ACCEPTED = Counter(
    "continuity_progress_accepted_total", "Progress records accepted", ["kind"]
)
PROGRESS_REFUSED = Counter(
    "continuity_progress_refused_total", "Progress records refused", ["reason"]
)
SKILLS_ACQUIRED = Counter("continuity_skills_acquired_total", "Skills acquired")
# what became of each statement the LRS stored: "recorded" (a new progress record),
# "duplicate" (its record was there), "refused" (a learning fact the gate refused:
# no seat, licence, unknown chapter…) or "ignored" (not a fact of the catalogue)
STATEMENTS = Counter(
    "continuity_statements_mapped_total", "xAPI statements mapped to progress",
    ["outcome", "reason"]
)
