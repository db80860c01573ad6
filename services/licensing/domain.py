"""Licences and seats in plain code; seating is set-based SQL, one batch a transaction.

Every change to a licence's seats or dates first locks the licence row
(``SELECT … FOR UPDATE``): batches, removals, operator actions and the timer on one
licence run one after another, so seats never exceed the seats granted, whatever the
number of processes. The time is always the caller's ``now``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from services.common.bulk import bulk_insert, insert_ignore
from services.common.ids import new_id
from services.common.periods import days_until

from .contracts.errors import Conflict, Invalid, NotFound, UnknownPlan
from .models import Licence, Notice, Seat
from .plans import Plan

ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"
SEATED, WAITING = "seated", "waiting"


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
    session: Session, plans: dict[str, Plan], approved: dict, now: datetime,
) -> Issued:
    """One licence per institution and plan, however often the approval arrives."""
    plan = plans.get(approved["plan"])
    if plan is None:
        raise UnknownPlan(f"no plan {approved['plan']!r} in plans.yml")
    licence_id = new_id()
    created = insert_ignore(session, Licence.__table__, [{
        "id": licence_id,
        "institution_id": approved["institution_id"],
        "plan": plan.id,
        "status": "active",
        "seats_granted": plan.seats_for(approved["expected_learners"]),
        "seats_used": 0,
        "seats_waiting": 0,
        "admin_email": approved["admin_email"],
        "institution_name": (approved.get("name") or "")[:200],
        "languages": list(approved.get("languages") or []),
        "timezone": approved.get("timezone") or "UTC",
        "starts_at": now,
        "ends_at": now + timedelta(days=plan.days),
        "created_at": now,
    }])
    licence = session.scalars(
        select(Licence).where(
            Licence.institution_id == approved["institution_id"],
            Licence.plan == plan.id,
        )
    ).one()
    return Issued(licence, created=bool(created))


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


def seat_learners(
    session: Session, institution_id: str, learner_ids: list[str], now: datetime,
) -> Seating:
    """Queue the learners in arrival order, then seat the first waiting ones.

    When nobody waits and seats are free (every roster of a surge), the first new
    learners go in seated: one insert, not an insert and an update of the same rows.
    """
    licence = licence_of(session, institution_id, lock=True)  # serialises batches
    counts = seat_counts(licence)
    free = licence.seats_granted - counts.get(SEATED, 0)
    direct = free if not counts.get(WAITING) and running(licence, now) else 0
    arriving = list(dict.fromkeys(learner_ids))  # a learner twice in a batch: once
    order = {lid: n for n, lid in enumerate(arriving)}  # of their seqs too
    queued = sorted(bulk_insert(session.connection(), Seat.__table__, [
        {"licence_id": licence.id, "learner_id": lid, "enrolled_at": now,
         **({"status": SEATED, "seated_at": now} if n < direct
            else {"status": WAITING, "seated_at": None})}
        for n, lid in enumerate(arriving)
    ], ignore_conflicts=True, returning=("learner_id", "status"),
        expect_new=True), key=lambda seat: order[seat[0]])  # a conflict: redelivered
    seated = [lid for lid, status in queued if status == SEATED]
    counts[SEATED] = counts.get(SEATED, 0) + len(seated)
    counts[WAITING] = counts.get(WAITING, 0) + len(queued) - len(seated)
    # seats left free by learners already on the licence (a redelivered batch)
    moved_up, counts = fill_free_seats(session, licence, now, counts)
    seated += moved_up
    if not counts.get(WAITING):
        waitlisted = []
    elif len(queued) == len(arriving):  # all new: those not seated now wait
        seated_now = set(moved_up)
        waitlisted = [lid for lid, status in queued
                      if status == WAITING and lid not in seated_now]
    else:  # some were on the licence already: ask (a big import's waiting list is
        # long, and this query scans it)
        waitlisted = list(session.scalars(
            select(Seat.learner_id).where(
                Seat.licence_id == licence.id, Seat.status == WAITING,
                Seat.learner_id.in_(learner_ids),
            ).order_by(Seat.seq)
        ))
    return Seating(
        licence.id, institution_id, seated, waitlisted,
        counts.get(SEATED, 0), licence.seats_granted, counts.get(WAITING, 0),
    )


def fill_free_seats(
    session: Session, licence: Licence, now: datetime,
    counts: dict[str, int] | None = None,
) -> tuple[list[str], dict[str, int]]:
    """Seat waiting learners first come, first served, up to the seats granted; the
    learners seated, and the licence's seats by status afterwards (``counts``: the
    seats by status now, when the caller changed them; the licence keeps them).

    The caller holds the licence's row lock.
    """
    counts = seat_counts(licence) if counts is None else dict(counts)
    free = licence.seats_granted - counts.get(SEATED, 0)
    if free <= 0 or not counts.get(WAITING) or not running(licence, now):
        keep_counts(licence, counts)
        return [], counts
    seats = Seat.__table__  # Core, not the ORM's bulk update: no session to sync
    first_waiting = (
        select(seats.c.seq)
        .where(seats.c.licence_id == licence.id, seats.c.status == "waiting")
        .order_by(seats.c.seq)
        .limit(free)
        .scalar_subquery()
    )
    rows = session.execute(
        update(seats)
        .where(seats.c.seq.in_(first_waiting))
        .values(status="seated", seated_at=now)
        .returning(seats.c.learner_id, seats.c.seq)
    ).all()
    seated = [r.learner_id for r in sorted(rows, key=lambda r: r.seq)]
    counts[SEATED] = counts.get(SEATED, 0) + len(seated)
    counts[WAITING] -= len(seated)
    keep_counts(licence, counts)
    return seated, counts


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


def running(licence: Licence, now: datetime) -> bool:
    """Active and not yet at its end (the timer may not have marked it expired yet)."""
    return licence.status == ACTIVE and licence.ends_at > now


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


def ensure_running(licence: Licence, now: datetime) -> None:
    """Operators change only a running licence: a revoked or ended one is final."""
    if licence.status != ACTIVE:
        raise Conflict(f"licence {licence.id} is {licence.status}")
    if licence.ends_at <= now:
        raise Conflict(
            f"licence {licence.id} ended on {licence.ends_at.isoformat()}"
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
class SeatsAdded:
    licence: Licence
    licence_id: str
    institution_id: str
    added: int
    seats_granted: int
    seating: Seating  # the waiting learners seated by the new seats


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


def add_seats(
    session: Session, plans: dict[str, Plan], licence_id: str, seats: int,
    now: datetime,
) -> SeatsAdded:
    """Grant ``seats`` more seats (up to the plan's maximum); seat the waiting first."""
    licence = licence_by_id(session, licence_id, lock=True)
    ensure_running(licence, now)
    plan = plans.get(licence.plan)
    if plan is None:
        raise UnknownPlan(f"no plan {licence.plan!r} in plans.yml")
    room = plan.max_seats - licence.seats_granted
    if seats > room:
        raise Invalid({"seats": [
            f"at most {max(room, 0)} more: the {plan.label} plan allows "
            f"{plan.max_seats} seats and this licence has {licence.seats_granted}"
        ]})
    licence.seats_granted += seats
    session.flush()
    seated, counts = fill_free_seats(session, licence, now)
    seating = Seating(
        licence.id, licence.institution_id, seated, [], counts.get(SEATED, 0),
        licence.seats_granted, counts.get(WAITING, 0),
    )
    return SeatsAdded(
        licence, licence.id, licence.institution_id, seats, licence.seats_granted,
        seating,
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


# -- learners leaving ---------------------------------------------------------------
@dataclass(frozen=True)
class Released:
    licence_id: str
    institution_id: str
    learner_ids: list[str]  # those that held a seat, in the order they were seated
    seats_used: int  # once they left, before the waiting learners moved up
    left_waiting: list[str]  # those that were still waiting
    seating: Seating  # the waiting learners seated in their place


def release_learners(
    session: Session, institution_id: str, learner_ids: list[str], now: datetime
) -> Released | None:
    """Free the seats and waiting places of learners who left; seat the next waiting.

    None when the institution holds no licence: there is nothing to release.
    """
    try:
        licence = licence_of(session, institution_id, lock=True)
    except NotFound:
        return None
    gone = session.execute(
        delete(Seat)
        .where(Seat.licence_id == licence.id,
               Seat.learner_id.in_(sorted(set(learner_ids))))
        .returning(Seat.learner_id, Seat.status, Seat.seq)
    ).all()
    gone = sorted(gone, key=lambda r: r.seq)
    counts = seat_counts(licence)
    for row in gone:
        counts[row.status] -= 1
    seated, counts = fill_free_seats(session, licence, now, counts)
    used = counts.get(SEATED, 0) - len(seated)  # before the waiting moved up
    return Released(
        licence.id, institution_id,
        [r.learner_id for r in gone if r.status == SEATED], used,
        [r.learner_id for r in gone if r.status == WAITING],
        Seating(licence.id, institution_id, seated, [], counts.get(SEATED, 0),
                licence.seats_granted, counts.get(WAITING, 0)),
    )


# -- time: warnings before the end, and the end -------------------------------------
@dataclass(frozen=True)
class Expiring:
    licence: Licence
    licence_id: str
    institution_id: str
    ends_at: datetime
    days_left: int
    days_before: int  # the plan's warning point that was reached


@dataclass(frozen=True)
class Expired:
    licence: Licence
    licence_id: str
    institution_id: str
    expired_at: datetime


def reach_licence_ends(
    session: Session, plans: dict[str, Plan], now: datetime, limit: int = 500
) -> list[Expiring | Expired]:
    """Expire the licences whose end has come and warn those at a warning point.

    Exactly once per licence and point, however many timers run and however often:
    a notice is announced only by the transaction that inserts its row
    (licence, end, point). Rows are taken ``FOR UPDATE SKIP LOCKED`` so that copies
    share the work instead of queueing behind each other. At most ``limit`` notices
    a call; call again while it returns ``limit``.
    """
    reached: list[Expiring | Expired] = []
    due = session.scalars(
        select(Licence)
        .where(Licence.status == ACTIVE, Licence.ends_at <= now)
        .order_by(Licence.ends_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for licence in due:
        if record_notice(session, licence, 0, now):
            licence.status = EXPIRED
            reached.append(Expired(licence, licence.id, licence.institution_id,
                                   licence.ends_at))
    for plan in plans.values():
        # the closest point first: a licence found between 3 and 14 days gets the
        # 14-day warning, one found with 2 days left only the 3-day one
        closer = 0
        for point in sorted(set(plan.warn_days_before_end)):
            if len(reached) >= limit:
                break
            reached += warn_at_point(
                session, plan, closer, point, now, limit - len(reached)
            )
            closer = point
    session.flush()
    return reached


def warn_at_point(
    session: Session, plan: Plan, closer: int, point: int, now: datetime, limit: int
) -> list[Expiring]:
    """Licences of ``plan`` ending in (closer, point] days, not yet warned there."""
    warned = exists().where(
        Notice.licence_id == Licence.id,
        Notice.ends_at == Licence.ends_at,
        Notice.days_before <= point,  # this point, or a closer one already reached
    )
    licences = session.scalars(
        select(Licence)
        .where(
            Licence.plan == plan.id,
            Licence.status == ACTIVE,
            Licence.ends_at > now + timedelta(days=closer),
            Licence.ends_at <= now + timedelta(days=point),
            ~warned,
        )
        .order_by(Licence.ends_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    return [
        Expiring(licence, licence.id, licence.institution_id, licence.ends_at,
                 days_until(licence.ends_at, now), point)
        for licence in licences
        if record_notice(session, licence, point, now)
    ]


def record_notice(
    session: Session, licence: Licence, days_before: int, now: datetime
) -> bool:
    """True for the one transaction that records this point of this end."""
    return bool(insert_ignore(session, Notice.__table__, [{
        "licence_id": licence.id, "ends_at": licence.ends_at,
        "days_before": days_before, "noticed_at": now,
    }]))


def language_of(licence: Licence) -> str:
    """The admin's language, chosen as onboarding chose it for the invitation."""
    return "fr" if list(licence.languages or []) == ["fr"] else "en"
