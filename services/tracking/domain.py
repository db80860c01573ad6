"""Progress, completion and skills; monitoring over tracking's own tables.

Plain functions on a Session, with ``now`` passed in; no nameko here.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, case, func, select, tuple_, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

from services.common.bulk import bulk_insert, insert_ignore, insert_ignore_returning
from services.common.ids import new_id
from services.common.periods import days_until

from .contracts.errors import Forbidden, Invalid
from .models import (
    ChapterDone,
    Course,
    CourseState,
    Learner,
    Licence,
    Progress,
    SkillAcquired,
)

ACTIVE_DAYS = 7
STALLED_DAYS = 14
STALLED_LISTED = 100


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
    # the seat event may have come first and created a bare row: fill in its details
    session.execute(
        t.update().where(t.c.id == bindparam("b_id"), t.c.email.is_(None)).values(
            email=bindparam("b_email"), first_name=bindparam("b_first_name"),
            last_name=bindparam("b_last_name"), cohort=bindparam("b_cohort"),
            external_id=bindparam("b_external_id"),
        ),
        [{f"b_{k}": row[k] for k in ("id", "email", "first_name", "last_name", "cohort",
                                     "external_id")} for row in known],
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


# -- licences: every fact keeps its time, the status is derived -----------------------
def licence_status(licence: Licence) -> str:
    """Independent of the order the events arrived in; revoked is final."""
    if licence.revoked_at is not None:
        return "revoked"
    if licence.expired_at is not None and (
        licence.extended_at is None or licence.extended_at <= licence.expired_at
    ):
        return "expired"  # an extension decided after the expiry reopens the licence
    if licence.starts_at is None or licence.ends_at is None:
        return "pending"  # a lifecycle event came before licence.issued.v1
    return "active"


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


# -- progress -------------------------------------------------------------------------
@dataclass(frozen=True)
class Recorded:
    progress: dict
    duplicate: bool
    completed: dict | None = None
    skills: list[dict] = field(default_factory=list)


def licence_for(session: Session, institution_id: str) -> Licence | None:
    return session.scalars(
        select(Licence).where(Licence.institution_id == institution_id)
        .order_by(Licence.starts_at.desc().nulls_last()).limit(1)
    ).first()


def check_licence(licence: Licence | None, now: datetime) -> Licence:
    """The institution's licence if it is active now; Forbidden saying why if not."""
    if licence is None:
        raise Forbidden("no_licence", "the institution holds no licence yet")
    check_licence_state(licence.status, licence.ends_at, now)
    return licence


def check_licence_state(status: str | None, ends_at: datetime | None,
                        now: datetime) -> None:
    """``status`` None: no licence row at all."""
    if status is None or status == "pending":
        raise Forbidden("no_licence", "the institution holds no licence yet")
    if status == "revoked":
        raise Forbidden("licence_revoked", "the institution's licence was revoked")
    if status == "expired" or ends_at is None or ends_at <= now:
        raise Forbidden("licence_expired", "the institution's licence has expired")


# The hot path reads and writes with Core statements built once, on the session's
# connection: building SQL expressions and the ORM's unit of work cost more than
# the SQL itself here (bench/progress_hot_path.py measures it).
_L, _LIC, _C, _S = (Learner.__table__, Licence.__table__, Course.__table__,
                    CourseState.__table__)
_P, _CH, _SK = Progress.__table__, ChapterDone.__table__, SkillAcquired.__table__

_STATE_UPDATE = _S.update().where(
    _S.c.learner_id == bindparam("b_learner_id"),
    _S.c.course_id == bindparam("b_course_id"))


def _validate(gate: _Gate | None, request: dict, now: datetime) -> None:
    if gate is None or not gate.seated or gate.removed_at is not None:
        raise Forbidden(
            "no_seat", "you do not hold a seat on your institution's licence"
        )
    check_licence_state(gate.licence_status, gate.licence_ends_at, now)
    if gate.course_id is None or gate.course_status != "published":
        raise Invalid({"course_id": ["unknown course"]})
    kind = request["kind"]
    if kind == "chapter_completed":
        if not request.get("chapter_id"):
            raise Invalid({"chapter_id": ["required for chapter_completed"]})
        if request["chapter_id"] not in gate.chapters:
            raise Invalid({"chapter_id": ["not a chapter of this course"]})
    if kind == "quiz_submitted":
        if gate.pass_mark is None:
            raise Invalid({"kind": ["this course has no final quiz"]})
        if request.get("score") is None:
            raise Invalid({"score": ["required for quiz_submitted"]})


