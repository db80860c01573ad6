"""Progress, completion and skills; dashboards over tracking's own tables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from services.common.db import insert_ignore, utcnow

from .exceptions import Forbidden, Invalid, NotFound
from .models import ChapterDone, Course, CourseState, Learner, Licence, Progress, SkillAcquired

ACTIVE_DAYS = 7
STALLED_DAYS = 14


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


def enrol_learners(session: Session, institution_id: str, learners: list[dict]) -> None:
    now = utcnow()
    rows = [{
        "id": l["learner_id"], "institution_id": institution_id, "email": l["email"],
        "first_name": l["first_name"], "last_name": l["last_name"],
        "cohort": l["cohort"], "external_id": l.get("external_id"),
        "seated": False, "enrolled_at": now,
    } for l in learners]
    insert_ignore(session, Learner.__table__, rows)
    for row in rows:  # the seat event may have come first and created a bare row
        session.execute(
            update(Learner).where(Learner.id == row["id"], Learner.email.is_(None))
            .values(email=row["email"], first_name=row["first_name"],
                    last_name=row["last_name"], cohort=row["cohort"],
                    external_id=row["external_id"])
        )


def seat(session: Session, institution_id: str, learner_ids: list[str]) -> None:
    now = utcnow()
    insert_ignore(session, Learner.__table__, [
        {"id": lid, "institution_id": institution_id, "seated": True, "enrolled_at": now}
        for lid in learner_ids
    ])
    session.execute(update(Learner).where(Learner.id.in_(learner_ids)).values(seated=True))


def upsert_licence(session: Session, licence: dict) -> None:
    values = {
        "institution_id": licence["institution_id"], "status": licence["status"],
        "seats_granted": licence["seats"], "starts_at": licence["starts_at"],
        "ends_at": licence["ends_at"],
    }
    existing = session.get(Licence, licence["licence_id"])
    if existing is None:
        session.add(Licence(id=licence["licence_id"], **values))
    else:
        for key, value in values.items():
            setattr(existing, key, value)


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
        .order_by(Licence.starts_at.desc()).limit(1)
    ).first()


def check_licence(licence: Licence | None, now: datetime) -> None:
    if licence is None:
        raise Forbidden("no_licence", "the institution holds no licence yet")
    if licence.status == "revoked":
        raise Forbidden("licence_revoked", "the institution's licence was revoked")
    if licence.status == "expired" or licence.ends_at <= now:
        raise Forbidden("licence_expired", "the institution's licence has expired")


def record_progress(
    session: Session, learner_id: str, request: dict, now: datetime | None = None
) -> Recorded:
    now = now or utcnow()
    learner = session.get(Learner, learner_id)
    if learner is None or not learner.seated:
        raise Forbidden("no_seat", "you do not hold a seat on your institution's licence")
    check_licence(licence_for(session, learner.institution_id), now)
    course = session.get(Course, request["course_id"])
    if course is None or course.status != "published":
        raise Invalid({"course_id": ["unknown course"]})
    kind = request["kind"]
    if kind == "chapter_completed":
        if not request.get("chapter_id"):
            raise Invalid({"chapter_id": ["required for chapter_completed"]})
        if request["chapter_id"] not in course.chapters:
            raise Invalid({"chapter_id": ["not a chapter of this course"]})
    if kind == "quiz_submitted":
        if course.pass_mark is None:
            raise Invalid({"kind": ["this course has no final quiz"]})
        if request.get("score") is None:
            raise Invalid({"score": ["required for quiz_submitted"]})

    progress_id = request.get("id") or str(uuid.uuid4())
    record = {
        "id": progress_id, "learner_id": learner_id,
        "institution_id": learner.institution_id, "course_id": course.id, "kind": kind,
        "chapter_id": request.get("chapter_id") if kind == "chapter_completed" else None,
        "score": request.get("score") if kind == "quiz_submitted" else None,
        "recorded_at": now,
    }
    if not insert_ignore(session, Progress.__table__, [record]):
        existing = session.get(Progress, progress_id)
        if existing.learner_id != learner_id:
            raise Invalid({"id": ["this progress id is already used"]})
        return Recorded(progress_view(existing), duplicate=True)

    learner.last_activity_at = now
    state = session.get(CourseState, (learner_id, course.id), with_for_update=True)
    if state is None:
        state = CourseState(
            learner_id=learner_id, course_id=course.id,
            institution_id=learner.institution_id, chapters_done=0, started_at=now,
        )
        session.add(state)
    if kind == "chapter_completed":
        done_chapters = [record["chapter_id"]]
    elif kind == "course_completed":  # the player says every chapter is done
        done_chapters = list(course.chapters)
    else:
        done_chapters = []
        state.best_score = max(state.best_score or 0, record["score"])
    if done_chapters:
        insert_ignore(session, ChapterDone.__table__, [
            {"learner_id": learner_id, "course_id": course.id, "chapter_id": c, "done_at": now}
            for c in done_chapters
        ])
        session.flush()
        state.chapters_done = session.scalar(
            select(func.count()).select_from(ChapterDone)
            .where(ChapterDone.learner_id == learner_id, ChapterDone.course_id == course.id)
        )
    completed, skills = complete_if_done(session, learner, course, state, now)
    return Recorded(record, duplicate=False, completed=completed, skills=skills)


def complete_if_done(session, learner, course, state, now):
    if state.completed_at is not None:
        return None, []
    if state.chapters_done < len(course.chapters):
        return None, []
    if course.pass_mark is not None and (state.best_score or 0) < course.pass_mark:
        return None, []
    state.completed_at = now
    completed = {
        "learner_id": learner.id, "institution_id": learner.institution_id,
        "course_id": course.id, "best_score": state.best_score, "completed_at": now,
    }
    candidates = [
        {"learner_id": learner.id, "skill_id": s, "institution_id": learner.institution_id,
         "course_id": course.id, "acquired_at": now}
        for s in course.skills
    ]
    new_skills = [c for c in candidates if insert_ignore(session, SkillAcquired.__table__, [c])]
    return completed, new_skills


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


# -- dashboards -----------------------------------------------------------------------
def dashboard(session: Session, institution_id: str, now: datetime | None = None) -> dict:
    now = now or utcnow()
    licence = licence_for(session, institution_id)
    check_licence(licence, now)
    active_since = now - timedelta(days=ACTIVE_DAYS)
    stalled_before = now - timedelta(days=STALLED_DAYS)

    learners = select(Learner).where(Learner.institution_id == institution_id).subquery()
    per_cohort: dict[str, dict] = {}

    def bucket(cohort):
        return per_cohort.setdefault(cohort or "", {
            "cohort": cohort or "", "learners": 0, "seated": 0, "active_7d": 0,
            "courses_started": 0, "courses_completed": 0, "skills_acquired": 0,
        })

    for cohort, total, seated, active in session.execute(
        select(
            learners.c.cohort, func.count(),
            func.sum(case((learners.c.seated.is_(True), 1), else_=0)),
            func.sum(case((learners.c.last_activity_at >= active_since, 1), else_=0)),
        ).group_by(learners.c.cohort)
    ):
        b = bucket(cohort)
        b["learners"], b["seated"], b["active_7d"] = total, seated or 0, active or 0

    for cohort, started, completed in session.execute(
        select(Learner.cohort, func.count(), func.count(CourseState.completed_at))
        .select_from(CourseState)
        .join(Learner, Learner.id == CourseState.learner_id)
        .where(CourseState.institution_id == institution_id)
        .group_by(Learner.cohort)
    ):
        b = bucket(cohort)
        b["courses_started"], b["courses_completed"] = started, completed

    for cohort, skills in session.execute(
        select(Learner.cohort, func.count())
        .select_from(SkillAcquired)
        .join(Learner, Learner.id == SkillAcquired.learner_id)
        .where(SkillAcquired.institution_id == institution_id)
        .group_by(Learner.cohort)
    ):
        bucket(cohort)["skills_acquired"] = skills

    stalled = [{
        "learner_id": l.id, "email": l.email, "first_name": l.first_name,
        "last_name": l.last_name, "cohort": l.cohort,
        "last_activity_at": l.last_activity_at,
    } for l in session.scalars(
        select(Learner).where(
            Learner.institution_id == institution_id, Learner.seated.is_(True),
            ((Learner.last_activity_at < stalled_before)
             | (Learner.last_activity_at.is_(None) & (Learner.enrolled_at < stalled_before))),
        ).order_by(Learner.last_activity_at.nullsfirst(), Learner.email).limit(100)
    )]

    cohorts = sorted(per_cohort.values(), key=lambda b: b["cohort"])
    totals = {key: sum(b[key] for b in cohorts) for key in (
        "learners", "seated", "active_7d", "courses_started", "courses_completed",
        "skills_acquired",
    )}
    left = licence.ends_at - now
    return {
        "institution_id": institution_id,
        "licence": {
            "id": licence.id, "status": licence.status,
            "seats_granted": licence.seats_granted, "seats_used": totals["seated"],
            "seats_left": max(0, licence.seats_granted - totals["seated"]),
            "ends_at": licence.ends_at,
            "days_left": max(0, left.days + (1 if left.seconds else 0)),
        },
        "totals": totals,
        "cohorts": cohorts,
        "stalled": stalled,
        "generated_at": now,
    }


def learner_institution(session: Session, learner_id: str) -> str:
    learner = session.get(Learner, learner_id)
    if learner is None:
        raise NotFound("learner not found")
    return learner.institution_id
