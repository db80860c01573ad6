"""Rate limits shared by every gateway process, and the login slow-down per account.

Limits are counted in one store that all gateway processes share (Redis, through the
`limits` library), so a limit means the same with one pod or twenty, and a client
spreading over pods gains nothing. Each limit is a moving window: at most N requests
in any W seconds, keyed per client address (``apply``, ``login``, ``invitation``,
``password_reset``) or per account (``login_account``: attempts on one e-mail from
every address together; ``password_reset_email``: links mailed to one address).
The in-memory store is for development only (``CONTINUITY_ENV=development``): there
each process counts alone.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem
from limits import parse as parse_item
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from prometheus_client import Counter

log = logging.getLogger("gateway.limits")

# name → "N/W": N requests per W seconds (RATE_LIMIT_<NAME> overrides each)
DEFAULT_LIMITS = {"apply": "30/60", "login": "20/60", "login_account": "10/60",
                  "invitation": "20/60", "password_reset": "10/60",
                  "password_reset_email": "5/3600", "resend_invitation": "30/60"}
# a store that does not answer within this long lets the request through
STORE_TIMEOUT_SECONDS = 0.5
STORE_ERRORS = Counter(
    "continuity_rate_limit_store_errors_total",
    "Rate-limit checks that let a request through because the shared store failed")


def parse(spec: str) -> RateLimitItem:
    """``"30/60"``: 30 requests in any 60 seconds."""
    count, _, seconds = spec.partition("/")
    if not count.strip().isdigit() or int(count) < 1:
        raise ValueError(f"rate limit {spec!r}: expected N/SECONDS, e.g. 30/60")
    return parse_item(f"{int(count)} per {int(float(seconds or 60))} seconds")


class Limits:
    """Checks and counts requests against the shared store."""

    def __init__(self, specs: dict[str, str], storage_uri: str, prefix: str):
        self.items = {name: parse(spec) for name, spec in specs.items()}
        options = {}
        if storage_uri.startswith(("redis://", "rediss://")):
            options = {"socket_timeout": STORE_TIMEOUT_SECONDS,
                       "socket_connect_timeout": STORE_TIMEOUT_SECONDS}
        self.storage = storage_from_string(storage_uri, key_prefix=prefix, **options)
        self.strategy = MovingWindowRateLimiter(self.storage)
        self._warned = 0.0

    def retry_after(self, limit: str, key: str) -> int:
        """0 if the request may go now (and counts it), else seconds to wait.

        A store that fails lets the request through (and says so in a metric and, at
        most every 30 s, the log): a Redis outage must not stop sign-ins for everyone.
        """
        item = self.items[limit]
        try:
            if self.strategy.hit(item, limit, key):
                return 0
            reset = self.strategy.get_window_stats(item, limit, key).reset_time
        except Exception as exc:  # noqa: BLE001 - any store failure: let it through
            STORE_ERRORS.inc()
            if time.monotonic() - self._warned > 30:
                self._warned = time.monotonic()
                log.warning("rate-limit store unavailable, not limiting: %s", exc)
            return 0
        return max(1, math.ceil(reset - time.time()))


def limits_from_config(config: dict) -> Limits:
    return Limits(
        {name: config.get(f"RATE_LIMIT_{name.upper()}", default)
         for name, default in DEFAULT_LIMITS.items()},
        config["RATE_LIMIT_STORAGE"], config.get("RATE_LIMIT_PREFIX", "continuity"),
    )


FREE_FAILURES = 5
MAX_LOCK_SECONDS = 900


def lock_seconds(failures: int) -> int:
    """After 5 failed logins in a row, wait 1, 2, 4 … seconds (at most 15 minutes)."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_LOCK_SECONDS, 2 ** (failures - FREE_FAILURES))
