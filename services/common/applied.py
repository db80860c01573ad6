"""Applying consumed events: each once per consumer, a batch in lock order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from .bulk import insert_ignore_returning
from .contracts import Event


def first_deliveries(
    session: Session, applied: Table, events: list[Event]
) -> list[Event]:
    """``first_delivery`` for a batch in one statement: the events not applied yet,
    in their order (an event delivered twice in the batch counts once)."""
    unique = list({event.event_id: event for event in events}.values())
    if not unique:
        return []
    fresh = insert_ignore_returning(session, applied, [
        {"event_id": event.event_id, "consumer": event.consumer} for event in unique
    ], "event_id")
    return [event for event in unique if event.event_id in fresh]


def in_lock_order(events: list[Event], key: str = "institution_id"
                  ) -> list[tuple[Any, list[Event]]]:
    """A batch's events grouped by ``data[key]``: keys sorted, each key's events in
    the order they came. Batches that lock per key in this order (a licence, an
    institution's rows) never wait on each other in a circle."""
    groups: dict[Any, list[Event]] = {}
    for event in events:
        groups.setdefault(event.data[key], []).append(event)
    return sorted(groups.items(), key=lambda item: item[0])


def first_delivery(session: Session, applied: Table, event: Event) -> bool:
    """Record that ``event`` is applied by its consumer; False if it already was.

    Call it inside the transaction that applies the event: the record and the change
    commit together, so a redelivered event changes nothing, and two copies racing
    on the same delivery serialise on the primary key.
    """
    return bool(first_deliveries(session, applied, [event]))
