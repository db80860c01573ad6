"""Periods as people count them: one rule for "days left" everywhere it is shown."""

from __future__ import annotations

from datetime import datetime, timedelta


def days_until(end: datetime | None, now: datetime) -> int:
    """Whole days left, rounded up: 90 at issue, 1 on the last day, 0 at the end (and
    for no end at all)."""
    if end is None:
        return 0
    left = end - now
    if left <= timedelta(0):
        return 0
    return left.days + (1 if left.seconds or left.microseconds else 0)
