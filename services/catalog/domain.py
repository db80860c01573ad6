"""The catalogue: seed loading, search with facets, reads."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path as FilePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.db import utcnow

from .exceptions import NotFound
from .models import Course, Path, Skill, Topic

SEED = FilePath(__file__).with_name("seed") / "catalogue.json"
COURSE_FIELDS = (
    "title", "summary", "language", "level", "duration_hours", "topic", "skills",
    "chapters", "quiz", "status",
)
LEVELS = {"beginner": 0, "intermediate": 1, "advanced": 2}
FACETS = ("language", "level", "topic")


def fold(text: str) -> str:
    """Lower case without accents: "Gestion de Projet" and "gestion de projet" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class SeedResult:
    published: list[dict]
    updated: list[dict]
    retired: list[dict]


def course_fact(course: Course) -> dict:
    return {
        "id": course.id, **{f: getattr(course, f) for f in COURSE_FIELDS},
        "quiz": {"pass_mark": course.quiz["pass_mark"],
                 "questions": len(course.quiz.get("questions", []))} if course.quiz else None,
        "updated_at": course.updated_at,
    }


def load_seed(session: Session, path: FilePath = SEED) -> SeedResult:
    """Bring the database to the seed file; only real changes produce events."""
    seed = json.loads(path.read_text(encoding="utf-8"))
    for topic in seed["topics"]:
        session.merge(Topic(id=topic["id"], name=topic["name"]))
    for skill in seed["skills"]:
        session.merge(Skill(id=skill["id"], name=skill["name"], topic=skill["topic"]))
    for p in seed["paths"]:
        session.merge(Path(id=p["id"], title=p["title"], summary=p["summary"],
                           language=p["language"], courses=p["courses"], skills=p["skills"]))
    published, updated, retired = [], [], []
    now = utcnow()
    for data in seed["courses"]:
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
            course.updated_at = now
        session.flush()
        if course.status == "published":
            (published if before != "published" else updated).append(course_fact(course))
        elif course.status == "retired" and before == "published":
            retired.append({"course_id": course.id, "retired_at": now})
    return SeedResult(published, updated, retired)


def search(
    session: Session, *, q: str | None = None, language: str | None = None,
    level: str | None = None, topic: str | None = None, skill: str | None = None,
    path: str | None = None, limit: int = 20, cursor: int = 0,
) -> dict:
    courses = list(session.scalars(select(Course).where(Course.status == "published")))
    if q:
        words = fold(q).split()
        courses = [c for c in courses if all(w in c.search_text for w in words)]
    if path:
        p = session.get(Path, path)
        order = p.courses if p else []
        courses = sorted((c for c in courses if c.id in order), key=lambda c: order.index(c.id))
    else:
        courses.sort(key=lambda c: (c.topic, LEVELS.get(c.level, 9), c.title.casefold(), c.id))
    if skill:
        courses = [c for c in courses if skill in c.skills]
    filters = {"language": language, "level": level, "topic": topic}
    facets = {}
    for facet in FACETS:  # each facet counts with every other filter applied
        counts: dict[str, int] = {}
        for c in courses:
            if all(getattr(c, f) == v for f, v in filters.items() if v and f != facet):
                counts[getattr(c, facet)] = counts.get(getattr(c, facet), 0) + 1
        facets[facet] = dict(sorted(counts.items()))
    matching = [c for c in courses if all(getattr(c, f) == v for f, v in filters.items() if v)]
    page = matching[cursor : cursor + limit]
    next_cursor = cursor + limit if cursor + limit < len(matching) else None
    return {
        "items": [summary(c) for c in page],
        "next_cursor": next_cursor,
        "total": len(matching),
        "facets": facets,
    }


def summary(course: Course) -> dict:
    return {
        "id": course.id, "title": course.title, "summary": course.summary,
        "language": course.language, "level": course.level,
        "duration_hours": course.duration_hours, "topic": course.topic,
        "skills": course.skills, "has_quiz": course.quiz is not None,
        "updated_at": course.updated_at.isoformat(),
    }


def get_course(session: Session, course_id: str) -> dict:
    course = session.get(Course, course_id)
    if course is None or course.status == "draft":
        raise NotFound("course not found")
    quiz = course.quiz
    return {
        **summary(course), "status": course.status, "chapters": course.chapters,
        "quiz": {"pass_mark": quiz["pass_mark"], "questions": [
            {"question": q["question"], "choices": q["choices"]} for q in quiz["questions"]
        ]} if quiz else None,
    }


def list_skills(session: Session) -> list[dict]:
    return [{"id": s.id, "name": s.name, "topic": s.topic}
            for s in session.scalars(select(Skill).order_by(Skill.topic, Skill.id))]


def list_paths(session: Session) -> list[dict]:
    return [path_view(p) for p in session.scalars(select(Path).order_by(Path.language, Path.id))]


def path_view(p: Path) -> dict:
    return {"id": p.id, "title": p.title, "summary": p.summary, "language": p.language,
            "courses": p.courses, "skills": p.skills}


def get_path(session: Session, path_id: str) -> dict:
    p = session.get(Path, path_id)
    if p is None:
        raise NotFound("path not found")
    return path_view(p)
