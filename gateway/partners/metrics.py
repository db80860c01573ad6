"""What the webhooks process tells Prometheus about deliveries (no ids as labels:
one series per outcome, not per partner or endpoint)."""

from prometheus_client import Counter, Gauge, Histogram

OUTCOMES = ("delivered", "retried", "failed", "refused")

DELIVERIES = Counter(
    "continuity_webhook_deliveries_total",
    "Delivery attempts by outcome: delivered, retried (failed, will be tried again), "
    "failed (given up), refused (destination refused, not retried)",
    ["outcome"],
)
for _outcome in OUTCOMES:  # every outcome has a series from the start
    DELIVERIES.labels(_outcome)
ATTEMPTS = Counter("continuity_webhook_attempts_total", "HTTP delivery attempts made")
ENDPOINTS_DISABLED = Counter(
    "continuity_webhook_endpoints_disabled_total",
    "Endpoints disabled after failing for the whole retry window",
)
LAG = Histogram(
    "continuity_webhook_delivery_lag_seconds",
    "From an event occurring to its first successful delivery (replays excluded)",
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400),
)
DUE = Gauge(
    "continuity_webhook_deliveries_due",
    "Deliveries due now and not yet sent to an active endpoint (the backlog)",
)
