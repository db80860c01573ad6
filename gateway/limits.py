"""Rate limits per client address (per gateway process) and login slow-down per account."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

DEFAULT_LIMITS = {"apply": "30/60", "login": "20/60", "invitation": "20/60"}


def parse(spec: str) -> tuple[int, float]:
    """``"30/60"``: 30 requests per 60 seconds."""
    count, _, seconds = spec.partition("/")
    return int(count), float(seconds or 60)


@dataclass
class Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """A token bucket per (limit, client): bursts up to N, then N per window."""

    limits: dict[str, tuple[int, float]]
    buckets: dict[tuple[str, str], Bucket] = field(default_factory=dict)
    max_keys: int = 100_000

    def retry_after(self, limit: str, client: str, now: float | None = None) -> int:
        """0 if the request may go now (and takes a token), else seconds to wait."""
        capacity, window = self.limits[limit]
        now = time.monotonic() if now is None else now
        key = (limit, client)
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) >= self.max_keys:  # bounded memory under a flood
                self.buckets.clear()
            bucket = self.buckets[key] = Bucket(capacity, now)
        rate = capacity / window
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0
        return max(1, math.ceil((1 - bucket.tokens) / rate))


def limiter_from_config(config: dict) -> RateLimiter:
    return RateLimiter({
        name: parse(config.get(f"RATE_LIMIT_{name.upper()}", default))
        for name, default in DEFAULT_LIMITS.items()
    })


FREE_FAILURES = 5
MAX_LOCK_SECONDS = 900


def lock_seconds(failures: int) -> int:
    """After 5 failed logins in a row, wait 1, 2, 4 … seconds (at most 15 minutes)."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_LOCK_SECONDS, 2 ** (failures - FREE_FAILURES))
