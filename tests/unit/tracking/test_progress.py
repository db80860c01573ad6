"""Accepting progress: who may record it, what is valid, completion and skills."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.tracking import monitoring, progress
from services.tracking.contracts.errors import Forbidden, Invalid
from services.tracking.models import Progress, SkillAcquired
from tests.support.db import count
from tests.support.refusals import code_of


def invalid_fields(call) -> set[str]:
    with pytest.raises(Invalid) as raised:
        call()
    return set(raised.value.errors)


# -- who may record progress --------------------------------------------------------
def test_a_learner_without_a_seat_is_refused(tracking, sessions):
    tracking.licence()
    tracking.course("sql")
    tracking.learners("emma", seated=False)

    assert code_of(Forbidden, lambda: tracking.chapter("emma", "sql", 1)) == "no_seat"
    assert count(sessions, Progress) == 0


def test_an_unknown_learner_is_refused(tracking):
    tracking.licence()
    tracking.course("sql")

    assert code_of(Forbidden, lambda: tracking.chapter("nobody", "sql", 1)) == "no_seat"


def test_a_revoked_licence_refuses_progress(tracking):
    tracking.licence(status="revoked")
    tracking.course("sql")
    tracking.learners("leo")

    refused = code_of(Forbidden, lambda: tracking.chapter("leo", "sql", 1))
    assert refused == "licence_revoked"


def test_an_expired_licence_refuses_progress(tracking):
    tracking.licence(status="expired")
    tracking.course("sql")
    tracking.learners("leo")

    refused = code_of(Forbidden, lambda: tracking.chapter("leo", "sql", 1))
    assert refused == "licence_expired"


def test_a_licence_past_its_end_refuses_progress_even_before_the_expiry_event(tracking):
    tracking.licence(
        starts_at=tracking.t0 - timedelta(days=90),
        ends_at=tracking.t0 - timedelta(seconds=1),
    )
    tracking.course("sql")
    tracking.learners("leo")

    refused = code_of(Forbidden, lambda: tracking.chapter("leo", "sql", 1))
    assert refused == "licence_expired"


def test_progress_is_accepted_until_the_last_moment_of_the_licence(tracking):
    tracking.licence(ends_at=tracking.t0 + timedelta(seconds=1))
    tracking.course("sql")
    tracking.learners("leo")

    assert tracking.chapter("leo", "sql", 1).duplicate is False


# -- what is valid ------------------------------------------------------------------
def test_an_unknown_course_is_invalid(seated):
    assert invalid_fields(lambda: seated.chapter("leo", "nope", 1)) == {"course_id"}


@pytest.mark.parametrize("status", ["retired", "draft"])
def test_a_course_not_published_is_invalid(seated, status):
    seated.course("old", status=status)
    assert invalid_fields(lambda: seated.chapter("leo", "old", 1)) == {"course_id"}


def test_a_chapter_of_another_course_is_invalid(seated):
    seated.course("sql")
    seated.course("seo")

    assert invalid_fields(
        lambda: seated.record(
            "leo",
            "sql",
            "chapter_completed",
            chapter_id="seo-ch1",
        )
    ) == {"chapter_id"}


def test_a_chapter_completion_needs_a_chapter(seated):
    seated.course("sql")
    assert invalid_fields(lambda: seated.record("leo", "sql", "chapter_completed")) == {
        "chapter_id"
    }


def test_a_quiz_on_a_course_without_quiz_is_invalid(seated):
    seated.course("seo", pass_mark=None)
    assert invalid_fields(lambda: seated.quiz("leo", "seo", 90)) == {"kind"}


def test_a_quiz_needs_a_score(seated):
    seated.course("sql", pass_mark=70)
    assert invalid_fields(lambda: seated.record("leo", "sql", "quiz_submitted")) == {
        "score"
    }


# -- duplicates ---------------------------------------------------------------------
def test_the_same_client_id_twice_is_a_duplicate_counted_once(seated, sessions):
    seated.course("sql", chapters=3)

    first = seated.chapter("leo", "sql", 1, id="stmt-1")
    again = seated.chapter("leo", "sql", 1, id="stmt-1")

    assert (first.duplicate, again.duplicate) == (False, True)
    assert again.progress["id"] == "stmt-1"
    assert again.progress["chapter_id"] == "sql-ch1"
    assert count(sessions, Progress) == 1
    assert seated.progress("leo")["sql"]["chapters_done"] == 1


def test_a_client_id_used_by_another_learner_is_invalid(seated, sessions):
    seated.course("sql")
    seated.learners("emma")
    seated.chapter("leo", "sql", 1, id="stmt-1")

    assert invalid_fields(lambda: seated.chapter("emma", "sql", 1, id="stmt-1")) == {
        "id"
    }
    assert seated.progress("emma") == {}


def test_the_same_chapter_twice_with_new_ids_counts_once(seated):
    seated.course("sql", chapters=3)

    seated.chapter("leo", "sql", 1)
    seated.chapter("leo", "sql", 1)

    assert seated.progress("leo")["sql"]["chapters_done"] == 1


# -- completion and skills ----------------------------------------------------------
def test_a_course_without_quiz_completes_with_its_last_chapter(seated):
    seated.course("seo", chapters=2, skills=["seo"])

    first = seated.chapter("leo", "seo", 1)
    last = seated.chapter("leo", "seo", 2)

    assert (first.completed, first.skills) == (None, [])
    assert last.completed["course_id"] == "seo"
    assert [s["skill_id"] for s in last.skills] == ["seo"]
    assert seated.progress("leo")["seo"]["completed_at"] is not None
    assert [s["skill_id"] for s in seated.skills("leo")] == ["seo"]


def test_a_course_with_a_quiz_needs_the_pass_mark(seated):
    seated.course("sql", chapters=2, skills=["sql-queries"], pass_mark=70)
    seated.chapter("leo", "sql", 1)
    seated.chapter("leo", "sql", 2)

    failed = seated.quiz("leo", "sql", 69)
    passed = seated.quiz("leo", "sql", 70)

    assert failed.completed is None
    assert passed.completed["best_score"] == 70
    assert [s["skill_id"] for s in passed.skills] == ["sql-queries"]


def test_a_quiz_passed_before_the_chapters_completes_with_the_last_chapter(seated):
    seated.course("sql", chapters=2, skills=["sql-queries"], pass_mark=70)

    quiz = seated.quiz("leo", "sql", 85)
    seated.chapter("leo", "sql", 1)
    seated.quiz("leo", "sql", 40)  # a worse attempt does not lower the best score
    last = seated.chapter("leo", "sql", 2)

    assert quiz.completed is None
    assert last.completed["best_score"] == 85
    assert seated.progress("leo")["sql"]["best_score"] == 85


def test_course_completed_marks_every_chapter(seated):
    seated.course("seo", chapters=4, skills=["seo"])

    recorded = seated.record("leo", "seo", "course_completed")

    assert recorded.completed is not None
    assert seated.progress("leo")["seo"]["chapters_done"] == 4


def test_course_completed_on_a_quiz_course_still_needs_the_pass_mark(seated):
    seated.course("sql", chapters=3, skills=["sql-queries"], pass_mark=70)

    recorded = seated.record("leo", "sql", "course_completed")

    assert recorded.completed is None
    assert seated.progress("leo")["sql"]["chapters_done"] == 3
    assert seated.quiz("leo", "sql", 90).completed is not None


def test_a_course_completes_once(seated):
    seated.course("seo", chapters=1, skills=["seo"])

    first = seated.chapter("leo", "seo", 1)
    again = seated.record("leo", "seo", "course_completed")

    assert first.completed is not None
    assert (again.completed, again.skills) == (None, [])


def test_a_skill_taught_by_two_courses_is_acquired_once(seated, sessions):
    seated.course("sql", chapters=1, skills=["sql-queries"])
    seated.course("sql-advanced", chapters=1, skills=["sql-queries", "statistics"])

    first = seated.chapter("leo", "sql", 1)
    second = seated.chapter("leo", "sql-advanced", 1)

    assert [s["skill_id"] for s in first.skills] == ["sql-queries"]
    assert [s["skill_id"] for s in second.skills] == ["statistics"]
    assert sorted(s["skill_id"] for s in seated.skills("leo")) == [
        "sql-queries",
        "statistics",
    ]
    assert count(sessions, SkillAcquired) == 2


def test_skills_are_per_learner(seated):
    seated.course("seo", chapters=1, skills=["seo"])
    seated.learners("emma")

    seated.chapter("leo", "seo", 1)
    emma = seated.chapter("emma", "seo", 1)

    assert [s["skill_id"] for s in emma.skills] == ["seo"]
    assert [s["skill_id"] for s in seated.skills("emma")] == ["seo"]


# -- what an outcome answers and announces ------------------------------------------
def test_a_new_record_answers_what_it_completed_and_acquired(seated):
    seated.course("seo", chapters=1, skills=["seo", "html"])

    reply = seated.chapter("leo", "seo", 1).reply()

    assert (reply["duplicate"], reply["course_completed"]) == (False, True)
    assert reply["skills_acquired"] == ["seo", "html"]
    assert reply["chapter_id"] == "seo-ch1" and reply["learner_id"] == "leo"


def test_a_batch_announces_its_new_records_and_the_reasons_of_refusals(seated):
    seated.course("seo", chapters=1, skills=["seo"])
    new = seated.chapter("leo", "seo", 1, id="r-1")
    again = seated.chapter("leo", "seo", 1, id="r-1")
    refused = Forbidden("no_seat", "no seat")

    facts = progress.announced([new, again, refused, Invalid({"id": ["used"]})])

    assert again.duplicate is True
    assert facts.recorded == [{**new.progress, "progress_id": "r-1"}]
    assert [c["course_id"] for c in facts.completed] == ["seo"]
    assert [s["skill_id"] for s in facts.skills] == ["seo"]
    assert facts.refused == ["no_seat"]
    assert progress.announced([again]) == progress.Announced([], [], [], [])


def test_a_learners_own_views_are_one_page(seated, sessions):
    seated.course("seo", chapters=2, skills=["seo"])
    seated.chapter("leo", "seo", 1)

    with sessions() as session:
        courses = monitoring.my_progress_page(session, "leo")
        skills = monitoring.my_skills_page(session, "leo")

    assert [c["course_id"] for c in courses["items"]] == ["seo"]
    assert courses["next_cursor"] is None
    assert skills == {"items": [], "next_cursor": None}


def test_a_learners_course_says_which_chapters_are_done_once_each(seated, sessions):
    seated.course("seo", chapters=3, skills=["seo"], pass_mark=60)
    seated.chapter("leo", "seo", 2)
    seated.chapter("leo", "seo", 1, now=seated.t0 + timedelta(minutes=1))
    seated.chapter("leo", "seo", 2, now=seated.t0 + timedelta(minutes=2))  # again
    seated.quiz("leo", "seo", 40)

    with sessions() as session:
        mine = monitoring.my_course(session, "leo", "seo")
        untouched = monitoring.my_course(session, "leo", "sql")

    assert mine == {"course_id": "seo", "chapters_done": ["seo-ch2", "seo-ch1"],
                    "best_score": 40, "completed_at": None}
    assert untouched == {"course_id": "sql", "chapters_done": [], "best_score": None,
                         "completed_at": None}


@pytest.mark.parametrize(("status", "seated_now", "refused"), [
    ("active", True, None),
    ("active", False, "no_seat"),
    ("expired", True, "licence_expired"),
    ("revoked", True, "licence_revoked"),
    ("revoked", False, "licence_revoked"),  # the licence first: it ended for all
])
def test_a_learners_standing_says_what_a_record_would_be_refused_for(
        tracking, sessions, status, seated_now, refused):
    tracking.licence(status=status)
    tracking.learners("leo", seated=seated_now)
    tracking.course("sql")

    with sessions() as session:
        standing = monitoring.standing(session, "leo", tracking.t0)
        nobody = monitoring.standing(session, "nobody", tracking.t0)

    assert standing["refused"] == refused
    assert nobody == {"refused": "no_seat", "institution_id": None}
    if refused and seated_now:  # what a record is refused for, the same reason
        assert code_of(Forbidden, lambda: tracking.chapter("leo", "sql", 1)) == refused