def record_progress(
    session: Session, learner_id: str, request: dict, now: datetime
) -> Recorded:
    """Accept one record (``record_batch`` of one): Forbidden or Invalid if refused.

    The learner's totals (courses started and completed, skills, last activity) are
    updated here, in the same transaction, so that dashboards never count records.
    """
    outcome, = record_batch(session, [(learner_id, request)], now)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


# -- a batch of records, with a fixed number of statements --------------------------
_LEARNERS_LOCKED = (
    select(_L.c.id, _L.c.institution_id, _L.c.seated, _L.c.removed_at,
           _L.c.last_activity_at)
    .where(_L.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_L.c.id)
    .with_for_update()
)
_LICENCES = (
    select(_LIC.c.institution_id, _LIC.c.status, _LIC.c.ends_at)
    .where(_LIC.c.institution_id.in_(bindparam("ids", expanding=True)))
    .order_by(_LIC.c.starts_at.desc().nulls_last())
)
_COURSES = select(
    _C.c.id, _C.c.status, _C.c.chapters, _C.c.skills, _C.c.pass_mark,
).where(_C.c.id.in_(bindparam("ids", expanding=True)))
_STATES = select(_S.c.learner_id, _S.c.course_id, _S.c.chapters_done, _S.c.best_score,
                 _S.c.completed_at).where(
    tuple_(_S.c.learner_id, _S.c.course_id).in_(bindparam("pairs", expanding=True)))
_PROGRESS_BY_IDS = select(_P).where(_P.c.id.in_(bindparam("ids", expanding=True)))
_LEARNER_TOTALS_BATCH = _L.update().where(_L.c.id == bindparam("b_id")).values(
    last_activity_at=case(
        (_L.c.last_activity_at.is_(None), bindparam("b_now")),
        (_L.c.last_activity_at < bindparam("b_now"), bindparam("b_now")),
        else_=_L.c.last_activity_at),
    courses_started=_L.c.courses_started + bindparam("b_started"),
    courses_completed=_L.c.courses_completed + bindparam("b_completed"),
    skills_acquired=_L.c.skills_acquired + bindparam("b_skills"),
)


@dataclass
class _Gate:
    """What ``_validate`` and ``is_complete`` read: one learner, one course."""

    institution_id: str
    seated: bool
    removed_at: datetime | None
    licence_status: str | None
    licence_ends_at: datetime | None
    course_id: str | None
    course_status: str | None
    chapters: list
    skills: list
    pass_mark: int | None
    chapters_done: int
    best_score: int | None
    completed_at: datetime | None
    state_learner: str | None


def _inserted(conn: Connection, table: Table, rows: list[dict], *key: str) -> set:
    """INSERT … ON CONFLICT DO NOTHING of ``rows`` (first of each key only); the keys
    of the rows inserted."""
    first = {tuple(r[k] for k in key): r for r in reversed(rows)}
    if not first:
        return set()
    return set(bulk_insert(conn, table, list(first.values()), ignore_conflicts=True,
                           returning=key))


