"""Time as a dependency, so tests move the clock instead of waiting.

``clock = Clock()`` in a service gives workers ``self.clock()`` → an aware UTC
datetime, shifted by ``CLOCK_OFFSET_SECONDS`` (default 0): an integration test starts
a container "90 days from now". Domain code never reads the time itself; it takes
``now`` from its caller. Unit tests pass any callable: ``clock=lambda: T0``.

``@config_timer("TIMER_SECONDS")`` is nameko's ``@timer`` with its interval read from
the config when the container starts, not fixed when the class is defined.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from nameko.extensions import DependencyProvider
from nameko.timer import Timer

from .db import utcnow

Now = Callable[[], datetime]


def offset_of(config: Mapping) -> timedelta:
    return timedelta(seconds=float(config.get("CLOCK_OFFSET_SECONDS") or 0))


def now_in(config: Mapping) -> datetime:
    """The time a container with this config lives in, for code that runs outside a
    worker (a database's ``on_ready`` hook)."""
    return utcnow() + offset_of(config)


class Clock(DependencyProvider):
    def setup(self) -> None:
        self.offset = offset_of(self.container.config)

    def now(self) -> datetime:
        return utcnow() + self.offset

    def get_dependency(self, worker_ctx) -> Now:
        return self.now


class ConfigTimer(Timer):
    """A timer whose interval (seconds) is the config value ``config_key``."""

    def __init__(
        self, config_key: str = "TIMER_SECONDS", default: float = 60.0,
        eager: bool = False, **kwargs,
    ):
        self.config_key = config_key
        self.default = default
        super().__init__(interval=default, eager=eager, **kwargs)

    def setup(self) -> None:
        value = self.container.config.get(self.config_key)
        self.interval = float(value if value is not None else self.default)
        super().setup()


config_timer = ConfigTimer.decorator
