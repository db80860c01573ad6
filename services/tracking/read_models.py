"""Tracking's read models, kept from other services' events: courses, learners
(roster, seat, removal) and licences.

Events of different types arrive in any order: each fact keeps its time, and a newer
fact is never undone by an older one arriving late. Plain functions on a Session;
the times are the events' own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from services.common.bulk import bulk_insert, insert_ignore, insert_ignore_returning

from .licences import licence_status
from .models import Course, Learner, Licence


# -- read models, from events ---------------------------------------------------------
def upsert_course(session: Session, course: dict) -> None:
    existing = session.get(Course, course["id"], with_for_update=True)
    quiz = course.get("quiz")
    values = {
        "title": course["title"],
        "status": course["status"],
        "chapters": [c["id"] for c in course["chapters"]],
        "skills": list(course["skills"]),
        "pass_mark": quiz["pass_mark"] if quiz else None,
        "updated_at": course["updated_at"],
    }
    if existing is None:
        session.add(Course(id=course["id"], **values))
    elif existing.updated_at <= course["updated_at"]:  # an older event changes nothing
        for key, value in values.items():
            setattr(existing, key, value)


def retire_course(session: Session, course_id: str, retired_at: datetime) -> None:
    session.execute(
        update(Course).where(Course.id == course_id, Course.updated_at <= retired_at)
        .values(status="retired", updated_at=retired_at)
    )


def enrol_learners(
    session: Session, institution_id: str, learners: list[dict],
    at: datetime,
) -> None:
    enrol_rosters(session, [(institution_id, learners, at)])


def enrol_rosters(
    session: Session, rosters: list[tuple[str, list[dict], datetime]],
) -> None:
    """learners.enrolled.v1, for a batch of events: (institution, learners, when)
    each, in one insert; a learner in two of them is enrolled by the first."""
    rows: dict[str, dict] = {}
    for institution_id, learners, now in rosters:
        for new in learners:
            rows.setdefault(new["learner_id"], {
                "id": new["learner_id"], "institution_id": institution_id,
                "email": new["email"],
                "first_name": new["first_name"], "last_name": new["last_name"],
                "cohort": new["cohort"], "external_id": new.get("external_id"),
                "seated": False, "enrolled_at": now,
            })
    inserted = insert_ignore_returning(session, Learner.__table__, list(rows.values()),
                                       "id", expect_new=True)
    known = [row for row in rows.values() if row["id"] not in inserted]
    if not known:
        return
    t = Learner.__table__
    # the seat event may have come first and created a bare row: fill in its details,
    # and the time of the enrolment (the bare row took the seat's): the row is the
    # same whichever event came first (a rebuild replays them in another order)
    session.execute(
        t.update().where(t.c.id == bindparam("b_id"), t.c.email.is_(None)).values(
            email=bindparam("b_email"), first_name=bindparam("b_first_name"),
            last_name=bindparam("b_last_name"), cohort=bindparam("b_cohort"),
            external_id=bindparam("b_external_id"),
            enrolled_at=bindparam("b_enrolled_at"),
        ),
        [{f"b_{k}": row[k] for k in ("id", "email", "first_name", "last_name", "cohort",
                                     "external_id", "enrolled_at")} for row in known],
    )


def set_seated(
    session: Session, institution_id: str, learner_ids: list[str], seated: bool,
    at: datetime,
) -> None:
    """seats.assigned.v1 / seats.released.v1: a learner's newest seat event wins."""
    set_seats(session, [(institution_id, learner_ids, seated, at)])


def set_seats(
    session: Session, changes: list[tuple[str, list[str], bool, datetime]],
) -> None:
    """Seat events, a batch of them: (institution, learners, seated, when) each.

    One statement: a learner whose enrolment has not arrived yet gets a bare row
    (names filled in later), the others are updated unless a newer event came first.
    A learner in several changes gets the newest (a row is set once per statement).
    """
    rows: dict[str, dict] = {}
    for institution_id, learner_ids, seated, at in changes:
        for lid in learner_ids:
            if lid not in rows or rows[lid]["seat_changed_at"] <= at:
                rows[lid] = {"id": lid, "institution_id": institution_id,
                             "seated": seated, "seat_changed_at": at, "enrolled_at": at,
                             "first_name": "", "last_name": ""}
    bulk_insert(session.connection(), Learner.__table__, list(rows.values()),
                update=("seated", "seat_changed_at"), update_where=(
        "learners.seat_changed_at IS NULL"
        " OR learners.seat_changed_at <= excluded.seat_changed_at"))