def record_batch(
    session: Session, items: list[tuple[str, dict]], now: datetime,
) -> list[Recorded | Forbidden | Invalid]:
    """Accept records as if one after another, in the order given; a refused record
    (Forbidden, Invalid, returned in its place) changes nothing.

    About ten statements whatever the batch's size: the learners (locked, in id order),
    licences, courses and course states are read once; progress, chapters and skills
    are inserted once each (``RETURNING`` says which rows are new); states and
    per-learner totals are written once per learner and course.
    """
    if not items:
        return []
    conn = session.connection()
    learners = {r.id: r for r in conn.execute(
        _LEARNERS_LOCKED, {"ids": sorted({lid for lid, _ in items})})}
    licences: dict[str, Row] = {}
    if learners:
        for row in conn.execute(_LICENCES, {"ids": sorted(
                {r.institution_id for r in learners.values()})}):
            licences.setdefault(row.institution_id, row)  # the newest first
    courses = {r.id: r for r in conn.execute(
        _COURSES, {"ids": sorted({req["course_id"] for _, req in items})})}
    pairs = sorted({(lid, req["course_id"]) for lid, req in items if lid in learners})
    states = {(r.learner_id, r.course_id): r
              for r in conn.execute(_STATES, {"pairs": pairs})} if pairs else {}

    outcomes: list = [None] * len(items)
    accepted: list[tuple[int, _Gate, dict]] = []
    for i, (learner_id, request) in enumerate(items):
        gate = _gate_of(learners.get(learner_id), licences, courses, states,
                        learner_id, request["course_id"])
        try:
            _validate(gate, request, now)
        except (Forbidden, Invalid) as exc:
            outcomes[i] = exc
            continue
        assert gate is not None
        kind = request["kind"]
        accepted.append((i, gate, {
            "id": request.get("id") or new_id(), "learner_id": learner_id,
            "institution_id": gate.institution_id, "course_id": request["course_id"],
            "kind": kind,
            "chapter_id": request.get("chapter_id") if kind == "chapter_completed"
            else None,
            "score": request.get("score") if kind == "quiz_submitted" else None,
            "recorded_at": now,
        }))

    # which records are new: the first of each id that the insert kept
    new_ids = {k for (k,) in _inserted(conn, _P, [r for _, _, r in accepted], "id")}
    first_by_id: dict[str, dict] = {}
    fresh: list[tuple[int, _Gate, dict]] = []
    for i, gate, record in accepted:
        if record["id"] in new_ids and record["id"] not in first_by_id:
            first_by_id[record["id"]] = record
            fresh.append((i, gate, record))
    known = [r["id"] for _, _, r in accepted if r["id"] not in first_by_id]
    stored = {r.id: dict(r._mapping) for r in conn.execute(
        _PROGRESS_BY_IDS, {"ids": sorted(set(known))})} if known else {}
    for i, _, record in accepted:
        if first_by_id.get(record["id"]) is record:
            continue
        original = first_by_id.get(record["id"]) or stored.get(record["id"])
        if original is None or original["learner_id"] != record["learner_id"]:
            outcomes[i] = Invalid({"id": ["this progress id is already used"]})
        else:
            outcomes[i] = Recorded(original, duplicate=True)

    # chapters: the rows each new record proposes; the insert says which are new
    proposed = {i: [
        {"learner_id": r["learner_id"], "course_id": r["course_id"], "chapter_id": c,
         "done_at": now}
        for c in ([r["chapter_id"]] if r["kind"] == "chapter_completed"
                  else gate.chapters if r["kind"] == "course_completed" else [])
    ] for i, gate, r in fresh}
    new_chapters = _inserted(
        conn, _CH, [row for rows in proposed.values() for row in rows],
        "learner_id", "course_id", "chapter_id")

    # each new record in turn, on the learner's state in that course as it goes
    progress: dict[tuple[str, str], _Gate] = {}
    completions: list[tuple[int, dict]] = []
    for i, gate, record in fresh:
        pair = (record["learner_id"], record["course_id"])
        current = progress.setdefault(pair, gate)
        for row in proposed[i]:
            key = (row["learner_id"], row["course_id"], row["chapter_id"])
            if key in new_chapters:
                new_chapters.discard(key)  # counted once, for the first record
                current.chapters_done += 1
        if record["kind"] == "quiz_submitted":
            current.best_score = max(current.best_score or 0, record["score"])
        if is_complete(current, current.chapters_done, current.best_score):
            current.completed_at = now
            completions.append((i, {
                "learner_id": record["learner_id"],
                "institution_id": gate.institution_id, "course_id": record["course_id"],
                "best_score": current.best_score, "completed_at": now}))

    # skills of the courses completed: once per learner and skill, first course first
    skill_rows = {
        i: [{"learner_id": c["learner_id"], "skill_id": skill,
             "institution_id": c["institution_id"], "course_id": c["course_id"],
             "acquired_at": now}
            for skill in progress[(c["learner_id"], c["course_id"])].skills]
        for i, c in completions}
    new_skills = _inserted(conn, _SK, [r for rows in skill_rows.values() for r in rows],
                           "learner_id", "skill_id")
    completed = dict(completions)
    skills: dict[int, list[dict]] = {}
    for i, _ in completions:
        for row in skill_rows[i]:
            key = (row["learner_id"], row["skill_id"])
            if key in new_skills:
                new_skills.discard(key)
                skills.setdefault(i, []).append(row)
    for i, _, record in fresh:
        outcomes[i] = Recorded(record, duplicate=False, completed=completed.get(i),
                               skills=skills.get(i, []))

    # course states and per-learner totals, once each
    started = [(pair, st) for pair, st in progress.items() if st.state_learner is None]
    if started:
        bulk_insert(conn, _S, [{
            "learner_id": lid, "course_id": cid, "institution_id": st.institution_id,
            "started_at": now, "chapters_done": st.chapters_done,
            "best_score": st.best_score, "completed_at": st.completed_at,
        } for (lid, cid), st in started])
    carried_on = [(pair, st) for pair, st in progress.items()
                  if st.state_learner is not None]
    if carried_on:
        conn.execute(_STATE_UPDATE, [{
            "b_learner_id": lid, "b_course_id": cid, "chapters_done": st.chapters_done,
            "best_score": st.best_score, "completed_at": st.completed_at,
        } for (lid, cid), st in carried_on])
    totals: dict[str, list[int]] = {}
    for (lid, _), st in progress.items():
        totals.setdefault(lid, [0, 0, 0])[0] += int(st.state_learner is None)
    for i, c in completions:
        totals[c["learner_id"]][1] += 1
        totals[c["learner_id"]][2] += len(skills.get(i, []))
    if totals:
        conn.execute(_LEARNER_TOTALS_BATCH, [
            {"b_id": lid, "b_now": now, "b_started": t[0], "b_completed": t[1],
             "b_skills": t[2]} for lid, t in sorted(totals.items())])
    return outcomes


