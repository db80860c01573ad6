"""The audit trail of operator actions: appended, read by operators, never changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditRecord

# what a licence's audit record keeps of its state, before and after
LICENCE_STATE = ("status", "seats_granted", "ends_at")


@dataclass(frozen=True)
class Actor:
    """Who did it, and the request it came with."""

    operator_id: str
    operator_email: str | None
    request_id: str | None


def state(view: dict | None, fields: tuple[str, ...]) -> dict | None:
    if view is None:
        return None
    return {name: view.get(name) for name in fields}


def record(session: Session, actor: Actor, action: str, target_type: str,
           target_id: str, institution_id: str | None, before: dict | None,
           after: dict | None, now: datetime) -> AuditRecord:
    entry = AuditRecord(
        at=now, operator_id=actor.operator_id, operator_email=actor.operator_email,
        action=action, target_type=target_type, target_id=target_id,
        institution_id=institution_id, before=before, after=after,
        request_id=actor.request_id)
    session.add(entry)
    return entry


def records(session: Session, *, institution_id: str | None = None,
            action: str | None = None, since: datetime | None = None, limit: int = 50,
            before_id: int | None = None) -> list[AuditRecord]:
    """Newest first; the next page is the records older than ``before_id``."""
    query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
    if institution_id is not None:
        query = query.where(AuditRecord.institution_id == institution_id)
    if action is not None:
        query = query.where(AuditRecord.action == action)
    if since is not None:
        query = query.where(AuditRecord.at >= since)
    if before_id is not None:
        query = query.where(AuditRecord.id < before_id)
    return list(session.scalars(query))
