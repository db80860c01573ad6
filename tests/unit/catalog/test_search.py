"""Searching the catalogue: folded text, filters, facets, pagination, visibility."""

from __future__ import annotations

import pytest

from services.catalog import domain
from services.catalog.contracts.errors import NotFound


def ids(result) -> list[str]:
    return [c["id"] for c in result["items"]]


def published(seed) -> set[str]:
    return {c["id"] for c in seed["courses"] if c["status"] == "published"}


def hidden(seed) -> set[str]:
    return {c["id"] for c in seed["courses"] if c["status"] != "published"}


@pytest.mark.parametrize(
    "a, b, folded",
    [
        ("Gestion de Projet", "gestion de projet", "gestion de projet"),
        ("Développement", "developpement", "developpement"),
        ("CRÉEZ", "créez", "creez"),
        ("Maîtrisez", "maitrisez", "maitrisez"),
        ("ÇA", "ça", "ca"),
    ],
)
def test_fold_meets_case_and_accents(a, b, folded):
    assert domain.fold(a) == domain.fold(b) == folded


def test_fold_keeps_letters_without_accents():
    assert domain.fold("Node.js & SQL: l'API") == "node.js & sql: l'api"


def test_without_filters_every_published_course_and_nothing_else(search, seed):
    result = search(limit=100)

    assert set(ids(result)) == published(seed)
    assert result["total"] == 59
    assert result["next_cursor"] is None


@pytest.mark.parametrize(
    "q",
    [
        "gestion de projet",
        "Gestion de Projet",
        "GESTION DE PROJET",
        "gestión de projét",
    ],
)
def test_q_ignores_case_and_accents(search, q):
    assert ids(search(q=q, limit=100)) == [
        "gestion-de-projet-initiez-vous-aux-fondamentaux",
        "gestion-de-projet-agile-avec-kanban",
        "gestion-de-projet-maitrisez-les-risques-et-le-budget",
    ]


def test_q_without_accents_finds_accented_titles(search):
    found = ids(search(q="developpement web", limit=100))

    assert "developpement-web-apprenez-les-bases-de-javascript" in found
    assert "developpement-web-comprenez-le-fonctionnement-du-web" in found


def test_q_needs_every_word(search):
    assert search(q="scrum kanban zebra")["total"] == 0


def test_drafts_and_retired_courses_are_never_returned(search, seed):
    assert search(q="Scale your React applications")["total"] == 0  # draft
    assert search(q="Project management essentials")["total"] == 0  # retired
    assert ids(search(skill="office-productivity")) == [
        "automate-your-work-with-no-code-tools"
    ]
    for query in ({}, {"topic": "design"}, {"language": "fr"}, {"level": "beginner"}):
        assert not set(ids(search(limit=100, **query))) & hidden(seed)


def test_filters_combine(search, seed):
    result = search(language="en", topic="data", level="beginner", limit=100)

    expected = {
        c["id"]
        for c in seed["courses"]
        if c["status"] == "published"
        and (c["language"], c["topic"], c["level"]) == ("en", "data", "beginner")
    }
    assert (
        set(ids(result))
        == expected
        == {
            "analyse-data-with-spreadsheets",
            "data-literacy-read-and-question-data",
        }
    )


def test_skill_filter(search):
    assert set(ids(search(skill="sql-queries"))) == {
        "requetez-une-base-de-donnees-avec-sql",
        "maitrisez-sql-avance-pour-lanalyse-de-donnees",
    }


def test_facets_count_with_the_other_filters_applied(search):
    result = search(language="fr")

    assert result["total"] == 30
    assert result["facets"]["language"] == {"en": 29, "fr": 30}
    assert sum(result["facets"]["level"].values()) == 30
    assert sum(result["facets"]["topic"].values()) == 30


def test_facets_follow_q(search):
    result = search(q="gestion de projet")

    assert result["facets"]["language"] == {"fr": 3}
    assert result["facets"]["topic"] == {"project-management": 3}
    assert result["facets"]["level"] == {
        "advanced": 1,
        "beginner": 1,
        "intermediate": 1,
    }


def test_facets_without_filters_count_published_courses(search):
    facets = search()["facets"]

    assert facets["language"] == {"en": 29, "fr": 30}
    assert facets["level"] == {"advanced": 14, "beginner": 22, "intermediate": 23}
    assert sum(facets["topic"].values()) == 59
    assert facets["topic"]["project-management"] == 7


def test_cursor_pages_are_stable_and_complete(search):
    everything = ids(search(limit=100))
    pages, cursor = [], 0
    while cursor is not None:
        page = search(limit=7, cursor=cursor)
        assert page["total"] == 59
        pages.append(ids(page))
        cursor = page["next_cursor"]

    assert [len(p) for p in pages] == [7] * 8 + [3]
    assert [c for page in pages for c in page] == everything
    assert ids(search(limit=7, cursor=14)) == pages[2]


def test_the_last_full_page_has_no_next_cursor(search):
    result = search(language="fr", limit=15, cursor=15)
    assert len(result["items"]) == 15
    assert result["next_cursor"] is None


def test_results_are_ordered_by_topic_then_level(search):
    items = search(topic="data", language="en", limit=100)["items"]

    assert [(c["level"]) for c in items] == [
        "beginner",
        "beginner",
        "intermediate",
        "advanced",
    ]


def test_a_path_lists_its_courses_in_path_order(search, seed):
    path = next(p for p in seed["paths"] if p["id"] == "parcours-chef-de-projet")

    assert ids(search(path="parcours-chef-de-projet", limit=100)) == path["courses"]


def test_an_unknown_path_lists_nothing(search):
    assert search(path="no-such-path")["total"] == 0


def test_a_published_course_shows_its_quiz_without_answers(seeded):
    with seeded() as session:
        course = domain.get_course(session, "build-your-first-website-html-css")

    assert course["status"] == "published"
    assert course["has_quiz"] is True
    assert len(course["chapters"]) == 6
    assert course["quiz"]["pass_mark"] == 70
    assert len(course["quiz"]["questions"]) == 5
    assert all(set(q) == {"question", "choices"} for q in course["quiz"]["questions"])


def test_a_draft_course_is_not_found(seeded):
    with seeded() as session, pytest.raises(NotFound):
        domain.get_course(session, "scale-your-react-applications")


def test_an_unknown_course_is_not_found(seeded):
    with seeded() as session, pytest.raises(NotFound):
        domain.get_course(session, "no-such-course")


def test_skills_and_paths_are_listed(seeded, seed):
    with seeded() as session:
        assert len(domain.list_skills(session)) == len(seed["skills"])
        assert {p["id"] for p in domain.list_paths(session)} == {
            p["id"] for p in seed["paths"]
        }
        with pytest.raises(NotFound):
            domain.get_path(session, "no-such-path")
