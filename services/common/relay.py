"""The outbox relay: publishes each process's pending outbox rows.

A relay in every process of the service publishes the rows written through
:mod:`services.common.outbox` to the service's topic exchange with publisher
confirms (or sends the mail: its lane is :mod:`services.common.mail_lane`), then
marks them published.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial

import amqp
import eventlet
from eventlet.queue import Empty, LightQueue
from kombu import Connection
from nameko.extensions import DependencyProvider
from prometheus_client import Counter, Gauge
from sqlalchemy import Table, Text, cast, delete, func, select, update
from sqlalchemy.orm import Session

from .database import Database
from .db import utcnow
from .ids import new_id
from .mail import Mailer
from .mail_lane import MAIL_ROWS, MailLane
from .mail_rows import RowProgress
from .outage import is_outage
from .outbox import BoundOutbox
from .queues import declare
from .topology import routes

log = logging.getLogger(__name__)

OUTBOX_PENDING = Gauge(
    "continuity_outbox_pending", "Outbox rows not yet published", ["service"]
)
OUTBOX_LAG = Gauge(
    "continuity_outbox_lag_seconds",
    "Age of the oldest unpublished outbox row",
    ["service"],
)
OUTBOX_PUBLISHED = Counter(
    "continuity_outbox_published_total",
    "Outbox rows published (events) or sent (mails)",
    ["service", "kind"],
)

BATCH = 500
YIELD_EVERY = 100  # events published between two yields to the workers
CONFIRM_TIMEOUT = 30.0  # seconds for the broker to confirm a batch
MAIL_LEASE = 15.0  # OUTBOX_LEASE_SECONDS: a mail row is a relay's, renewed a third
# of that; a relay killed mid-row leaves it to another once it ends (decision 0057)
KINDS = ("event", "mail")
STOP_GRACE = 10.0  # seconds a stopping relay may take to end its current pass
KEEP_PUBLISHED_DAYS = 7.0  # OUTBOX_KEEP_DAYS; 0 keeps them for ever


class NotConfirmed(Exception):
    """The broker refused (nacked) or did not confirm a published batch in time."""


class Confirms:
    """Publisher confirms on one channel, waited for per batch, not per message.

    The channel is in confirm mode: the broker numbers the messages published on it
    1, 2, 3 … and acks (or nacks) them, possibly several at once (``multiple``).
    """

    def __init__(self, connection: Connection, channel):
        self.connection = connection
        self.channel = channel
        self.sent = 0
        self.unconfirmed: set[int] = set()
        self.nacked = False
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        channel.confirm_select()

    def published(self) -> None:
        self.sent += 1
        self.unconfirmed.add(self.sent)

    def _settle(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self.unconfirmed = {tag for tag in self.unconfirmed if tag > delivery_tag}
        else:
            self.unconfirmed.discard(delivery_tag)

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple)
        self.nacked = True

    def wait(self, timeout: float) -> None:
        """Until every message published is confirmed; NotConfirmed if one is not."""
        deadline = time.monotonic() + timeout
        while self.unconfirmed and not self.nacked:
            left = deadline - time.monotonic()
            if left <= 0:
                raise NotConfirmed(f"{len(self.unconfirmed)} messages unconfirmed")
            self.connection.drain_events(timeout=left)
        if self.nacked:
            raise NotConfirmed("the broker refused a message of the batch")


MailTemplate = Callable[[str, dict], dict]  # (language, values) → to, subject, text


class Outbox(MailLane, DependencyProvider):
    """``mail_templates``: the templates ``add_mail_merge`` may name, by name."""

    def __init__(self, table: Table,
                 mail_templates: dict[str, MailTemplate] | None = None,
                 event_pace: float = 0.0):
        self.table = table
        self.mail_templates = dict(mail_templates or {})
        # a service whose every request commits events (the lrs) relays them at
        # most this often under load: each pass costs its statements and a confirm
        # however few events it takes (decision 0067)
        self.event_pace = event_pace

    def setup(self) -> None:
        config = self.container.config
        self.service = self.container.service_name
        self.amqp_uri = config["AMQP_URI"]
        self.poll = float(config.get("OUTBOX_POLL_SECONDS", 1.0))
        self.lease = timedelta(
            seconds=float(config.get("OUTBOX_LEASE_SECONDS", MAIL_LEASE)))
        self._token = new_id()  # whose claim a mail row's is: this relay's
        # published events are what a consumer's read models are rebuilt from
        # (services/common/rebuild.py): kept this long, then purged
        days = float(config.get("OUTBOX_KEEP_DAYS", KEEP_PUBLISHED_DAYS))
        self.keep_published = timedelta(days=days) if days > 0 else None
        self.mailer = Mailer(
            config.get("MAIL_FROM", "Continuity <no-reply@continuity.local>"),
            config.get("MAIL_DIR", "var/mail"),
            config.get("SMTP_URL", ""),
            int(config.get("SMTP_CONNECTIONS", 4)),
        )
        # one lane per kind: 100,000 roster invitations never hold back an event
        self._wakeups = {kind: LightQueue(maxsize=1) for kind in KINDS}
        self._running = False
        self._sending: RowProgress | None = None  # the mail row being sent
        # how many of a row's first mails this relay sent and could not record (the
        # database gone meanwhile): once it is back, the row goes on from there,
        # nobody invited twice by this process (decision 0058)
        self._sent_here: dict[str, int] = {}
        self._observed = 0.0
        self._connection: Connection | None = None
        self._confirms: Confirms | None = None
        # the exchange and every consumer's queue, read now: a process that cannot
        # know its consumers fails at start, not when its relay first publishes
        self._routes = routes(self.service)
        self._exchange = self._routes[0]

    def _database(self) -> Database:
        for dep in self.container.dependencies:
            if isinstance(dep, Database):
                return dep
        raise RuntimeError("Outbox needs a Database dependency in the same service")

    def start(self) -> None:
        self._running = True
        self._sessions = self._database().sessions
        self._lanes = [self.container.spawn_managed_thread(partial(self._run, kind))
                       for kind in KINDS]

    def stop(self) -> None:
        """A graceful stop (SIGTERM): each lane ends its current pass (a batch of
        events confirmed and marked; the mails of the row being sent that are in
        flight, then how far the row got recorded) before the connection closes.
        Killed in the middle, a batch of events would be published again, and the
        mails in flight sent again."""
        self._running = False
        if self._sending is not None:  # SMTP sessions take no more of the row
            self._sending.stop()
        self.wake()
        lanes = getattr(self, "_lanes", ())
        with eventlet.Timeout(STOP_GRACE, False):
            for lane in lanes:
                lane.wait()
        if any(not lane.dead for lane in lanes):  # ended amid its pass
            log.warning("outbox relay still busy after a stop grace of %.0f s: the "
                        "events and mails of its pass not recorded as sent go "
                        "again", STOP_GRACE)
        self._close()

    def kill(self) -> None:
        self._running = False
        self._close()

    def wake(self, kinds: frozenset[str] = frozenset(KINDS)) -> None:
        """The lanes of ``kinds`` look for rows now (all of them by default)."""
        for wakeup in (self._wakeups[kind] for kind in kinds):
            try:
                wakeup.put_nowait(None)
            except eventlet.queue.Full:
                pass

    def get_dependency(self, worker_ctx) -> BoundOutbox:
        return BoundOutbox(self, worker_ctx)

    # -- the relay ---------------------------------------------------------------
    def _run(self, kind: str) -> None:
        last_purge = last_pass = 0.0
        while self._running:
            try:
                last_pass = time.monotonic()
                sent = self.relay_once(kind)
                if kind == "event" and time.monotonic() - last_purge > 600:
                    self.purge()
                    last_purge = time.monotonic()
            except Exception as exc:  # broker or database away: keep the rows, retry
                if is_outage(exc):  # expected while it lasts: one line a second
                    log.warning("outbox relay waits for the broker or database "
                                "(%s: %s); the rows stay pending", type(exc).__name__,
                                exc)
                else:
                    log.exception("outbox relay failed; retrying")
                if kind == "event":  # the broker connection is the event lane's
                    # alone: closed by the mail lane, it left the event lane
                    # waiting on a closed socket for its confirms (decision 0058)
                    self._close()
                eventlet.sleep(1.0)
                continue
            if sent < (BATCH if kind == "event" else MAIL_ROWS):
                try:
                    self._wakeups[kind].get(timeout=self.poll)
                except Empty:
                    pass
                if kind == "event" and self.event_pace:  # woken after a quiet while:
                    # at once; soon after the last pass: with the next commits too
                    eventlet.sleep(max(0.0, last_pass + self.event_pace
                                       - time.monotonic()))

    def relay_once(self, kind: str) -> int:
        """Publish (or send) one batch of pending rows of a kind; returns how many.

        Events of a batch are published back to back and confirmed by the broker
        together: rows are marked published only once every one of them is confirmed
        (a nack, a timeout or a lost connection leaves the whole batch pending, to be
        published again: delivery is at least once).
        """
        if kind == "mail":
            return self._send_mail_rows()
        t = self.table
        with self._sessions.begin() as session:
            # an event's body goes out as the JSON text it was stored as; on the
            # connection: the ORM's handling of a Core statement is most of its CPU
            rows = session.connection().execute(
                select(t.c.seq, t.c.kind, t.c.topic, cast(t.c.body, Text).label("body"),
                       t.c.message_id, t.c.correlation_id, t.c.created_at)
                .where(t.c.published_at.is_(None), t.c.kind == kind)
                .order_by(t.c.seq)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            ).all()
            self._publish(rows)
            self._mark_published(session, [row.seq for row in rows])
            self._observe_now(session)
        if rows:
            self._count_published(kind, len(rows))
        return len(rows)

    def _count_published(self, kind: str, count: int) -> None:
        OUTBOX_PUBLISHED.labels(self.service, kind).inc(count)

    def _observe_now(self, session: Session) -> None:
        if time.monotonic() - self._observed > 1.0:  # gauges, not a query per batch
            self._observe(session)
            self._observed = time.monotonic()

    def _mark_published(self, session: Session, seqs: list[int]) -> None:
        if seqs:
            t = self.table
            session.connection().execute(
                update(t).where(t.c.seq.in_(seqs)).values(published_at=utcnow()))

    def _publish(self, rows) -> None:
        """Publish events, then wait for the broker to confirm them all."""
        if not rows:
            return
        confirms = self._get_confirms()
        exchange = self._exchange.name
        for n, row in enumerate(rows, 1):
            headers = ({"nameko.correlation_id": row.correlation_id}
                       if row.correlation_id else {})
            # the channel's own basic_publish: kombu's Producer would decode and
            # re-encode the JSON and rebuild the message's properties each time
            confirms.channel.basic_publish(
                amqp.Message(row.body.encode("utf-8"), content_type="application/json",
                             content_encoding="utf-8", delivery_mode=2,
                             message_id=row.message_id, application_headers=headers),
                exchange=exchange, routing_key=row.topic)
            confirms.published()
            if n % YIELD_EVERY == 0:
                eventlet.sleep(0)  # let requests run; not after each message: every
                # yield queues the relay behind each busy worker of the process again
        confirms.wait(CONFIRM_TIMEOUT)

    def _get_confirms(self) -> Confirms:
        if self._confirms is None:
            self._connection = Connection(self.amqp_uri)
            channel = self._connection.channel()
            # an event with no queue yet would be lost; a queue of a previous
            # release's kind is moved to this one's (queues.py)
            declare(self._connection, self._routes)
            self._confirms = Confirms(self._connection, channel)
        return self._confirms

    def _close(self) -> None:
        self._confirms = None
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # pragma: no cover - already broken
                pass
            self._connection = None

    def _observe(self, session: Session) -> None:
        t = self.table
        pending, oldest = session.execute(
            select(func.count(), func.min(t.c.created_at)).where(
                t.c.published_at.is_(None)
            )
        ).one()
        OUTBOX_PENDING.labels(self.service).set(pending)
        if oldest is not None and oldest.tzinfo is None:
            from datetime import UTC

            oldest = oldest.replace(tzinfo=UTC)
        lag = (utcnow() - oldest).total_seconds() if oldest else 0.0
        OUTBOX_LAG.labels(self.service).set(lag)

    def purge(self) -> None:
        if self.keep_published is None:
            return
        t = self.table
        with self._sessions.begin() as session:
            session.execute(
                delete(t).where(t.c.published_at < utcnow() - self.keep_published)
            )
