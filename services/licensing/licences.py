"""A licence's row: finding it, its view, and the operator actions on its time.

Every change to a licence's seats or dates first locks the licence row
(``SELECT … FOR UPDATE``): batches, removals, operator actions and the timer on one
licence run one after another, so seats never exceed the seats granted, whatever the
number of processes. The time is always the caller's ``now``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.periods import days_until

from .contracts.errors import Conflict, NotFound
from .models import Licence

ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"
SEATED, WAITING = "seated", "waiting"


def licence_of(session: Session, institution_id: str, lock: bool = False) -> Licence:
    if "\x00" in institution_id:  # PostgreSQL refuses NUL: no such institution
        raise NotFound("no such institution")
    query = (
        select(Licence)
        .where(Licence.institution_id == institution_id)
        .order_by(Licence.created_at.desc())
        .limit(1)
    )
    if lock:
        query = query.with_for_update()
    licence = session.scalars(query).first()
    if licence is None:
        raise NotFound(f"institution {institution_id} holds no licence")
    return licence


def licence_by_id(session: Session, licence_id: str, lock: bool = False) -> Licence:
    try:
        uuid.UUID(licence_id)  # what a client puts in a URL never reaches SQL raw
    except (TypeError, ValueError):
        raise NotFound("no such licence") from None
    query = select(Licence).where(Licence.id == licence_id)
    if lock:
        query = query.with_for_update()
    licence = session.scalars(query).first()
    if licence is None:
        raise NotFound(f"no licence {licence_id}")
    return licence


def plans_of(session: Session, institution_ids: list[str] | None = None,
             plan: str | None = None) -> dict[str, str]:
    """Institution id -> the plan of its licence: for these institutions, or every
    institution holding a licence of ``plan`` (what operators filter a list by)."""
    query = select(Licence.institution_id, Licence.plan).order_by(Licence.created_at)
    if institution_ids is not None:
        query = query.where(Licence.institution_id.in_(institution_ids))
    if plan is not None:
        query = query.where(Licence.plan == plan)
    return dict(session.execute(query).tuples().all())  # the newest licence wins


def running(licence: Licence, now: datetime) -> bool:
    """Active and not yet at its end (the timer may not have marked it expired yet)."""
    return licence.status == ACTIVE and licence.ends_at > now


def ensure_running(licence: Licence, now: datetime) -> None:
    """Operators change only a running licence: a revoked or ended one is final."""
    if licence.status != ACTIVE:
        raise Conflict(f"licence {licence.id} is {licence.status}")
    if licence.ends_at <= now:
        raise Conflict(
            f"licence {licence.id} ended on {licence.ends_at.isoformat()}"
        )


def seat_counts(licence: Licence) -> dict[str, int]:
    """The licence's seats by status, as its row keeps them."""
    return {SEATED: licence.seats_used, WAITING: licence.seats_waiting}


def keep_counts(licence: Licence, counts: dict[str, int]) -> None:
    licence.seats_used, licence.seats_waiting = counts[SEATED], counts[WAITING]


@dataclass(frozen=True)
class LicenceView:
    id: str
    institution_id: str
    plan: str
    status: str
    seats_granted: int
    seats_used: int
    seats_waiting: int
    starts_at: datetime
    ends_at: datetime
    days_left: int


def view(
    session: Session, licence: Licence, now: datetime
) -> LicenceView:
    counts = seat_counts(licence)
    days_left = days_until(licence.ends_at, now) if licence.status == ACTIVE else 0
    return LicenceView(
        licence.id, licence.institution_id, licence.plan, licence.status,
        licence.seats_granted, counts.get("seated", 0), counts.get("waiting", 0),
        licence.starts_at, licence.ends_at, days_left,
    )


# -- operator actions ---------------------------------------------------------------
@dataclass(frozen=True)
class Extended:
    licence: Licence
    licence_id: str
    institution_id: str
    days: int
    ends_at: datetime
    extended_at: datetime


@dataclass(frozen=True)
class Revoked:
    licence: Licence
    licence_id: str
    institution_id: str
    reason: str
    revoked_at: datetime


def extend_licence(
    session: Session, licence_id: str, days: int, now: datetime
) -> Extended:
    """Move a running licence's end ``days`` later."""
    licence = licence_by_id(session, licence_id, lock=True)
    ensure_running(licence, now)
    licence.ends_at = licence.ends_at + timedelta(days=days)
    session.flush()
    return Extended(
        licence, licence.id, licence.institution_id, days, licence.ends_at, now
    )


def revoke_licence(
    session: Session, licence_id: str, reason: str, now: datetime
) -> Revoked:
    """End a running licence now, for a reason; its seats stay, for the record."""
    licence = licence_by_id(session, licence_id, lock=True)
    ensure_running(licence, now)
    licence.status = REVOKED
    licence.revoked_at = now
    licence.revoked_reason = reason
    session.flush()
    return Revoked(licence, licence.id, licence.institution_id, reason, now)
