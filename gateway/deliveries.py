"""The gateway's partner fan-out: every event in, signed webhook deliveries out."""

from __future__ import annotations

import logging
import time
import urllib.request

import certifi
import eventlet
import urllib3
from nameko.extensions import DependencyProvider

from services.common.broker import consume
from services.common.clock import config_timer
from services.common.contracts import ENVELOPE
from services.common.database import Database

from . import destinations, partner_bindings, webhooks
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

        from services.common.applied import first_delivery
        from services.common.contracts import Event

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
        allowed = destinations.parse_networks(self.config["WEBHOOK_ALLOWED_NETWORKS"])
        while True:
            with self.db.begin() as session:
                due = webhooks.claim_due(session, self.clock())
            if not due:
                return
            pool = eventlet.GreenPool(SENDERS)
            sent = pool.imap(lambda outgoing: post(outgoing, allowed), due)
            for outgoing, (status, error, final) in zip(due, sent, strict=True):
                with self.db.begin() as session:
                    disabled = webhooks.record_attempt(
                        session, outgoing.delivery_id, status, error, self.clock(),
                        schedule, final)
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


def post(outgoing: webhooks.Outgoing, allowed: tuple[destinations.Network, ...] = (),
         resolver: destinations.Resolver = destinations.resolve,
         ) -> tuple[int | None, str | None, bool]:
    """One attempt: ``(status code, error, final)``; ``final`` when it must not be
    tried again.

    The URL is checked again now (its name may resolve elsewhere than at registration)
    and the connection goes to the address just checked, never to a second lookup's;
    TLS still names the host (SNI, certificate check) and so does the Host header.
    Redirects are not followed: they would lead somewhere unchecked.
    """
    try:
        to = destinations.check(outgoing.url, allowed, resolver)
    except destinations.Refused as exc:
        return None, f"refused: {exc}"[:500], True
    except destinations.Unresolved as exc:
        return None, str(exc)[:500], False
    pool = connection_to(to)
    try:
        answer = pool.urlopen("POST", to.target, body=outgoing.body,
                              headers={**outgoing.headers, "host": to.host_header},
                              redirect=False, assert_same_host=False, retries=False,
                              timeout=urllib3.Timeout(10), preload_content=True)
        ok = 200 <= answer.status < 300
        text = answer.data.decode("utf-8", "replace")[:200] or f"HTTP {answer.status}"
        return answer.status, None if ok else text, False
    except urllib3.exceptions.HTTPError as exc:
        return None, f"{exc.__class__.__name__}: {exc}"[:500], False
    finally:
        pool.close()


def connection_to(to: destinations.Destination) -> urllib3.HTTPConnectionPool:
    """A connection pool to the checked address of ``to``, for one delivery.

    Through an egress proxy (HTTPS_PROXY) the tunnel is asked for that address too
    (CONNECT <address>:<port>): the proxy resolving the name again would undo the
    check. Plain http (allowed networks only) never goes through a proxy.
    """
    address = str(to.address)
    if to.scheme == "http":
        return urllib3.HTTPConnectionPool(address, to.port, maxsize=1)
    tls = {"server_hostname": to.host, "ca_certs": certifi.where()}
    proxy = urllib.request.getproxies().get("https")
    if proxy and not urllib.request.proxy_bypass(to.host):
        return urllib3.ProxyManager(proxy).connection_from_host(
            address, to.port, "https", pool_kwargs=tls)
    return urllib3.HTTPSConnectionPool(address, to.port, maxsize=1, **tls)
