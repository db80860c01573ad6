"""Loading the seed: published courses announced once, real changes only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from services.catalog import domain
from services.catalog.models import Course
from services.common.db import utcnow


def load(sessions, path=domain.SEED):
    with sessions.begin() as session:
        return domain.load_seed(session, utcnow(), path)


def test_the_shipped_seed_publishes_its_published_courses(sessions, seed):
    result = load(sessions)

    published = [c["id"] for c in seed["courses"] if c["status"] == "published"]
    assert len(published) == 59
    assert sorted(c["id"] for c in result.published) == sorted(published)
    assert (result.updated, result.retired) == ([], [])
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Course)) == len(
            seed["courses"]
        )


def test_a_published_fact_carries_what_tracking_needs_without_quiz_answers(sessions):
    result = load(sessions)

    fact = next(
        c for c in result.published if c["id"] == "build-your-first-website-html-css"
    )
    assert [ch["id"] for ch in fact["chapters"]][:2] == [
        "set-up-your-code-editor-and-project-folder",
        "structure-a-page-with-html",
    ]
    assert fact["skills"] == ["html-semantics", "css-layout"]
    assert fact["quiz"] == {"pass_mark": 70, "questions": 5}
    assert fact["updated_at"] is not None


def test_loading_the_seed_again_changes_nothing_and_announces_nothing(sessions):
    load(sessions)
    with sessions() as session:
        before = {c.id: c.updated_at for c in session.scalars(select(Course))}

    again = load(sessions)

    assert (again.published, again.updated, again.retired) == ([], [], [])
    with sessions() as session:
        assert {c.id: c.updated_at for c in session.scalars(select(Course))} == before


@pytest.fixture
def edited_seed(tmp_path, seed):
    """Write a copy of the seed after ``change(courses_by_id)``; returns its path."""

    def write(change):
        data = json.loads(json.dumps(seed))
        change({c["id"]: c for c in data["courses"]})
        path = tmp_path / "catalogue.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write


def test_an_edited_course_yields_one_updated_event(sessions, edited_seed):
    load(sessions)

    def retitle(courses):
        courses["get-started-with-seo"]["title"] = "Get started with search engines"

    result = load(sessions, edited_seed(retitle))

    assert result.published == [] and result.retired == []
    assert [(c["id"], c["title"]) for c in result.updated] == [
        ("get-started-with-seo", "Get started with search engines"),
    ]
    with sessions() as session:
        assert domain.search(session, q="search engines")["total"] == 1


def test_a_course_retired_in_the_seed_yields_a_retired_event(sessions, edited_seed):
    load(sessions)

    def retire(courses):
        courses["get-started-with-seo"]["status"] = "retired"

    result = load(sessions, edited_seed(retire))

    assert [r["course_id"] for r in result.retired] == ["get-started-with-seo"]
    assert result.published == [] and result.updated == []
    assert load(sessions, edited_seed(retire)).retired == []


def test_a_draft_published_in_the_seed_yields_a_published_event(sessions, edited_seed):
    load(sessions)

    def publish(courses):
        courses["scale-your-react-applications"]["status"] = "published"

    result = load(sessions, edited_seed(publish))

    assert [c["id"] for c in result.published] == ["scale-your-react-applications"]
    assert result.updated == [] and result.retired == []
