"""The gateway's partner fan-out: every event in, signed webhook deliveries out."""

from __future__ import annotations

import logging
import time

import eventlet
import requests
from nameko.extensions import DependencyProvider

from services.common.broker import consume
from services.common.clock import config_timer
from services.common.db import Database
from services.common.events import ENVELOPE

from . import partner_bindings, webhooks
from .models import applied_events_table
from .partner_bindings import PARTNER_EVENTS

log = logging.getLogger(__name__)

SENDERS = 20


class PartnerInterest(DependencyProvider):
    """``self.partner_interest(event_type)``: may any active partner key receive it?

    Without partners, recording every event (2 ms of CPU per progress record) is waste.
    The partners' patterns are cached; an event no partner wants re-reads them if they
    are older than RECHECK, so a partner created a moment ago is not missed.
    """

    REFRESH = 5.0  # a wanted type is re-checked this often (a key may be revoked)
    RECHECK = 0.1  # an unwanted one this often (a partner may just have been created)

    def setup(self) -> None:
        self.patterns: list[str] = []
        self.read_at = float("-inf")

    def start(self) -> None:
        """Only what partners may receive reaches this process (partner_bindings)."""
        self.read()
        partner_bindings.sync(self.container.config["AMQP_URI"], self.patterns,
                              unwanted=[partner_bindings.CATCH_ALL])

    def read(self) -> None:
        database = next(d for d in self.container.dependencies if isinstance(d, Database))
        with database.sessions.begin() as session:
            self.patterns = partner_bindings.active_patterns(session)
        self.read_at = time.monotonic()

    def wants(self, event_type: str) -> bool:
        age = time.monotonic() - self.read_at
        wanted = webhooks.matches(self.patterns, event_type)
        if age > (self.REFRESH if wanted else self.RECHECK):
            self.read()
            wanted = webhooks.matches(self.patterns, event_type)
        return wanted

    def get_dependency(self, worker_ctx):
        return self.wants


class WebhookDelivery:
    """Mixed into WebhooksService (the gateway's worker process): records every event
    for partners and delivers it."""

    @consume(PARTNER_EVENTS, requeue_on_error=True)
    def on_any_event(self, body):
        from marshmallow import ValidationError

        from services.common.events import Event, first_delivery

        # asked before the envelope is loaded: most events are dropped here
        event_type = body.get("event_type") if isinstance(body, dict) else None
        if isinstance(event_type, str) and not self.partner_interest(event_type):
            return  # no partner key may receive it: nothing to keep or deliver
        try:  # an envelope that loads has a string event_type: asked about above
            envelope = ENVELOPE.load(body)
        except ValidationError:
            log.error("dropping a malformed event for partners")
            return
        event = Event(str(envelope["event_id"]), envelope["event_type"],
                      envelope["occurred_at"], envelope["producer"],
                      envelope["correlation_id"], {}, "gateway.on_any_event")
        with self.db.begin() as session:
            if first_delivery(session, applied_events_table, event):
                webhooks.record_event(session, body, self.clock())

    @config_timer("WEBHOOK_POLL_SECONDS")
    def deliver_webhooks(self):
        """Send what is due, a few at a time; record each outcome."""
        schedule = tuple(float(s) for s in
                         str(self.config["WEBHOOK_RETRY_SECONDS"]).split(",") if s)
        while True:
            with self.db.begin() as session:
                due = webhooks.claim_due(session, self.clock())
            if not due:
                return
            pool = eventlet.GreenPool(SENDERS)
            for outgoing, (status, error) in zip(due, pool.imap(post, due), strict=True):
                with self.db.begin() as session:
                    disabled = webhooks.record_attempt(
                        session, outgoing.delivery_id, status, error, self.clock(), schedule)
                    if disabled is not None:
                        partner = session.get(webhooks.Partner, disabled.partner_id)
                        self.outbox.add_mail(
                            session, partner.contact_email,
                            "Continuity: your webhook endpoint was disabled",
                            f"Deliveries to {disabled.url} have failed for 24 hours, so "
                            f"the endpoint is disabled. Fix it, re-enable it (POST "
                            f"/api/v1/webhooks/{disabled.id}/enable) and replay what you "
                            f"missed (POST /api/v1/webhooks/{disabled.id}/replay).\n")
            if len(due) < 50:
                return

    @config_timer("WEBHOOK_POLL_SECONDS")
    def purge_partner_events(self):
        with self.db.begin() as session:
            webhooks.purge_events(session, self.clock())


def post(outgoing: webhooks.Outgoing) -> tuple[int | None, str | None]:
    try:
        answer = requests.post(outgoing.url, data=outgoing.body, headers=outgoing.headers,
                               timeout=10, allow_redirects=False)
        return answer.status_code, None if answer.ok else answer.text[:200]
    except requests.RequestException as exc:
        return None, f"{exc.__class__.__name__}: {exc}"[:500]
