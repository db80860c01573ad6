"""Monitoring over tracking's own tables: an institution's dashboard, its learners
table (keyset pages, cursors) and the rows the export writes; a learner's own
progress and skills.

Plain functions on a Session, with ``now`` passed in; no nameko here.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_, select, tuple_
from sqlalchemy.orm import Session

from services.common.bulk import insert_ignore
from services.common.periods import days_until

from .contracts.errors import Forbidden, Invalid
from .licences import check_licence, licence_for
from .models import (
    ChapterDone,
    ActivityWeek,
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


def my_progress_page(session: Session, learner_id: str) -> dict:
    """``my_progress`` as the one page there is: a learner follows a few courses."""
    return {"items": my_progress(session, learner_id), "next_cursor": None}


def my_skills_page(session: Session, learner_id: str) -> dict:
    """``my_skills`` as the one page there is."""
    return {"items": my_skills(session, learner_id), "next_cursor": None}


def my_course(session: Session, learner_id: str, course_id: str) -> dict:
    """Which chapters of a course the learner did, the best quiz score, completion:
    what the learner's course page marks (an untouched course: nothing done)."""
    state = session.get(CourseState, (learner_id, course_id))
    done = session.scalars(
        select(ChapterDone.chapter_id).where(
            ChapterDone.learner_id == learner_id, ChapterDone.course_id == course_id)
        .order_by(ChapterDone.done_at, ChapterDone.chapter_id)
    ).all()
    return {"course_id": course_id, "chapters_done": list(done),
            "best_score": state.best_score if state else None,
            "completed_at": state.completed_at if state else None}


def standing(session: Session, learner_id: str, now: datetime) -> dict:
    """What a record would be refused for now, if anything: the licence first (what
    ended for everyone at the institution), then the learner's own seat."""
    learner = session.get(Learner, learner_id)
    if learner is None:
        return {"refused": "no_seat", "institution_id": None}
    refused = None
    try:
        check_licence(licence_for(session, learner.institution_id), now)
    except Forbidden as exc:
        refused = exc.code
    if refused is None and (not learner.seated or learner.removed_at is not None):
        refused = "no_seat"
    return {"refused": refused, "institution_id": learner.institution_id}


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
    cursor: str | None = None, cohort: str | None = None, q: str | None = None,
    status: str | None = None,
) -> dict:
    """The learners table: pages in (last name, first name, id) order, keyset cursor;
    ``q`` finds a part of a name or address, ``status`` keeps the seated, the
    waiting or the removed (who are listed only then)."""
    monitored_licence(session, institution_id, now)
    return learner_rows(session, institution_id, limit=limit, cursor=cursor,
                        cohort=cohort, q=q, status=status)


def _matching(q: str):
    """Rows whose e-mail, first or last name, or both names, contain ``q``."""
    pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%") \
        .replace("_", "\\_") + "%"
    first, last = (func.lower(func.coalesce(c, "")) for c in (Learner.first_name,
                                                             Learner.last_name))
    return or_(*(column.like(pattern, escape="\\") for column in (
        func.lower(func.coalesce(Learner.email, "")), first, last,
        first + " " + last, last + " " + first)))


def learner_rows(
    session: Session, institution_id: str, *, limit: int, cursor: str | None = None,
    cohort: str | None = None, q: str | None = None, status: str | None = None,
) -> dict:
    if status == "removed":
        query = select(Learner).where(Learner.institution_id == institution_id,
                                      Learner.removed_at.is_not(None))
    else:
        query = select(Learner).where(_on_roster(institution_id))
    if status in ("seated", "waiting"):
        query = query.where(Learner.seated.is_(status == "seated"))
    if cohort is not None:
        query = query.where(Learner.cohort == cohort)
    if q:
        query = query.where(_matching(q))
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


ACTIVITY_WEEKS = 8


def _counted_weeks(
    session: Session, institution_id: str, starts: list[datetime], end: datetime
) -> dict[int, tuple[int, int]]:
    """{week's place in ``starts``: (learners, records)} from the records between
    ``starts[0]`` and ``end``, in one pass grouped by week."""
    week = case(*((Progress.recorded_at >= start, n)
                  for n, start in reversed(list(enumerate(starts)))), else_=-1)
    return {int(w): (int(learners), int(records)) for w, learners, records in
            session.execute(
                select(week, func.count(func.distinct(Progress.learner_id)),
                       func.count())
                .where(Progress.institution_id == institution_id,
                       Progress.recorded_at >= starts[0], Progress.recorded_at < end)
                .group_by(week))}


def activity(
    session: Session, institution_id: str, now: datetime, weeks: int = ACTIVITY_WEEKS
) -> dict:
    """Learners who recorded progress, and records, per week (Monday to Sunday, UTC)
    over the last ``weeks`` weeks, the current one last.

    A week that is over takes no more records (each is stamped when accepted): it is
    counted once, the first time it is asked for, and kept (``ActivityWeek``); only
    the current week is counted on every call, from its own records."""
    monitored_licence(session, institution_id, now)
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0)
    starts = [monday - timedelta(weeks=weeks - 1 - n) for n in range(weeks)]
    days = [date(s.year, s.month, s.day) for s in starts]
    kept = {row.starts_on: (row.active_learners, row.records)
            for row in session.scalars(select(ActivityWeek).where(
                ActivityWeek.institution_id == institution_id,
                ActivityWeek.starts_on.in_(days[:-1])))}
    missing = [n for n, day in enumerate(days[:-1]) if day not in kept]
    if missing:
        first = missing[0]
        counted = _counted_weeks(session, institution_id, starts[first:-1], monday)
        rows = [{"institution_id": institution_id, "starts_on": days[n],
                 "active_learners": counted.get(n - first, (0, 0))[0],
                 "records": counted.get(n - first, (0, 0))[1]} for n in missing]
        insert_ignore(session, ActivityWeek.__table__, rows)  # a twin may beat us
        kept.update({r["starts_on"]: (r["active_learners"], r["records"])
                     for r in rows})
    kept[days[-1]] = _counted_weeks(session, institution_id, starts[-1:],
                                    monday + timedelta(weeks=1)).get(0, (0, 0))
    return {"weeks": [{"starts_on": day, "active_learners": kept[day][0],
                       "records": kept[day][1]} for day in days]}