def assign_seats(session: Session, facts: list[tuple[dict, datetime]]) -> None:
    """seats.assigned.v1, a batch of events (data, when): the licence's figure of
    seats granted, then each learner's seat."""
    grant_seats_many(session, facts)
    set_seats(session, [
        (data["institution_id"], data["learner_ids"], True, at) for data, at in facts])


def seat(session: Session, institution_id: str, learner_ids: list[str],
         at: datetime) -> None:
    set_seated(session, institution_id, learner_ids, True, at)


def unseat(session: Session, institution_id: str, learner_ids: list[str],
           at: datetime) -> None:
    set_seated(session, institution_id, learner_ids, False, at)


def remove_learners(
    session: Session, institution_id: str, learner_ids: list[str], removed_at: datetime,
) -> None:
    """learners.removed.v1: hidden from lists and dashboards, no more progress.

    Their records stay (a removal is not an erasure); onboarding gives a learner who
    comes back a new id, so a removal is final for this one.
    """
    insert_ignore(session, Learner.__table__, [
        {"id": lid, "institution_id": institution_id, "seated": False,
         "enrolled_at": removed_at, "first_name": "", "last_name": ""}
        for lid in learner_ids
    ])
    session.execute(
        update(Learner).where(
            Learner.id.in_(learner_ids), Learner.institution_id == institution_id,
            Learner.removed_at.is_(None),
        ).values(removed_at=removed_at)
    )


# -- licences: every fact keeps its time, the status is derived (licences.py) ------
def _licence(session: Session, licence_id: str, institution_id: str,
             at: datetime) -> Licence:
    """The licence row, locked; a pending one if no event about it was seen yet."""
    insert_ignore(session, Licence.__table__, [{
        "id": licence_id, "institution_id": institution_id, "status": "pending",
        "seats_granted": 0, "updated_at": at,
    }])
    licence = session.get(
        Licence, licence_id, with_for_update=True, populate_existing=True
    )
    assert licence is not None
    return licence


def _settle(licence: Licence, at: datetime) -> None:
    licence.status = licence_status(licence)
    if licence.updated_at is None or licence.updated_at < at:
        licence.updated_at = at


def upsert_licence(session: Session, licence: dict, at: datetime | None = None) -> None:
    """licence.issued.v1. A ``status`` of revoked or expired is applied as those
    events would be, at ``at`` (default: the start), so fixtures can build any state.
    """
    at = at or licence["starts_at"]
    row = _licence(session, licence["licence_id"], licence["institution_id"], at)
    row.starts_at = licence["starts_at"]
    if row.extended_at is None:  # an extension already applied moved the end
        row.ends_at = licence["ends_at"]
    row.seats_granted = max(row.seats_granted or 0, licence["seats"])
    status = licence.get("status", "active")
    if status == "revoked" and row.revoked_at is None:
        row.revoked_at = at
    if status == "expired" and row.expired_at is None:
        row.expired_at = at
    _settle(row, at)


def extend_licence(session: Session, data: dict) -> None:
    """licence.extended.v1: the newest extension sets the end."""
    at = data["extended_at"]
    row = _licence(session, data["licence_id"], data["institution_id"], at)
    if row.extended_at is None or row.extended_at <= at:
        row.extended_at, row.ends_at = at, data["ends_at"]
    _settle(row, at)


def revoke_licence(session: Session, data: dict) -> None:
    at = data["revoked_at"]
    row = _licence(session, data["licence_id"], data["institution_id"], at)
    if row.revoked_at is None or at < row.revoked_at:
        row.revoked_at = at
    _settle(row, at)


def expire_licence(session: Session, data: dict) -> None:
    at = data["expired_at"]
    row = _licence(session, data["licence_id"], data["institution_id"], at)
    if row.expired_at is None or row.expired_at < at:
        row.expired_at = at
    _settle(row, at)


def grant_seats(session: Session, data: dict, at: datetime) -> None:
    """seats.added.v1 (and seats.assigned.v1's figure): seats only ever grow."""
    grant_seats_many(session, [(data, at)])


def grant_seats_many(session: Session, facts: list[tuple[dict, datetime]]) -> None:
    """``grant_seats`` for a batch of events, in one statement that writes nothing
    where the figure is known already (every batch of a roster repeats it); a licence
    not seen yet is pending, as in ``_licence``."""
    rows: dict[str, dict] = {}
    for data, at in facts:
        known = rows.get(data["licence_id"])
        if known is None or known["seats_granted"] < data["seats_granted"]:
            rows[data["licence_id"]] = {
                "id": data["licence_id"], "institution_id": data["institution_id"],
                "status": "pending", "seats_granted": data["seats_granted"],
                "updated_at": at}
    bulk_insert(session.connection(), Licence.__table__, list(rows.values()),
                update=("seats_granted", "updated_at"),
                update_where="licences.seats_granted < excluded.seats_granted")