def _gate_of(learner: Row | None, licences: dict, courses: dict, states: dict,
             learner_id: str, course_id: str) -> _Gate | None:
    if learner is None:
        return None
    licence, course = licences.get(learner.institution_id), courses.get(course_id)
    state = states.get((learner_id, course_id))
    return _Gate(
        institution_id=learner.institution_id, seated=learner.seated,
        removed_at=learner.removed_at,
        licence_status=licence.status if licence else None,
        licence_ends_at=licence.ends_at if licence else None,
        course_id=course.id if course else None,
        course_status=course.status if course else None,
        chapters=list(course.chapters or []) if course else [],
        skills=list(course.skills or []) if course else [],
        pass_mark=course.pass_mark if course else None,
        chapters_done=state.chapters_done if state else 0,
        best_score=state.best_score if state else None,
        completed_at=state.completed_at if state else None,
        state_learner=learner_id if state else None,
    )


def is_complete(gate: _Gate, chapters_done: int, best_score: int | None) -> bool:
    """Every chapter done and the final quiz (if any) passed, for the first time."""
    if gate.completed_at is not None:
        return False
    if chapters_done < len(gate.chapters):
        return False
    return gate.pass_mark is None or (best_score or 0) >= gate.pass_mark


def progress_view(p: Progress) -> dict:
    return {
        "id": p.id, "learner_id": p.learner_id, "institution_id": p.institution_id,
        "course_id": p.course_id, "kind": p.kind, "chapter_id": p.chapter_id,
        "score": p.score, "recorded_at": p.recorded_at,
    }


# -- learner views --------------------------------------------------------------------
def my_progress(session: Session, learner_id: str) -> list[dict]:
    rows = session.execute(
        select(CourseState, Course).join(Course, Course.id == CourseState.course_id)
        .where(CourseState.learner_id == learner_id).order_by(CourseState.started_at)
    ).all()
    return [{
        "course_id": state.course_id, "title": course.title,
        "chapters_done": state.chapters_done, "chapters_total": len(course.chapters),
        "best_score": state.best_score, "pass_mark": course.pass_mark,
        "started_at": state.started_at, "completed_at": state.completed_at,
    } for state, course in rows]


def my_skills(session: Session, learner_id: str) -> list[dict]:
    return [{
        "skill_id": s.skill_id, "course_id": s.course_id, "acquired_at": s.acquired_at,
    } for s in session.scalars(
        select(SkillAcquired).where(SkillAcquired.learner_id == learner_id)
        .order_by(SkillAcquired.acquired_at, SkillAcquired.skill_id)
    )]


# -- monitoring: dashboards, the learners table, the export ---------------------------
def monitored_licence(session: Session, institution_id: str, now: datetime) -> Licence:
    """Monitoring needs an active licence: Forbidden with the reason otherwise."""
    return check_licence(licence_for(session, institution_id), now)


def _on_roster(institution_id: str):
    return (Learner.institution_id == institution_id) & Learner.removed_at.is_(None)


def _stalled(stalled_before: datetime):
    """Seated, and nothing recorded for 14 days (or never, 14 days after enrolment)."""
    return Learner.seated.is_(True) & (
        (Learner.last_activity_at < stalled_before)
        | (Learner.last_activity_at.is_(None) & (Learner.enrolled_at < stalled_before))
    )


def _total(column):
    return func.coalesce(func.sum(column), 0)


def _flag(condition):
    return _total(case((condition, 1), else_=0))


COHORT_NUMBERS = ("learners", "seated", "active_7d", "courses_started",
                  "courses_completed", "skills_acquired")


