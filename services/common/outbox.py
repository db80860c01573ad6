"""Transactional outbox, the writing side: events and mails commit with the change
they announce.

``self.outbox.add(session, EVENT_TYPE, obj)`` writes a row in the same transaction
as the change; the relay (:mod:`services.common.relay`) in every process of the
service publishes pending rows to the service's topic exchange with publisher
confirms (or sends the mail), then marks them published. Delivery is at least once;
consumers are idempotent. No nameko here: domain code may be handed a BoundOutbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Table, event
from sqlalchemy.orm import Session

from .bulk import bulk_insert
from .contracts import EventType, envelope, serialize
from .db import utcnow
from .ids import new_id


class OutboxTable(Protocol):
    """Where a worker's rows go: the service's outbox table, and how to wake its
    relay's lanes of the kinds committed (``"event"``, ``"mail"``)."""

    table: Table
    wake: Callable[[frozenset[str]], None]


class BoundOutbox:
    """What a worker sees: add events and mails to the current transaction."""

    def __init__(self, provider: OutboxTable, worker_ctx):
        self._provider = provider
        self._worker_ctx = worker_ctx

    @property
    def correlation_id(self) -> str | None:
        return self._worker_ctx.context_data.get("correlation_id")

    def add(self, session: Session, event_type: EventType, obj: Any,
            correlation_id: str | None = None) -> str:
        return self.add_many(session, event_type, [obj], correlation_id)[0]

    def add_many(self, session: Session, event_type: EventType, objs: list,
                 correlation_id: str | None = None) -> list:
        """``correlation_id``: the request these events follow from, when a worker
        handles several (a batch of events); the worker's own otherwise."""
        return enqueue_events(
            session, self._provider.table, event_type, objs,
            correlation_id or self.correlation_id, wake=self._provider.wake,
        )

    def add_mail(
        self, session: Session, to: str, subject: str, text: str, language: str = ""
    ) -> None:
        self.add_mails(
            session, [{"to": to, "subject": subject, "text": text, "language": language}]
        )

    def add_mails(self, session: Session, mails: list[dict]) -> None:
        """One outbox row for the lot: a roster batch of 1,000 invitations is one row."""
        if mails:
            self._add_mail_row(
                session, [mail["to"] for mail in mails], {"mails": mails})

    def add_mail_merge(self, session: Session, template: str, language: str,
                       values: dict, recipients: list[dict]) -> None:
        """One mail per recipient, made from a template of the service's
        ``mail_templates`` when it is sent: ``values`` are the batch's (a school's
        name), each recipient's dict its own (``to``, a first name, a link's token).

        Rendered, a roster batch's invitations would be a large JSON body to encode,
        escape, store, compress and log before the import could go on; their values
        are a fraction of that, and the text is made by the relay when the process
        has time for it (decision 0017)."""
        if recipients:
            self._add_mail_row(session, [r["to"] for r in recipients], {
                "template": template, "language": language, "values": values,
                "recipients": recipients,
            })

    def _add_mail_row(self, session: Session, to: list[str], body: dict) -> None:
        self._insert(session, [{
            "message_id": new_id(),
            "kind": "mail",
            "topic": to[0] if len(to) == 1 else f"{len(to)} recipients",
            "body": body,
            "correlation_id": self.correlation_id,
            "created_at": utcnow(),
        }])

    def _insert(self, session: Session, rows: list[dict]) -> None:
        insert_rows(session, self._provider.table, rows, self._provider.wake)


def enqueue_events(
    session: Session, table: Table, event_type: EventType, objs: list,
    correlation_id: str | None = None, wake=None,
) -> list[str]:
    """Write events to an outbox table in the caller's transaction."""
    rows = []
    for obj in objs:
        event_id = new_id()
        data = serialize(event_type, obj)
        rows.append(
            {
                "message_id": event_id,
                "kind": "event",
                "topic": event_type.name,
                "body": envelope(event_type, data, correlation_id, event_id),
                "correlation_id": correlation_id,
                "created_at": utcnow(),
            }
        )
    insert_rows(session, table, rows, wake)
    return [r["message_id"] for r in rows]


def insert_rows(session: Session, table: Table, rows: list[dict], wake=None) -> None:
    """Rows for the outbox, written in one INSERT when the transaction commits.

    An activation writes three rows, an application two: one statement instead of
    one each. (No savepoints here: a rolled-back savepoint would not take its rows
    back. Nothing uses them.)
    """
    if not rows:
        return
    pending = session.info.get("outbox_rows")
    if pending is None:
        pending = session.info["outbox_rows"] = []
        event.listen(session, "before_commit", _write_pending)
        event.listen(session, "after_rollback", _drop_pending)
    pending.append((table, rows))
    if wake is not None:
        # only the lanes with rows to take: a mail lane woken by every event would
        # run its claim's query for nothing (an eighth of the lrs's time, decision
        # 0065)
        kinds = session.info.get("outbox_wakes_relay")
        if kinds is None:
            kinds = session.info["outbox_wakes_relay"] = set()

            def woken(_session) -> None:  # each commit wakes the lanes it fed
                wake(frozenset(kinds))
                kinds.clear()
            event.listen(session, "after_commit", woken)
        kinds.update(row["kind"] for row in rows)


def _write_pending(session: Session) -> None:
    pending = session.info.get("outbox_rows")
    if not pending:
        return
    by_table: dict[Table, list[dict]] = {}
    for table, rows in pending:
        by_table.setdefault(table, []).extend(rows)
    pending.clear()
    connection = session.connection()
    for table, rows in by_table.items():
        bulk_insert(connection, table, rows)


def _drop_pending(session: Session) -> None:
    for held in ("outbox_rows", "outbox_wakes_relay"):  # neither written nor woken
        if session.info.get(held):
            session.info[held].clear()
