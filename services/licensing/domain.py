"""Licences and seats in plain code; seating is set-based SQL, one batch a transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.common.db import insert_ignore, utcnow

from .exceptions import NotFound, UnknownPlan
from .models import Licence, Seat
from .plans import Plan


@dataclass(frozen=True)
class Issued:
    licence: Licence
    created: bool


@dataclass(frozen=True)
class Seating:
    licence_id: str
    institution_id: str
    seated: list[str]
    waitlisted: list[str]
    seats_used: int
    seats_granted: int
    waiting: int


def issue_licence(
    session: Session, plans: dict[str, Plan], approved: dict, now: datetime | None = None
) -> Issued:
    """One licence per institution and plan, however often the approval arrives."""
    plan = plans.get(approved["plan"])
    if plan is None:
        raise UnknownPlan(f"no plan {approved['plan']!r} in plans.yml")
    now = now or utcnow()
    licence_id = str(uuid.uuid4())
    created = insert_ignore(session, Licence.__table__, [{
        "id": licence_id,
        "institution_id": approved["institution_id"],
        "plan": plan.id,
        "status": "active",
        "seats_granted": plan.seats_for(approved["expected_learners"]),
        "admin_email": approved["admin_email"],
        "starts_at": now,
        "ends_at": now + timedelta(days=plan.days),
        "created_at": now,
    }])
    licence = session.scalars(
        select(Licence).where(
            Licence.institution_id == approved["institution_id"], Licence.plan == plan.id
        )
    ).one()
    return Issued(licence, created=bool(created))


def licence_of(session: Session, institution_id: str, lock: bool = False) -> Licence:
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


def seat_learners(
    session: Session, institution_id: str, learner_ids: list[str], now: datetime | None = None
) -> Seating:
    """Queue the learners in arrival order, then seat the first waiting ones."""
    now = now or utcnow()
    licence = licence_of(session, institution_id, lock=True)  # serialises batches
    insert_ignore(session, Seat.__table__, [
        {"licence_id": licence.id, "learner_id": lid, "status": "waiting", "enrolled_at": now}
        for lid in learner_ids
    ])
    seated = fill_free_seats(session, licence, now)
    counts = seat_counts(session, licence.id)
    waitlisted = list(session.scalars(
        select(Seat.learner_id).where(
            Seat.licence_id == licence.id, Seat.status == "waiting",
            Seat.learner_id.in_(learner_ids),
        ).order_by(Seat.seq)
    )) if learner_ids else []
    return Seating(
        licence.id, institution_id, seated, waitlisted,
        counts.get("seated", 0), licence.seats_granted, counts.get("waiting", 0),
    )


def fill_free_seats(session: Session, licence: Licence, now: datetime) -> list[str]:
    """Seat waiting learners first come, first served, up to the seats granted."""
    used = session.scalar(
        select(func.count()).where(Seat.licence_id == licence.id, Seat.status == "seated")
    )
    free = licence.seats_granted - used
    if free <= 0 or licence.status != "active":
        return []
    first_waiting = (
        select(Seat.seq)
        .where(Seat.licence_id == licence.id, Seat.status == "waiting")
        .order_by(Seat.seq)
        .limit(free)
        .scalar_subquery()
    )
    rows = session.execute(
        update(Seat)
        .where(Seat.seq.in_(first_waiting))
        .values(status="seated", seated_at=now)
        .returning(Seat.learner_id, Seat.seq)
    ).all()
    return [r.learner_id for r in sorted(rows, key=lambda r: r.seq)]


def seat_counts(session: Session, licence_id: str) -> dict[str, int]:
    return dict(session.execute(
        select(Seat.status, func.count()).where(Seat.licence_id == licence_id)
        .group_by(Seat.status)
    ).all())


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


def view(session: Session, licence: Licence, now: datetime | None = None) -> LicenceView:
    now = now or utcnow()
    counts = seat_counts(session, licence.id)
    left = licence.ends_at - now
    days_left = 0 if licence.status != "active" else max(0, left.days + (1 if left.seconds else 0))
    return LicenceView(
        licence.id, licence.institution_id, licence.plan, licence.status,
        licence.seats_granted, counts.get("seated", 0), counts.get("waiting", 0),
        licence.starts_at, licence.ends_at, days_left,
    )
