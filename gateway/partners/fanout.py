"""The event log and the deliveries it queues: each event once live, again on replay.

Both paths ask ``scope.receives`` which endpoints get an event (decision 0023).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.common.bulk import insert_ignore
from services.common.ids import new_id

from ..models import Delivery, EventLog, Partner, Webhook
from .scope import receives

KEEP_EVENTS = timedelta(days=30)


def subscribers(session: Session, event_type: str, institution_id: str | None):
    rows = session.execute(
        select(Webhook, Partner).join(Partner, Partner.id == Webhook.partner_id)
        .where(Webhook.status == "active", Partner.revoked_at.is_(None))
    ).all()
    return [webhook for webhook, partner in rows
            if receives(webhook, partner, event_type, institution_id)]


def record_event(session: Session, envelope: dict, now: datetime) -> int:
    """Keep the event for replays and queue one delivery per subscribed endpoint."""
    data = envelope.get("data") or {}
    institution_id = data.get("institution_id") if isinstance(data, dict) else None
    insert_ignore(session, EventLog.__table__, [{
        "event_id": envelope["event_id"], "event_type": envelope["event_type"],
        "institution_id": institution_id,
        "occurred_at": datetime.fromisoformat(envelope["occurred_at"]),
        "body": envelope,
    }])
    rows = [{"id": new_id(), "webhook_id": w.id, "event_id": envelope["event_id"],
             "event_type": envelope["event_type"], "replay": 0, "status": "pending",
             "attempts": 0, "created_at": now, "next_attempt_at": now}
            for w in subscribers(session, envelope["event_type"], institution_id)]
    return insert_ignore(session, Delivery.__table__, rows) if rows else 0


def replay(session: Session, webhook: Webhook, since: datetime, now: datetime) -> int:
    """Deliver again every kept event of the endpoint's types since ``since``."""
    partner = session.get(Partner, webhook.partner_id)
    events = session.scalars(
        select(EventLog).where(EventLog.occurred_at >= since)
        .order_by(EventLog.occurred_at)
    ).all()
    rows = []
    for logged in events:
        if not receives(webhook, partner, logged.event_type, logged.institution_id):
            continue
        previous = session.scalar(
            select(Delivery.replay).where(Delivery.webhook_id == webhook.id,
                                          Delivery.event_id == logged.event_id)
            .order_by(Delivery.replay.desc()).limit(1))
        rows.append({"id": new_id(), "webhook_id": webhook.id,
                     "event_id": logged.event_id, "event_type": logged.event_type,
                     "replay": (previous if previous is not None else -1) + 1,
                     "status": "pending", "attempts": 0, "created_at": now,
                     "next_attempt_at": now})
    return insert_ignore(session, Delivery.__table__, rows) if rows else 0


def purge_events(session: Session, now: datetime) -> None:
    session.execute(delete(EventLog).where(EventLog.occurred_at < now - KEEP_EVENTS))
