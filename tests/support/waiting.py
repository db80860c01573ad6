"""Waiting for something the platform does in the background."""

from __future__ import annotations

import time


def wait_for(check, timeout: float = 20.0, interval: float = 0.05):
    """``check()``'s first true value, or AssertionError after ``timeout`` seconds.

    Under ``nameko test`` time.sleep is eventlet's, so green threads run meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not met within {timeout} s; last value {value!r}")
        time.sleep(interval)
