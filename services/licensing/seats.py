"""Seats in plain code: seating learners in arrival order, the waiting list, seats
added and given back; set-based SQL, one batch a transaction.

Every change to a licence's seats first locks the licence row (see ``licences``).
The time is always the caller's ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from services.common.bulk import bulk_insert

from .contracts.errors import Invalid, NotFound, UnknownPlan
from .licences import (
    SEATED,
    WAITING,
    ensure_running,
    keep_counts,
    licence_by_id,
    licence_of,
    running,
    seat_counts,
)
from .models import Licence, Seat
from .plans import Plan

BATCH = 1000  # the most learner ids one seats event carries (its schema's limit)


def in_batches(ids: list[str], size: int = BATCH) -> list[list[str]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


@dataclass(frozen=True)
class SeatsAssigned:
    licence_id: str
    institution_id: str
    learner_ids: list[str]
    seats_used: int
    seats_granted: int


@dataclass(frozen=True)
class SeatsWaitlisted:
    licence_id: str
    institution_id: str
    learner_ids: list[str]
    waiting: int


@dataclass(frozen=True)
class SeatsReleased:
    licence_id: str
    institution_id: str
    learner_ids: list[str]
    seats_used: int


@dataclass(frozen=True)
class Seating:
    licence_id: str
    institution_id: str
    seated: list[str]
    waitlisted: list[str]
    seats_used: int
    seats_granted: int
    waiting: int

    @property
    def assignments(self) -> list[SeatsAssigned]:
        """The learners seated, in batches an event carries."""
        return [SeatsAssigned(self.licence_id, self.institution_id, ids,
                              self.seats_used, self.seats_granted)
                for ids in in_batches(self.seated)]

    @property
    def waitlistings(self) -> list[SeatsWaitlisted]:
        """The learners who joined the waiting list, in batches an event carries."""
        return [SeatsWaitlisted(self.licence_id, self.institution_id, ids,
                                self.waiting)
                for ids in in_batches(self.waitlisted)]


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


# -- operator actions ---------------------------------------------------------------
@dataclass(frozen=True)
class SeatsAdded:
    licence: Licence
    licence_id: str
    institution_id: str
    added: int
    seats_granted: int
    seating: Seating  # the waiting learners seated by the new seats


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


# -- learners leaving ---------------------------------------------------------------
@dataclass(frozen=True)
class Released:
    licence_id: str
    institution_id: str
    learner_ids: list[str]  # those that held a seat, in the order they were seated
    seats_used: int  # once they left, before the waiting learners moved up
    left_waiting: list[str]  # those that were still waiting
    seating: Seating  # the waiting learners seated in their place

    @property
    def releases(self) -> list[SeatsReleased]:
        """The seats given back, in batches an event carries."""
        return [SeatsReleased(self.licence_id, self.institution_id, ids,
                              self.seats_used)
                for ids in in_batches(self.learner_ids)]


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
