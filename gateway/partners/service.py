"""The gateway's second process type: partner fan-out and webhook deliveries.

It shares the gateway's database (it owns the same data: partners, webhooks,
deliveries) but runs apart from the HTTP process, so recording every event and
calling partners' endpoints never takes CPU from requests. Scale it on its own.
"""

from __future__ import annotations

import logging

import eventlet
from marshmallow import ValidationError
from nameko.dependency_providers import Config

from services.common.applied import first_delivery
from services.common.broker import consume
from services.common.clock import Clock, config_timer
from services.common.contracts import ENVELOPE, Event
from services.common.database import Database
from services.common.observability import EntrypointMetrics
from services.common.registry import ProcessFacts
from services.common.relay import Outbox

from ..models import Base, applied_events_table, outbox_table
from . import deliveries, destinations, fanout, metrics
from .bindings import PARTNER_EVENTS
from .interest import PartnerInterest
from .sending import post

log = logging.getLogger(__name__)

SENDERS = 20


class WebhooksService:
    name = "webhooks"
    facts = ProcessFacts(ops_port=9105, database_of="gateway", web=True)

    db = Database(Base.metadata)
    outbox = Outbox(outbox_table)
    metrics = EntrypointMetrics()
    clock = Clock()
    config = Config()
    partner_interest = PartnerInterest()

    @consume(PARTNER_EVENTS, requeue_on_error=True)
    def on_any_event(self, body):
        """Keep every event some partner may receive, and queue its deliveries."""
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
                fanout.record_event(session, body, self.clock())

    @config_timer("WEBHOOK_POLL_SECONDS")
    def deliver_webhooks(self):
        """Send what is due, a few at a time; record each outcome."""
        schedule = tuple(float(s) for s in
                         str(self.config["WEBHOOK_RETRY_SECONDS"]).split(",") if s)
        allowed = destinations.parse_networks(self.config["WEBHOOK_ALLOWED_NETWORKS"])
        with self.db.begin() as session:
            metrics.DUE.set(deliveries.count_due(session, self.clock()))
        while True:
            with self.db.begin() as session:
                due = deliveries.claim_due(session, self.clock())
            if not due:
                return
            pool = eventlet.GreenPool(SENDERS)
            sent = pool.imap(lambda outgoing: post(outgoing, allowed), due)
            for outgoing, (status, error, final) in zip(due, sent, strict=True):
                with self.db.begin() as session:
                    disabled = deliveries.record_attempt(
                        session, outgoing.delivery_id, status, error, self.clock(),
                        schedule, final)
                    if disabled is not None:
                        mail = deliveries.disabled_notice(session, disabled)
                        self.outbox.add_mail(session, mail.to, mail.subject, mail.body)
            if len(due) < deliveries.BATCH:
                return

    @config_timer("WEBHOOK_POLL_SECONDS")
    def purge_partner_events(self):
        with self.db.begin() as session:
            fanout.purge_events(session, self.clock())
