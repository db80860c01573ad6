"""Search on plain dicts (ordering, facets, stable cursors, query errors) and
operators' edits through the service (field errors, events in the outbox)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select

from services.catalog.contracts import search
from services.catalog.contracts.errors import Conflict, Invalid, NotFound
from services.catalog.contracts.events import COURSE_PUBLISHED_V1, COURSE_UPDATED_V1
from services.catalog.models import Course, outbox_table
from services.catalog.service import CatalogService
from services.common.contracts import read_event
from services.common.db import utcnow
from tests.support.outbox import table_outbox

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def summary(course: dict) -> dict:
    """A seed course as the catalog serves it in a search result."""
    return {
        **{f: course[f] for f in search.SUMMARY_FIELDS if f in course},
        "has_quiz": course["quiz"] is not None,
        "updated_at": T0.isoformat(),
    }


@pytest.fixture
def published(seed) -> list[dict]:
    return [summary(c) for c in seed["courses"] if c["status"] == "published"]


@pytest.fixture
def index(published, seed) -> search.Index:
    return search.Index(published, seed["paths"])


def run(index: search.Index, **args) -> dict:
    return index.search(search.parse_query({k: str(v) for k, v in args.items()}))


def ids(page: dict) -> list[str]:
    return [c["id"] for c in page["items"]]


# -- free text, order, facets ---------------------------------------------------------
@pytest.mark.parametrize(
    "q", ["gestion de projet", "GESTION DE PROJET", "gestión projét"]
)
def test_free_text_is_folded_and_finds_accented_titles(index, q):
    found = run(index, q=q, limit=100)["items"]

    assert len(found) == 3
    assert all(search.fold(c["title"]).startswith("gestion de projet") for c in found)


def test_accents_in_the_catalogue_are_found_without_them(index):
    titles = [c["title"] for c in run(index, q="securite", limit=100)["items"]]

    assert "Protégez-vous en ligne : les bons réflexes de cybersécurité" in titles


def test_title_matches_come_before_summary_matches(index):
    page = run(index, q="équipe", limit=100)
    in_title = ["equipe" in search.fold(c["title"]) for c in page["items"]]

    assert in_title[0] and not in_title[-1]  # both kinds are there
    assert in_title == sorted(in_title, reverse=True)


def test_without_q_the_order_is_topic_level_title(index):
    items = run(index, limit=100)["items"]
    keys = [
        (c["topic"], search.LEVEL_RANK[c["level"]], search.fold(c["title"]))
        for c in items
    ]

    assert keys == sorted(keys)


def test_facets_cover_every_filter_and_count_with_the_others_applied(index, published):
    page = run(index, language="fr", skill="sql-queries")

    assert set(page["facets"]) == {"language", "level", "topic", "skill", "path"}
    assert page["facets"]["language"] == {
        "fr": 2
    }  # the skill applies, not the language
    assert sum(page["facets"]["skill"].values()) >= page["total"] == 2
    in_french = [c for c in published if c["language"] == "fr"]
    assert page["facets"]["skill"]["project-planning"] == sum(
        "project-planning" in c["skills"] for c in in_french
    )
    assert page["facets"]["path"] == {"parcours-analyste-de-donnees": 2}


def test_an_unknown_value_returns_nothing_but_still_the_facets(index):
    page = run(index, topic="astrology")

    assert (page["items"], page["total"], page["next_cursor"]) == ([], 0, None)
    assert sum(page["facets"]["topic"].values()) == 59


@pytest.mark.parametrize(
    "args, field",
    [
        ({"level": "expert"}, "level"),
        ({"language": "de"}, "language"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"q": "x" * 201}, "q"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": search.encode_cursor("d", (1, 2))}, "cursor"),
    ],
)
def test_invalid_parameters_name_their_field(args, field):
    with pytest.raises(Invalid) as refused:
        search.parse_query(args)

    assert field in refused.value.errors


def test_unknown_parameters_are_ignored():
    assert search.parse_query({"utm_source": "mail", "limit": "5"})["limit"] == 5


def test_a_cursor_of_another_ordering_is_refused(index):
    default_cursor = run(index, limit=5)["next_cursor"]

    with pytest.raises(Invalid) as refused:
        run(index, q="web", cursor=default_cursor)
    assert "cursor" in refused.value.errors


# -- stable pages while the catalogue changes ------------------------------------------
def new_course(n: int, rng: random.Random, seed: dict) -> dict:
    topic = rng.choice(seed["topics"])["id"]
    return {
        "id": f"new-course-{n:03d}",
        "title": f"{rng.choice('ABMZ')} web course {n}",
        "summary": "Added while someone pages through the catalogue.",
        "language": rng.choice(search.LANGUAGES),
        "level": rng.choice(search.LEVELS),
        "duration_hours": 2,
        "topic": topic,
        "skills": [],
        "has_quiz": False,
        "updated_at": T0.isoformat(),
    }


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "web"}, {"language": "fr"}, {"path": "parcours-chef-de-projet"}],
    ids=["default", "relevance", "filtered", "path"],
)
@pytest.mark.parametrize("rng_seed", range(5))
def test_pages_neither_repeat_nor_skip_courses_present_throughout(
    published, seed, query, rng_seed
):
    rng = random.Random(rng_seed)
    courses = {c["id"]: c for c in published}
    retirable = rng.sample(sorted(courses), 12)
    everything = run(search.Index(courses.values(), seed["paths"]), limit=100, **query)
    throughout = [i for i in ids(everything) if i not in retirable]

    seen, cursor, added = [], None, 0
    while True:
        index = search.Index(courses.values(), seed["paths"])
        page = run(index, limit=3, **query, **({"cursor": cursor} if cursor else {}))
        seen += ids(page)
        cursor = page["next_cursor"]
        if cursor is None:
            break
        for _ in range(2):  # between two pages: one course added, one retired
            added += 1
            course = new_course(added, rng, seed)
            courses[course["id"]] = course
            if retirable:
                courses.pop(retirable.pop(), None)

    assert len(seen) == len(set(seen)), "a course came twice"
    assert [i for i in seen if i in throughout] == throughout, "a course was skipped"


def test_an_offset_would_have_skipped_one(published, seed):
    """Why the cursor is a key: retiring a course of page 1 shifts every offset."""
    index = search.Index(published, seed["paths"])
    first = run(index, limit=5)
    later = search.Index(
        [c for c in published if c["id"] != ids(first)[0]], seed["paths"]
    )

    by_offset = later.search({"limit": 5, "cursor": 5})
    by_key = run(later, limit=5, cursor=first["next_cursor"])
    everything = ids(run(index, limit=100))

    assert ids(by_key) == everything[5:10]
    assert ids(by_offset) == everything[6:11]  # everything[5] was never served


# -- operators' edits through the service ----------------------------------------------
@pytest.fixture
def catalog(seeded):
    with seeded.begin() as session:  # the seed's own announcements are not under test
        session.execute(outbox_table.delete())
    return worker_factory(
        CatalogService,
        db=seeded,
        clock=utcnow,
        outbox=table_outbox(outbox_table),
    )


def announced(catalog) -> list[dict]:
    with catalog.db() as session:
        rows = session.execute(select(outbox_table.c.body).order_by(outbox_table.c.seq))
        return [row.body for row in rows]


def course(**overrides) -> dict:
    return {
        "id": "gerez-un-projet-etudiant",
        "title": "Gérez un projet étudiant de A à Z",
        "summary": "Cadrez, planifiez et livrez un projet en équipe.",
        "language": "fr",
        "level": "beginner",
        "duration_hours": 4,
        "topic": "project-management",
        "skills": ["project-planning"],
        "chapters": [
            {"id": "cadrer", "title": "Cadrer"},
            {"id": "planifier", "title": "Planifier"},
        ],
        "quiz": {
            "pass_mark": 60,
            "questions": [
                {
                    "question": "Un jalon est…",
                    "choices": ["une date clé", "un budget"],
                    "answer": 0,
                }
            ],
        },
        **overrides,
    }


def fields_of(refused) -> dict:
    return {field: reasons for field, reasons in refused.value.errors.items()}


def test_a_draft_is_created_silently_and_announced_when_published(catalog):
    draft = catalog.create_course(course())

    assert draft["status"] == "draft" and "answer" not in str(draft["quiz"])
    assert announced(catalog) == []
    with pytest.raises(NotFound), catalog.db() as session:
        from services.catalog import domain

        domain.get_course(session, draft["id"])

    published = catalog.publish_course(draft["id"])

    [event] = announced(catalog)
    assert event["event_type"] == "course.published.v1"
    data = read_event(COURSE_PUBLISHED_V1, event, "test").data
    assert data["quiz"] == {"pass_mark": 60, "questions": 1}
    assert published["status"] == "published"
    assert catalog.publish_course(draft["id"])["status"] == "published"  # no-op
    assert len(announced(catalog)) == 1


def test_a_course_created_published_is_announced_once(catalog):
    catalog.create_course(course(status="published"))

    assert [e["event_type"] for e in announced(catalog)] == ["course.published.v1"]


def test_an_update_announces_the_whole_course_with_its_new_chapters_and_quiz(catalog):
    catalog.create_course(course(status="published"))
    before = catalog.update_course("gerez-un-projet-etudiant", {})  # nothing changes

    after = catalog.update_course(
        "gerez-un-projet-etudiant",
        {
            "chapters": [*course()["chapters"], {"id": "livrer", "title": "Livrer"}],
            "quiz": {**course()["quiz"], "pass_mark": 80},
        },
    )

    events = announced(catalog)
    assert [e["event_type"] for e in events] == [
        "course.published.v1",
        "course.updated.v1",
    ]
    data = read_event(COURSE_UPDATED_V1, events[1], "test").data
    assert [c["id"] for c in data["chapters"]] == ["cadrer", "planifier", "livrer"]
    assert data["quiz"]["pass_mark"] == 80
    assert after["updated_at"] > before["updated_at"]
    assert after["title"] == course()["title"]  # left out: kept


def test_editing_a_draft_announces_nothing(catalog):
    catalog.create_course(course())
    catalog.update_course("gerez-un-projet-etudiant", {"title": "Un autre titre"})

    assert announced(catalog) == []


def test_retiring_announces_and_takes_the_course_out_of_search(catalog):
    catalog.create_course(course(status="published"))
    assert catalog.search_courses({"q": "gerez un projet etudiant"})["total"] == 1

    retired = catalog.retire_course("gerez-un-projet-etudiant")

    assert retired["status"] == "retired"
    assert [e["event_type"] for e in announced(catalog)][-1] == "course.retired.v1"
    assert catalog.search_courses({"q": "gerez un projet etudiant"})["total"] == 0
    assert catalog.retire_course("gerez-un-projet-etudiant")["status"] == "retired"
    assert len(announced(catalog)) == 2  # retiring twice announces once
    with pytest.raises(Conflict):
        catalog.update_course("gerez-un-projet-etudiant", {"title": "Encore"})


def test_a_draft_cannot_be_retired(catalog):
    catalog.create_course(course())

    with pytest.raises(Conflict):
        catalog.retire_course("gerez-un-projet-etudiant")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"skills": ["project-planning", "astrology"]}, "skills"),
        ({"topic": "astrology"}, "topic"),
        ({"chapters": []}, "chapters"),
        (
            {"chapters": [{"id": "a", "title": "A"}, {"id": "a", "title": "B"}]},
            "chapters",
        ),
        (
            {"quiz": {"pass_mark": 101, "questions": course()["quiz"]["questions"]}},
            "quiz",
        ),
        (
            {"quiz": {"pass_mark": -1, "questions": course()["quiz"]["questions"]}},
            "quiz",
        ),
        (
            {
                "quiz": {
                    "pass_mark": 50,
                    "questions": [
                        {"question": "?", "choices": ["a", "b"], "answer": 2}
                    ],
                }
            },
            "quiz",
        ),
        ({"language": "de"}, "language"),
        ({"level": "expert"}, "level"),
        ({"id": "Not A Slug"}, "id"),
        ({"status": "retired"}, "status"),
        ({"price": 10}, "price"),
    ],
)
def test_invalid_courses_are_refused_field_by_field(catalog, overrides, field):
    with pytest.raises(Invalid) as refused:
        catalog.create_course(course(**overrides))

    assert field in fields_of(refused)
    assert announced(catalog) == []


def test_field_errors_point_at_the_item(catalog):
    with pytest.raises(Invalid) as refused:
        catalog.create_course(
            course(
                skills=["project-planning", "astrology"],
                chapters=[{"id": "a", "title": "A"}, {"id": "a", "title": "B"}],
            )
        )

    errors = refused.value.errors
    assert errors["skills"] == {1: ["unknown skill 'astrology'"]}
    assert errors["chapters"] == {1: {"id": ["duplicate chapter id 'a'"]}}


def test_a_taken_id_is_a_conflict_on_the_id(catalog):
    catalog.create_course(course())

    with pytest.raises(Conflict) as refused:
        catalog.create_course(course(title="Another"))
    assert refused.value.errors == {"id": ["a course with this id already exists"]}
    with pytest.raises(Conflict):  # a seeded course's id too
        catalog.create_course(course(id="build-your-first-website-html-css"))


def test_a_patch_is_checked_like_a_creation_and_cannot_change_id_or_status(catalog):
    catalog.create_course(course(status="published"))

    for patch, field in [
        ({"skills": ["astrology"]}, "skills"),
        ({"chapters": []}, "chapters"),
        ({"id": "other"}, "id"),
        ({"status": "draft"}, "status"),
    ]:
        with pytest.raises(Invalid) as refused:
            catalog.update_course("gerez-un-projet-etudiant", patch)
        assert field in fields_of(refused)
    with pytest.raises(NotFound):
        catalog.update_course("no-such-course", {"title": "x"})
    assert len(announced(catalog)) == 1


def test_updated_at_always_moves_forward(catalog):
    catalog.create_course(course(status="published"))
    stamps = [
        catalog.update_course("gerez-un-projet-etudiant", {"duration_hours": n})[
            "updated_at"
        ]
        for n in range(5, 10)
    ]

    assert stamps == sorted(set(stamps))


def test_operators_edits_survive_a_restart_until_the_seed_entry_changes(seeded):
    from services.catalog import domain

    with seeded.begin() as session:
        session.get(Course, "get-started-with-seo").title = "SEO, edited by an operator"
        again = domain.load_seed(session, utcnow())

    assert (again.published, again.updated, again.retired) == ([], [], [])
    with seeded() as session:
        assert session.get(Course, "get-started-with-seo").title.startswith(
            "SEO, edited"
        )


def test_the_snapshot_holds_what_readers_reach(catalog):
    catalog.create_course(course())  # a draft: not in it
    snapshot = catalog.catalogue_snapshot()

    statuses = {c["status"] for c in snapshot["courses"]}
    assert statuses == {"published", "retired"}
    assert len(snapshot["courses"]) == 61
    assert {"skills", "paths", "topics"} <= set(snapshot)
    assert all(
        "answer" not in q
        for c in snapshot["courses"]
        if c["quiz"]
        for q in c["quiz"]["questions"]
    )


def test_the_rpc_search_takes_an_opaque_cursor_too(catalog):
    first = catalog.search_courses({"limit": 10})
    second = catalog.search_courses({"limit": 10, "cursor": first["next_cursor"]})

    assert not set(ids(first)) & set(ids(second))
    assert len(ids(second)) == 10


def test_touch_moves_past_an_equal_or_later_clock():
    row = Course(updated_at=T0)
    from services.catalog.domain import touch

    touch(row, T0 - timedelta(seconds=1))
    assert row.updated_at == T0 + timedelta(microseconds=1)
