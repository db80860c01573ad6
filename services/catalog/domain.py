"""The catalogue: seed loading, operators' edits, reads, and search over the database.

Searching itself is :mod:`services.catalog.contracts.search` (plain dicts), shared
with the gateway's in-memory copy of the catalogue.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path as FilePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .contracts.errors import Conflict, Invalid, NotFound
from .contracts.search import Index, decode_cursor, fold  # fold: this module's too
from .models import Course, Path, SeedApplied, Skill, Topic

SEED = FilePath(__file__).with_name("seed") / "catalogue.json"
COURSE_FIELDS = (
    "title",
    "summary",
    "language",
    "level",
    "duration_hours",
    "topic",
    "skills",
    "chapters",
    "quiz",
    "status",
)
EDITABLE = tuple(f for f in COURSE_FIELDS if f != "status")
LISTED = ("published", "retired")  # what readers can reach by id; drafts are not


@dataclass(frozen=True)
class SeedResult:
    published: list[dict]
    updated: list[dict]
    retired: list[dict]


@dataclass(frozen=True)
class Change:
    """An edit's outcome: the course as the API shows it, and what to announce.

    ``announce`` is ``"published"``, ``"updated"``, ``"retired"`` or None (a draft's
    edits, or an edit that changed nothing), and ``fact`` the event's payload.
    """

    course: dict
    announce: str | None = None
    fact: dict | None = None


def course_fact(course: Course) -> dict:
    """The payload of course.published.v1 / course.updated.v1: no quiz answers."""
    return {
        "id": course.id,
        **{f: getattr(course, f) for f in COURSE_FIELDS},
        "quiz": {
            "pass_mark": course.quiz["pass_mark"],
            "questions": len(course.quiz.get("questions", [])),
        }
        if course.quiz
        else None,
        "updated_at": course.updated_at,
    }


def touch(course: Course, now: datetime) -> None:
    """Every change moves ``updated_at`` forward: readers order what they hear by it."""
    if course.updated_at is not None and now <= course.updated_at:
        now = course.updated_at + timedelta(microseconds=1)
    course.updated_at = now


# -- the seed -------------------------------------------------------------------------
def seed_digest(data: dict) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def load_seed(session: Session, now: datetime, path: FilePath = SEED) -> SeedResult:
    """Bring the database to the seed file; only real changes produce events.

    A course is taken from the file when its entry there is new or changed since the
    last start; a course operators edited since keeps their edits until its entry in
    the file changes.
    """
    seed = json.loads(path.read_text(encoding="utf-8"))
    for topic in seed["topics"]:
        session.merge(Topic(id=topic["id"], name=topic["name"]))
    for skill in seed["skills"]:
        session.merge(Skill(id=skill["id"], name=skill["name"], topic=skill["topic"]))
    for p in seed["paths"]:
        session.merge(
            Path(
                id=p["id"],
                title=p["title"],
                summary=p["summary"],
                language=p["language"],
                courses=p["courses"],
                skills=p["skills"],
            )
        )
    applied = {s.course_id: s.digest for s in session.scalars(select(SeedApplied))}
    published, updated, retired = [], [], []
    for data in seed["courses"]:
        digest = seed_digest(data)
        if applied.get(data["id"]) == digest:
            continue
        session.merge(SeedApplied(course_id=data["id"], digest=digest))
        values = {f: data.get(f) for f in COURSE_FIELDS}
        values["search_text"] = fold(f"{data['title']} {data['summary']}")
        course = session.get(Course, data["id"])
        if course is None:
            course = Course(id=data["id"], updated_at=now, **values)
            session.add(course)
            before = None
        else:
            if all(getattr(course, k) == v for k, v in values.items()):
                continue
            before = course.status
            for key, value in values.items():
                setattr(course, key, value)
            touch(course, now)
        session.flush()
        if course.status == "published":
            (published if before != "published" else updated).append(
                course_fact(course)
            )
        elif course.status == "retired" and before == "published":
            retired.append({"course_id": course.id, "retired_at": course.updated_at})
    return SeedResult(published, updated, retired)


# -- views --------------------------------------------------------------------------
def summary(course: Course) -> dict:
    return {
        "id": course.id,
        "title": course.title,
        "summary": course.summary,
        "language": course.language,
        "level": course.level,
        "duration_hours": course.duration_hours,
        "topic": course.topic,
        "skills": course.skills,
        "has_quiz": course.quiz is not None,
        "updated_at": course.updated_at.isoformat(),
    }


def detail(course: Course) -> dict:
    """A course as readers see it: chapters and the quiz, never the quiz's answers."""
    quiz = course.quiz
    return {
        **summary(course),
        "status": course.status,
        "chapters": course.chapters,
        "quiz": {
            "pass_mark": quiz["pass_mark"],
            "questions": [
                {"question": q["question"], "choices": q["choices"]}
                for q in quiz["questions"]
            ],
        }
        if quiz
        else None,
    }


