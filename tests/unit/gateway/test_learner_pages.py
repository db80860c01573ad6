"""The learner pages' plain parts: the id a chapter's form records under, the answers
a quiz form carries."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from gateway.web.learner import chapter_record_id, quiz_answers
from services.tracking.contracts.rpc import ProgressRequest

QUESTIONS = [{"question": "a?", "choices": ["x", "y"]},
             {"question": "b?", "choices": ["x", "y", "z"]}]


def test_a_chapter_form_is_one_record_whoever_sends_it_how_often():
    one = chapter_record_id("learner-1", "sql", "joins")
    assert one == chapter_record_id("learner-1", "sql", "joins")
    others = {chapter_record_id("learner-2", "sql", "joins"),
              chapter_record_id("learner-1", "sql", "keys"),
              chapter_record_id("learner-1", "sql-2", "joins")}
    assert one not in others and len(others) == 3
    # an id the progress request takes, even for the longest slugs
    longest = chapter_record_id("x" * 36, "c" * 120, "h" * 120)
    ProgressRequest().load({"id": longest, "course_id": "c",
                            "kind": "chapter_completed", "chapter_id": "h"})


def test_quiz_answers_are_choice_indexes_and_the_unanswered_are_named():
    assert quiz_answers(MultiDict({"q0": "1", "q1": "2"}), QUESTIONS) == ([1, 2], {})
    answers, errors = quiz_answers(
        MultiDict({"q1": "3", "score": "100"}), QUESTIONS)  # no q0, q1 out of range
    assert errors == {"q0": ["unanswered"], "q1": ["unanswered"]}
    assert quiz_answers(MultiDict({"q0": "-1", "q1": "x"}), QUESTIONS)[1].keys() == {
        "q0", "q1"}
