"""The learner pages' plain parts: the id a chapter's form records under, the answers
a quiz form carries, the licence-ended page for each reason in both languages."""

from __future__ import annotations

import pytest
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


class Visit:
    """What base.html reads of a visit: nobody signed in, a form token."""

    csrf = "token"
    principal = None

    class request:  # noqa: N801 - stands for werkzeug's request
        path = "/learn"


def ended_page(reason: str, language: str, institution: str | None) -> str:
    from gateway.web import i18n
    from gateway.web.page import environment

    t = i18n.translations(language)
    html = environment().get_template("licence_ended.html").render(
        _=t.ugettext, gettext=t.ugettext, ngettext=t.ungettext, visit=Visit,
        lang=language, languages=i18n.NAMES, here="/learn", **i18n.formats(language),
        reason=reason, institution=institution)
    return " ".join(html.split())


@pytest.mark.parametrize(("reason", "en", "fr"), [
    ("licence_expired", "Your institution's licence has ended",
     "La licence de votre établissement a pris fin"),
    ("licence_revoked", "Your institution's licence was withdrawn",
     "La licence de votre établissement a été retirée"),
    ("no_licence", "Your institution has no licence yet",
     "Votre établissement n'a pas encore de licence"),
    ("no_seat", "You do not have a seat yet", "Vous n'avez pas encore de place"),
])
def test_the_ended_page_says_what_happened_and_whom_to_ask_in_both_languages(
        reason, en, fr):
    english = ended_page(reason, "en", "Lycée Jean Moulin")
    assert f"<h1>{en}</h1>".replace("'", "&#39;") in english
    assert "The person who runs Continuity at Lycée Jean Moulin" in english
    assert 'href="/learn/skills"' in english
    french = ended_page(reason, "fr", None)
    assert f"<h1>{fr}</h1>".replace("'", "&#39;") in french
    assert "La personne qui gère Continuity dans votre établissement" in french