def dashboard(
    session: Session, institution_id: str, now: datetime
) -> dict:
    """One pass over the institution's learner rows (their totals are maintained by
    ``record_progress``), plus the first 100 stalled learners."""
    licence = monitored_licence(session, institution_id, now)
    active_since = now - timedelta(days=ACTIVE_DAYS)
    stalled_before = now - timedelta(days=STALLED_DAYS)

    cohorts: list[dict] = []
    stalled_total = 0
    for row in session.execute(
        select(
            func.coalesce(Learner.cohort, "").label("cohort"),
            func.count().label("learners"),
            _flag(Learner.seated.is_(True)).label("seated"),
            _flag(Learner.last_activity_at >= active_since).label("active_7d"),
            _total(Learner.courses_started).label("courses_started"),
            _total(Learner.courses_completed).label("courses_completed"),
            _total(Learner.skills_acquired).label("skills_acquired"),
            _flag(_stalled(stalled_before)).label("stalled"),
        )
        .where(_on_roster(institution_id))
        .group_by(func.coalesce(Learner.cohort, ""))
        .order_by(func.coalesce(Learner.cohort, ""))
    ):
        cohorts.append({"cohort": row.cohort, **{k: int(getattr(row, k))
                                                 for k in COHORT_NUMBERS}})
        stalled_total += int(row.stalled)

    stalled = [{
        "learner_id": lr.id, "email": lr.email, "first_name": lr.first_name,
        "last_name": lr.last_name, "cohort": lr.cohort,
        "last_activity_at": lr.last_activity_at,
    } for lr in session.scalars(
        select(Learner).where(_on_roster(institution_id), _stalled(stalled_before))
        .order_by(Learner.last_activity_at.nullsfirst(), Learner.email, Learner.id)
        .limit(STALLED_LISTED)
    )]

    totals = {key: sum(b[key] for b in cohorts) for key in COHORT_NUMBERS}
    return {
        "institution_id": institution_id,
        "licence": {
            "id": licence.id, "status": licence.status,
            "seats_granted": licence.seats_granted, "seats_used": totals["seated"],
            "seats_left": max(0, licence.seats_granted - totals["seated"]),
            "ends_at": licence.ends_at,
            "days_left": days_until(licence.ends_at, now),
        },
        "totals": totals,
        "cohorts": cohorts,
        "stalled": stalled,
        "stalled_total": stalled_total,
        "generated_at": now,
    }


def encode_cursor(learner: Learner) -> str:
    raw = json.dumps([learner.last_name or "", learner.first_name or "", learner.id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
        if (isinstance(key, list) and len(key) == 3
                and all(isinstance(k, str) for k in key)):
            return key[0], key[1], key[2]
    except (ValueError, UnicodeDecodeError):
        pass
    raise Invalid({"cursor": ["not a cursor from this list: start again without it"]})


def learners_page(
    session: Session, institution_id: str, now: datetime, *, limit: int = 50,
    cursor: str | None = None, cohort: str | None = None,
) -> dict:
    """The learners table: pages in (last name, first name, id) order, keyset cursor."""
    monitored_licence(session, institution_id, now)
    return learner_rows(
        session, institution_id, limit=limit, cursor=cursor, cohort=cohort
    )


def learner_rows(
    session: Session, institution_id: str, *, limit: int, cursor: str | None = None,
    cohort: str | None = None,
) -> dict:
    query = select(Learner).where(_on_roster(institution_id))
    if cohort is not None:
        query = query.where(Learner.cohort == cohort)
    if cursor:
        query = query.where(
            tuple_(Learner.last_name, Learner.first_name, Learner.id)
            > tuple_(*decode_cursor(cursor))
        )
    learners = list(session.scalars(
        query.order_by(Learner.last_name, Learner.first_name, Learner.id)
        .limit(limit + 1)
    ))
    more = len(learners) > limit
    learners = learners[:limit]
    skills: dict[str, list[str]] = {}
    if learners:
        for learner_id, skill_id in session.execute(
            select(SkillAcquired.learner_id, SkillAcquired.skill_id)
            .where(SkillAcquired.learner_id.in_([lr.id for lr in learners]))
            .order_by(SkillAcquired.learner_id, SkillAcquired.acquired_at,
                      SkillAcquired.skill_id)
        ):
            skills.setdefault(learner_id, []).append(skill_id)
    return {
        "items": [{
            "learner_id": lr.id, "email": lr.email, "first_name": lr.first_name,
            "last_name": lr.last_name, "cohort": lr.cohort,
            "external_id": lr.external_id,
            "seated": lr.seated, "last_activity_at": lr.last_activity_at,
            "courses_started": lr.courses_started or 0,
            "courses_completed": lr.courses_completed or 0,
            "skills_acquired": lr.skills_acquired or 0,
            "skills": skills.get(lr.id, []),
        } for lr in learners],
        "next_cursor": encode_cursor(learners[-1]) if more else None,
    }

