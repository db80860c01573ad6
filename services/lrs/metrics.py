"""The lrs's business counters (the entrypoints' timings are the kit's)."""

from prometheus_client import Counter

STATEMENTS_STORED = Counter(
    "continuity_lrs_statements_stored_total", "xAPI statements stored (new ids)")
STATEMENTS_RESENT = Counter(
    "continuity_lrs_statements_resent_total",
    "xAPI statements sent again with an id and content stored already (no-ops)")
