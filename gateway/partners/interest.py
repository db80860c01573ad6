"""``self.partner_interest(event_type)``: the webhooks service's cache of partner keys'
patterns (a DependencyProvider, nothing else)."""

from __future__ import annotations

import time

from nameko.extensions import DependencyProvider

from services.common.database import Database

from . import bindings
from .keys import active_patterns
from .scope import matches


class PartnerInterest(DependencyProvider):
    """``self.partner_interest(event_type)``: may any active partner key receive it?

    Without partners, recording every event costs CPU for nothing (decision 0010).
    The partners' patterns are cached; an event no partner wants re-reads them if they
    are older than RECHECK, so a partner created a moment ago is not missed.
    """

    REFRESH = 5.0  # a wanted type is re-checked this often (a key may be revoked)
    RECHECK = 0.1  # an unwanted one this often (a partner may just have been created)

    def setup(self) -> None:
        self.patterns: list[str] = []
        self.read_at = float("-inf")

    def start(self) -> None:
        """Only what partners may receive reaches this process (bindings.py)."""
        self.read()
        bindings.sync(self.container.config["AMQP_URI"], self.patterns,
                      unwanted=[bindings.CATCH_ALL])

    def read(self) -> None:
        database = next(d for d in self.container.dependencies
                        if isinstance(d, Database))
        with database.sessions.begin() as session:
            self.patterns = active_patterns(session)
        self.read_at = time.monotonic()

    def wants(self, event_type: str) -> bool:
        age = time.monotonic() - self.read_at
        wanted = matches(self.patterns, event_type)
        if age > (self.REFRESH if wanted else self.RECHECK):
            self.read()
            wanted = matches(self.patterns, event_type)
        return wanted

    def get_dependency(self, worker_ctx):
        return self.wants