def get_course(session: Session, course_id: str) -> dict:
    course = session.get(Course, course_id)
    if course is None or course.status not in LISTED:
        raise NotFound("course not found")
    return detail(course)


def grade_quiz(session: Session, course_id: str, answers: list[int]) -> dict:
    """The score of these answers to a published course's final quiz: the percentage
    of questions answered right, rounded down, so a score never passes by rounding.
    The right answers stay here; the reply says how many, not which."""
    course = session.get(Course, course_id)
    if course is None or course.status != "published":
        raise NotFound("course not found")
    if not course.quiz:
        raise Invalid({"answers": ["this course has no final quiz"]})
    questions = course.quiz["questions"]
    if len(answers) != len(questions):
        raise Invalid({"answers": [f"answer each of the {len(questions)} questions"]})
    correct = sum(a == q["answer"] for a, q in zip(answers, questions, strict=True))
    score = correct * 100 // len(questions)
    pass_mark = course.quiz["pass_mark"]
    return {"course_id": course.id, "correct": correct, "questions": len(questions),
            "score": score, "pass_mark": pass_mark, "passed": score >= pass_mark}


def list_skills(session: Session) -> list[dict]:
    return [
        {"id": s.id, "name": s.name, "topic": s.topic}
        for s in session.scalars(select(Skill).order_by(Skill.topic, Skill.id))
    ]


def list_topics(session: Session) -> list[dict]:
    return [
        {"id": t.id, "name": t.name}
        for t in session.scalars(select(Topic).order_by(Topic.id))
    ]


def list_paths(session: Session) -> list[dict]:
    return [
        path_view(p)
        for p in session.scalars(select(Path).order_by(Path.language, Path.id))
    ]


def path_view(p: Path) -> dict:
    return {
        "id": p.id,
        "title": p.title,
        "summary": p.summary,
        "language": p.language,
        "courses": p.courses,
        "skills": p.skills,
    }


def get_path(session: Session, path_id: str) -> dict:
    p = session.get(Path, path_id)
    if p is None:
        raise NotFound("path not found")
    return path_view(p)


def search(
    session: Session,
    *,
    q: str | None = None,
    language: str | None = None,
    level: str | None = None,
    topic: str | None = None,
    skill: str | None = None,
    path: str | None = None,
    limit: int = 20,
    cursor: str | int | None = None,
) -> dict:
    """Search the published courses (see :mod:`services.catalog.contracts.search`)."""
    courses = session.scalars(select(Course).where(Course.status == "published"))
    index = Index([summary(c) for c in courses], list_paths(session))
    if isinstance(cursor, str):
        cursor = decode_cursor(cursor)
    return index.search(
        {
            "q": q,
            "language": language,
            "level": level,
            "topic": topic,
            "skill": skill,
            "path": path,
            "limit": limit,
            "cursor": cursor,
        }
    )


def catalogue_snapshot(session: Session) -> dict:
    """Everything readers can reach, for a reader's own copy (the gateway's cache)."""
    courses = session.scalars(
        select(Course).where(Course.status.in_(LISTED)).order_by(Course.id)
    )
    return {
        "courses": [detail(c) for c in courses],
        "skills": list_skills(session),
        "paths": list_paths(session),
        "topics": list_topics(session),
    }


