"""The outbox relay: publishes each process's pending outbox rows.

A relay in every process of the service publishes the rows written through
:mod:`services.common.outbox` to the service's topic exchange with publisher
confirms (or sends the mail), then marks them published.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

import amqp
import eventlet
from eventlet.queue import Empty, LightQueue
from kombu import Connection
from nameko.extensions import DependencyProvider
from prometheus_client import Counter, Gauge
from sqlalchemy import Table, Text, cast, delete, func, or_, select, update
from sqlalchemy.engine import Connection as DbConnection
from sqlalchemy.orm import Session

from .database import Database
from .db import utcnow
from .ids import new_id
from .mail import Mailer
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
MAIL_ROWS = 5  # rows a pass sends, each may hold a roster batch of 1,000 mails
MAIL_LEASE = 15.0  # OUTBOX_LEASE_SECONDS: a mail row is a relay's, renewed a third
# of that; a relay killed mid-row leaves it to another once it ends (decision 0057)
MAIL_DEFERRAL = 0.01  # seconds a mail waits at most for busy workers
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


class Outbox(DependencyProvider):
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
        with eventlet.Timeout(STOP_GRACE, False):
            for lane in getattr(self, "_lanes", ()):
                lane.wait()
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
            OUTBOX_PUBLISHED.labels(self.service, kind).inc(len(rows))
        return len(rows)

    def _observe_now(self, session: Session) -> None:
        if time.monotonic() - self._observed > 1.0:  # gauges, not a query per batch
            self._observe(session)
            self._observed = time.monotonic()

    # -- mails: each row claimed, its progress recorded as it is sent (decision 0057)
    def _send_mail_rows(self) -> int:
        """Up to MAIL_ROWS rows, one at a time: claimed, sent, marked sent.

        Each is claimed in a transaction of its own (FOR UPDATE SKIP LOCKED: two
        relays never claim the same row) and held by a lease its relay renews while
        it sends, not by a transaction: what is sent is committed as it is sent, so
        neither a later mail's failure nor a ``kill -9`` sends it again."""
        sent = 0
        while sent < MAIL_ROWS and self._running:  # stopping: the rest later
            row = self._claim_mail_row()
            if row is None:
                if not sent:  # nothing left to claim: nothing to remember
                    self._sent_here.clear()
                break
            if self._send_row(row):
                OUTBOX_PUBLISHED.labels(self.service, "mail").inc()
            sent += 1
        return sent

    def _claim_mail_row(self):
        t = self.table
        now = utcnow()
        with self._sessions.begin() as session:
            row = session.execute(
                select(t.c.seq, t.c.body, t.c.message_id, t.c.mails_sent)
                .where(t.c.published_at.is_(None), t.c.kind == "mail",
                       # its own claim too: left by an outage, this relay goes on
                       or_(t.c.claimed_until.is_(None), t.c.claimed_until < now,
                           t.c.claimed_by == self._token))
                .order_by(t.c.seq)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is not None:
                session.execute(update(t).where(t.c.seq == row.seq).values(
                    claimed_by=self._token, claimed_until=now + self.lease))
            self._observe_now(session)
        return row

    def _send_row(self, row) -> bool:
        """Send the row's mails not sent yet; mark it sent, or record how far it got.

        Over SMTP a session sends a mail only while fewer than SMTP_CONNECTIONS are
        sent and not recorded (``RowProgress``): a relay killed mid-row leaves at
        most that many to be sent twice. The development mailer's files overwrite
        themselves when written again: its rows are recorded once, when done.
        Returns whether every mail of the row is sent."""
        try:
            mails = list(self.mails_of(row.body))
        except LookupError:  # no such template here: left to a process that has it
            self._write_progress(row.seq, row.mails_sent or 0, claimed_by=None,
                                 claimed_until=None)
            raise
        start = min(max(row.mails_sent or 0, self._sent_here.get(row.message_id, 0)),
                    len(mails))
        progress = self._sending = RowProgress(
            start, len(mails), self.mailer.connections)
        recorder = eventlet.spawn(self._record_progress, row.seq, progress)
        try:
            self.mailer.send_all(
                ((f"{row.message_id}-{n}", mail)
                 for n, mail in enumerate(mails[start:], start)),
                after_each=self._yield_to_workers,
                gate=progress if self.mailer.smtp_url else None)
            if not self.mailer.smtp_url:
                progress.done = len(mails)
        finally:
            self._sending = None
            progress.stop()
            try:
                recorder.wait()  # not killed: it may be amid a write
            except Exception:  # said by _record_progress; the end is written below
                pass
            self._sent_here[row.message_id] = progress.done  # until it is recorded
            self._end_claim(row.seq, progress)
            self._sent_here.pop(row.message_id, None)
        return progress.done >= progress.total

    def _record_progress(self, seq: int, progress: RowProgress) -> None:
        """Write down what is sent as it completes (one write for every mail sent
        meanwhile), and keep the claim: renewed at least every third of the lease."""
        renew = self.lease.total_seconds() / 3
        with self._recording() as conn:
            while not progress.stopped:
                progress.wait_advanced(renew)
                if progress.stopped:
                    return
                done = progress.done
                try:
                    ours = self._progress_written(conn, seq, done)
                except Exception:  # the database is away: the sessions stop, the
                    # mails not recorded are sent again (at most one per session)
                    log.warning("outbox mail row %s: progress not recorded", seq,
                                exc_info=True)
                    progress.stop()
                    raise
                if not ours:
                    log.warning("outbox mail row %s was claimed by another relay "
                                "(this one was too slow to renew its claim); left to "
                                "it", seq)
                    progress.stop()
                    return
                progress.record(done)

    @contextmanager
    def _recording(self) -> Iterator[DbConnection]:
        """A connection for a row's records, each a statement committed at once (one
        round trip). On PostgreSQL not waiting for the WAL to reach the disk: a
        flush per record would hold the SMTP sessions that long each time. Only a
        crash of the server itself (not of this process) loses the last fraction
        of a second of records: those mails are sent again."""
        engine = self._sessions.kw["bind"]
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if engine.dialect.name != "postgresql":
                yield conn
                return
            conn.exec_driver_sql("SET synchronous_commit TO OFF")
            try:
                yield conn
            finally:
                conn.exec_driver_sql("RESET synchronous_commit")

    def _progress_written(self, conn: DbConnection, seq: int, done: int,
                          **values) -> bool:
        """Whether the row is still this relay's (then ``done`` mails are recorded)."""
        t = self.table
        return conn.execute(
            update(t).where(t.c.seq == seq, t.c.claimed_by == self._token)
            .values(mails_sent=done, **(values or {
                "claimed_until": utcnow() + self.lease}))).rowcount == 1

    def _write_progress(self, seq: int, done: int, **values) -> bool:
        with self._sessions.begin() as session:
            return self._progress_written(session.connection(), seq, done, **values)

    def _end_claim(self, seq: int, progress: RowProgress) -> None:
        """Sent: marked published. Stopped or failed: what is sent recorded, the
        claim let go, so that this relay or another goes on from there at once."""
        finished = progress.done >= progress.total
        try:
            ours = self._write_progress(
                seq, progress.done, claimed_by=None, claimed_until=None,
                **({"published_at": utcnow()} if finished else {}))
        except Exception:  # the database is away: the claim lapses by itself
            log.warning("outbox mail row %s: progress not recorded (%d mails sent);"
                        " the next relay sends those again", seq, progress.done,
                        exc_info=True)
            raise
        if not ours:
            log.warning("outbox mail row %s was taken over by another relay", seq)

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

    def mails_of(self, body: dict) -> Iterator[dict]:
        """The mails of an outbox row: as written, or made from their template."""
        if "mails" in body:
            yield from body["mails"]
            return
        template = self.mail_templates.get(body["template"])
        if template is None:  # kept pending: a process that knows it will send them
            raise LookupError(
                f"{self.service} has no mail template {body['template']!r}")
        for recipient in body["recipients"]:
            yield template(body["language"], {**body["values"], **recipient})

    def _yield_to_workers(self) -> None:
        """Mails give way to the process's requests and imports, but only for a
        moment: at most MAIL_DEFERRAL of waiting per mail keeps mails flowing under a
        sustained surge (learners need their invitation to sign in), for little CPU
        (figures and history in decision 0013)."""
        eventlet.sleep(0)
        deadline = time.monotonic() + MAIL_DEFERRAL
        while self.container._worker_threads and time.monotonic() < deadline:
            eventlet.sleep(0.005)

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
