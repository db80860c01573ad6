"""Recording progress: the gate (seat, licence, course), chapters done, course
completion and skills, and the per-learner totals monitoring reads.

Plain functions on a Session, with ``now`` passed in; no nameko here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Table, bindparam, case, select, tuple_
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

from services.common.bulk import bulk_insert
from services.common.ids import new_id

from .contracts.errors import Forbidden, Invalid
from .licences import check_licence_state
from .models import (
    ChapterDone,
    Course,
    CourseState,
    Learner,
    Licence,
    Progress,
    SkillAcquired,
)


@dataclass(frozen=True)
class Recorded:
    progress: dict
    duplicate: bool
    completed: dict | None = None
    skills: list[dict] = field(default_factory=list)

    def reply(self) -> dict:
        """What the caller is told: the record, and what it completed and acquired."""
        return {
            **self.progress,
            "duplicate": self.duplicate,
            "course_completed": self.completed is not None,
            "skills_acquired": [s["skill_id"] for s in self.skills],
        }


@dataclass(frozen=True)
class Announced:
    """What a batch of outcomes announces once committed: the payloads of
    ``progress.recorded.v1``, ``course.completed.v1`` and ``skill.acquired.v1``, and
    the reason of each record refused (for the metrics)."""

    recorded: list[dict]
    completed: list[dict]
    skills: list[dict]
    refused: list[str]


def announced(outcomes: list[Recorded | Forbidden | Invalid]) -> Announced:
    """A duplicate announces nothing: its events went out with the first."""
    recorded: list[dict] = []
    completed: list[dict] = []
    skills: list[dict] = []
    refused: list[str] = []
    for outcome in outcomes:
        if isinstance(outcome, Forbidden):
            refused.append(outcome.code)
        if not isinstance(outcome, Recorded) or outcome.duplicate:
            continue
        p = outcome.progress
        recorded.append({**p, "progress_id": p["id"]})
        if outcome.completed:
            completed.append(outcome.completed)
        skills += outcome.skills
    return Announced(recorded, completed, skills, refused)


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