# -- operators' edits ---------------------------------------------------------------
def create_course(session: Session, request: dict, now: datetime) -> Change:
    """A new course, a draft unless ``status`` is published (then announced)."""
    if session.get(Course, request["id"]) is not None:
        raise Conflict(
            "a course with this id already exists",
            {"id": ["a course with this id already exists"]},
        )
    values = {f: request[f] for f in EDITABLE}
    check_content(session, values)
    course = Course(
        id=request["id"],
        status=request["status"],
        search_text=fold(f"{values['title']} {values['summary']}"),
        updated_at=now,
        **values,
    )
    session.add(course)
    try:
        session.flush()
    except IntegrityError:  # created by someone else between the check and now
        raise Conflict(
            "a course with this id already exists",
            {"id": ["a course with this id already exists"]},
        ) from None
    if course.status == "published":
        return Change(detail(course), "published", course_fact(course))
    return Change(detail(course))


def update_course(
    session: Session, course_id: str, patch: dict, now: datetime
) -> Change:
    """Change some fields; a published course is announced again, a draft is not."""
    course = editable(session, course_id)
    values = {f: patch.get(f, getattr(course, f)) for f in EDITABLE}
    check_content(session, values)
    if all(getattr(course, f) == v for f, v in values.items()):
        return Change(detail(course))  # nothing changed: nothing to announce
    for key, value in values.items():
        setattr(course, key, value)
    course.search_text = fold(f"{course.title} {course.summary}")
    touch(course, now)
    session.flush()
    if course.status == "published":
        return Change(detail(course), "updated", course_fact(course))
    return Change(detail(course))


def publish_course(session: Session, course_id: str, now: datetime) -> Change:
    """A draft (or a retired course) opens to learners; publishing twice is a no-op."""
    course = find(session, course_id)
    if course.status == "published":
        return Change(detail(course))
    course.status = "published"
    touch(course, now)
    session.flush()
    return Change(detail(course), "published", course_fact(course))


def retire_course(session: Session, course_id: str, now: datetime) -> Change:
    """A published course leaves the catalogue; retiring twice is a no-op."""
    course = find(session, course_id)
    if course.status == "retired":
        return Change(detail(course))
    if course.status != "published":
        raise Conflict("only a published course can be retired; this one is a draft")
    course.status = "retired"
    touch(course, now)
    session.flush()
    return Change(
        detail(course),
        "retired",
        {"course_id": course.id, "retired_at": course.updated_at},
    )


def find(session: Session, course_id: str) -> Course:
    course = session.get(Course, course_id, with_for_update=True)
    if course is None:
        raise NotFound("course not found")
    return course


def editable(session: Session, course_id: str) -> Course:
    course = find(session, course_id)
    if course.status == "retired":
        raise Conflict("a retired course cannot be edited; publish it again first")
    return course


def check_content(session: Session, values: dict[str, Any]) -> None:
    """What the schema cannot see: known topic and skills, unique chapters, answers."""
    errors: dict[str, Any] = {}
    if session.get(Topic, values["topic"]) is None:
        errors["topic"] = [f"unknown topic {values['topic']!r}"]
    known = set(session.scalars(select(Skill.id).where(Skill.id.in_(values["skills"]))))
    unknown = {
        n: [f"unknown skill {s!r}"]
        for n, s in enumerate(values["skills"])
        if s not in known
    }
    if unknown:
        errors["skills"] = unknown
    seen: set[str] = set()
    duplicates = {}
    for n, chapter in enumerate(values["chapters"]):
        if chapter["id"] in seen:
            duplicates[n] = {"id": [f"duplicate chapter id {chapter['id']!r}"]}
        seen.add(chapter["id"])
    if duplicates:
        errors["chapters"] = duplicates
    quiz = values["quiz"]
    if quiz:
        wrong = {
            n: {"answer": ["not the index of one of the choices"]}
            for n, q in enumerate(quiz["questions"])
            if not 0 <= q["answer"] < len(q["choices"])
        }
        if wrong:
            errors["quiz"] = {"questions": wrong}
    if errors:
        raise Invalid(errors)
