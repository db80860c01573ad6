"""The final quiz graded by the catalog: the score comes from the learner's answers
and the answers it holds, never from the learner; the right answers never leave."""

from __future__ import annotations

import pytest
from nameko.testing.services import worker_factory

from services.catalog.contracts.errors import Invalid, NotFound
from services.catalog.models import outbox_table
from services.catalog.service import CatalogService
from services.common.db import utcnow
from tests.support.outbox import table_outbox


@pytest.fixture
def catalog(seeded):
    return worker_factory(CatalogService, db=seeded, clock=utcnow,
                          outbox=table_outbox(outbox_table))


@pytest.fixture
def quiz_course(seed) -> dict:
    """A published seed course whose quiz has five questions and pass mark 70."""
    return next(c for c in seed["courses"] if c["status"] == "published"
                and c["quiz"] and len(c["quiz"]["questions"]) == 5
                and c["quiz"]["pass_mark"] == 70)


def right(course: dict) -> list[int]:
    return [q["answer"] for q in course["quiz"]["questions"]]


def wrong(answer: int) -> int:
    return 0 if answer else 1


def test_all_right_scores_100_and_passes(catalog, quiz_course):
    grade = catalog.grade_quiz(quiz_course["id"], {"answers": right(quiz_course)})
    assert grade == {"course_id": quiz_course["id"], "correct": 5, "questions": 5,
                     "score": 100, "pass_mark": 70, "passed": True}
    assert "answer" not in str(grade)  # the right answers stay in the catalog


@pytest.mark.parametrize(("wrongs", "score", "passed"),
                         [(1, 80, True), (2, 60, False), (5, 0, False)])
def test_the_score_is_the_share_answered_right(catalog, quiz_course, wrongs, score,
                                               passed):
    answers = right(quiz_course)
    for n in range(wrongs):
        answers[n] = wrong(answers[n])
    grade = catalog.grade_quiz(quiz_course["id"], {"answers": answers})
    assert (grade["correct"], grade["score"], grade["passed"]) == (
        5 - wrongs, score, passed)


def test_a_score_is_rounded_down_so_it_never_passes_by_rounding(catalog, seed):
    three = next(c for c in seed["courses"] if c["status"] == "published"
                 and c["quiz"] and len(c["quiz"]["questions"]) == 3)
    answers = right(three)
    answers[0] = wrong(answers[0])
    assert catalog.grade_quiz(three["id"], {"answers": answers})["score"] == 66


@pytest.mark.parametrize(("payload", "field"), [
    ({}, "answers"),
    ({"answers": [0, 1]}, "answers"),  # not one per question
    ({"answers": [0, 1, 2, 3, "1"]}, "answers"),
    ({"answers": [0, 1, 2, 3, 10]}, "answers"),
])
def test_answers_that_do_not_fit_the_quiz_are_refused(catalog, quiz_course, payload,
                                                      field):
    with pytest.raises(Invalid) as refused:
        catalog.grade_quiz(quiz_course["id"], payload)
    assert field in refused.value.errors


def test_a_course_without_quiz_or_unknown_is_refused(catalog, seed):
    without = next(c for c in seed["courses"] if c["status"] == "published"
                   and not c["quiz"])
    with pytest.raises(Invalid) as refused:
        catalog.grade_quiz(without["id"], {"answers": [0]})
    assert refused.value.errors == {"answers": ["this course has no final quiz"]}
    with pytest.raises(NotFound):
        catalog.grade_quiz("no-such-course", {"answers": [0]})
