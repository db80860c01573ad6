"""The outbox relay's mail lane: each mail row claimed, its mails sent, its progress
recorded as they are sent (decision 0057).

A mixin of :class:`services.common.relay.Outbox`, which sets what it uses (the
table, the sessions, the mailer, the lease, this relay's claim token) and runs it as
the lane of kind ``mail``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import eventlet
from sqlalchemy import or_, select, update
from sqlalchemy.engine import Connection as DbConnection

from .db import utcnow
from .mail_rows import RowProgress

log = logging.getLogger("services.common.relay")  # the relay's lines, as before

MAIL_ROWS = 5  # rows a pass sends, each may hold a roster batch of 1,000 mails
MAIL_DEFERRAL = 0.01  # seconds a mail waits at most for busy workers


class MailLane:
    """Sending the outbox's mail rows; see the module's docstring."""

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
                self._count_published("mail", 1)
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
        if not self._running:  # the stop came while the row was being claimed: it
            # found no row to stop, and the whole row would outlast its grace
            progress.stop()
        recorder = eventlet.spawn(self._record_progress, row.seq, progress)
        try:
            if not progress.stopped:
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
