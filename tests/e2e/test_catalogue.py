"""The catalogue as readers and operators meet it, through the real processes.

Search (accents, filters, facets, stable cursors), problem+json on bad edits, ETag and
304, and a retired course leaving search within a second of its event.
"""

from __future__ import annotations

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.support.journey import PROBLEM
from tests.support.platform import start_platform, stop_platform
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e



@pytest.fixture(scope="module")
def platform(tmp_path_factory, rabbit_manager, vhost_pipeline):
    tmp = tmp_path_factory.mktemp("catalogue")
    with vhost_pipeline.get() as vhost:
        uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
        running = start_platform(tmp, uri)
        running.amqp_uri = uri
        yield running
        assert stop_platform(running) == 0, running.log()[-3000:]


@pytest.fixture(scope="module")
def operator(platform):
    answer = platform.api(
        "POST",
        "/api/v1/auth/token",
        json={"email": "ops@continuity.test", "password": "operator-secret-1"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def new_course(course_id: str, **overrides) -> dict:
    return {
        "id": course_id,
        "title": "Animez une classe virtuelle",
        "summary": "Gardez vos élèves attentifs à distance.",
        "language": "fr",
        "level": "beginner",
        "duration_hours": 3,
        "topic": "digital-skills",
        "skills": ["online-collaboration"],
        "chapters": [
            {"id": "preparer", "title": "Préparer"},
            {"id": "animer", "title": "Animer"},
        ],
        "quiz": {
            "pass_mark": 70,
            "questions": [
                {
                    "question": "Combien de temps tient l'attention ?",
                    "choices": ["10 minutes", "2 heures"],
                    "answer": 0,
                }
            ],
        },
        **overrides,
    }


def search(platform, **params) -> dict:
    answer = platform.api("GET", "/api/v1/courses", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_search_folds_accents_and_counts_facets(platform):
    accented = search(platform, q="developpement web")
    assert {c["title"].split(" :")[0] for c in accented["items"]} == {
        "Développement web"
    }

    page = search(platform, q="Gestion de Projet", language="fr")
    assert page["total"] == 3
    assert all(c["title"].startswith("Gestion de projet") for c in page["items"])
    assert set(page["facets"]) == {"language", "level", "topic", "skill", "path"}
    assert page["facets"]["path"] == {"parcours-chef-de-projet": 3}

    nothing = search(platform, topic="astrology")
    assert nothing["items"] == [] and sum(nothing["facets"]["topic"].values()) == 59


@pytest.mark.parametrize(
    "params, field",
    [
        ({"level": "expert"}, "level"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"language": "de"}, "language"),
        ({"cursor": "garbage"}, "cursor"),
    ],
)
def test_invalid_search_parameters_are_problems_naming_the_field(
    platform, params, field
):
    answer = platform.api("GET", "/api/v1/courses", params=params)

    assert answer.status_code == 422
    assert answer.headers["Content-Type"] == PROBLEM
    assert field in {e["field"] for e in answer.json()["errors"]}


def test_pages_stay_consistent_while_operators_add_and_retire(platform, operator):
    everything = [c["id"] for c in search(platform, language="fr", limit=100)["items"]]
    first = search(platform, language="fr", limit=10)
    # between two pages: a course that sorts first arrives, one already served leaves,
    # and one not yet served leaves too
    created = platform.api(
        "POST",
        "/api/v1/courses",
        operator,
        json=new_course("aaa-bureautique-express", topic="data", status="published"),
    )
    assert created.status_code == 201, created.text
    for gone in (everything[3], everything[20]):
        assert (
            platform.api("POST", f"/api/v1/courses/{gone}/retire", operator).status_code
            == 200
        )

    seen, cursor = [c["id"] for c in first["items"]], first["next_cursor"]
    while cursor:
        page = search(platform, language="fr", limit=10, cursor=cursor)
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]

    throughout = [i for i in everything if i not in (everything[3], everything[20])]
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i in throughout] == throughout


def test_editing_errors_are_problem_json_with_fields(platform, operator):
    bad = platform.api(
        "POST",
        "/api/v1/courses",
        operator,
        json=new_course(
            "cours-invalide",
            skills=["astrology"],
            topic="nowhere",
            level="expert",
            chapters=[{"id": "a", "title": "A"}, {"id": "a", "title": "B"}],
            quiz={"pass_mark": 120, "questions": []},
        ),
    )
    assert bad.status_code == 422 and bad.headers["Content-Type"] == PROBLEM
    assert {"level", "quiz.pass_mark", "quiz.questions"} <= {
        e["field"] for e in bad.json()["errors"]
    }

    semantic = platform.api(
        "POST",
        "/api/v1/courses",
        operator,
        json=new_course(
            "cours-invalide",
            skills=["astrology"],
            topic="nowhere",
            chapters=[{"id": "a", "title": "A"}, {"id": "a", "title": "B"}],
        ),
    )
    assert semantic.status_code == 422
    assert {(e["field"], e["reason"]) for e in semantic.json()["errors"]} == {
        ("skills.0", "unknown skill 'astrology'"),
        ("topic", "unknown topic 'nowhere'"),
        ("chapters.1.id", "duplicate chapter id 'a'"),
    }

    empty = platform.api(
        "POST", "/api/v1/courses", operator, json=new_course("cours-vide", chapters=[])
    )
    assert [e["field"] for e in empty.json()["errors"]] == ["chapters"]

    taken = platform.api(
        "POST",
        "/api/v1/courses",
        operator,
        json=new_course("build-your-first-website-html-css"),
    )
    assert taken.status_code == 409 and taken.headers["Content-Type"] == PROBLEM
    assert taken.json()["errors"] == [
        {"field": "id", "reason": "a course with this id already exists"}
    ]

    assert (
        platform.api(
            "PATCH", "/api/v1/courses/no-such-course", operator, json={"title": "x"}
        ).status_code
        == 404
    )
    assert (
        platform.api("POST", "/api/v1/courses", json=new_course("x")).status_code == 401
    )
    assert (
        platform.api("POST", "/api/v1/courses/no-such/publish", operator).status_code
        == 404
    )


def test_etag_and_304_until_the_course_changes(platform, operator):
    created = platform.api(
        "POST",
        "/api/v1/courses",
        operator,
        json=new_course("classe-virtuelle", status="published"),
    )
    assert created.status_code == 201, created.text
    assert created.headers["Cache-Control"] == "no-store"
    url = "/api/v1/courses/classe-virtuelle"

    page = platform.api("GET", url)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "public, max-age=60"
    etag = page.headers["ETag"]
    assert page.json()["quiz"]["questions"][0] == {
        "question": "Combien de temps tient l'attention ?",
        "choices": ["10 minutes", "2 heures"],
    }
    same = platform.api("GET", url, headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""

    listing = platform.api("GET", "/api/v1/courses", params={"q": "classe virtuelle"})
    assert (
        platform.api(
            "GET",
            "/api/v1/courses",
            params={"q": "classe virtuelle"},
            headers={"If-None-Match": listing.headers["ETag"]},
        ).status_code
        == 304
    )

    patched = platform.api(
        "PATCH",
        url,
        operator,
        json={
            "chapters": [
                *new_course("x")["chapters"],
                {"id": "evaluer", "title": "Évaluer"},
            ]
        },
    )
    assert patched.status_code == 200 and len(patched.json()["chapters"]) == 3
    changed = platform.api("GET", url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert [c["id"] for c in changed.json()["chapters"]][-1] == "evaluer"


def test_a_course_retired_in_the_catalog_leaves_search_by_its_event(platform):
    """Retired through the catalog's own RPC: only the event can tell the gateway."""
    course_id = "measure-your-audience-with-web-analytics"
    before = platform.api("GET", "/api/v1/courses", params={"q": "web analytics"})
    assert course_id in [c["id"] for c in before.json()["items"]]

    with ClusterRpcProxy({"AMQP_URI": platform.amqp_uri}) as rpc:
        rpc.catalog.retire_course(course_id)

    def gone():
        answer = platform.api("GET", "/api/v1/courses", params={"q": "web analytics"})
        return course_id not in [c["id"] for c in answer.json()["items"]] and answer

    answer = wait_for(gone, timeout=5)
    assert answer.headers["ETag"] != before.headers["ETag"]
    page = platform.api("GET", f"/api/v1/courses/{course_id}").json()
    assert page["status"] == "retired"


def test_a_course_published_in_the_catalog_appears_with_its_full_page(platform):
    with ClusterRpcProxy({"AMQP_URI": platform.amqp_uri}) as rpc:
        rpc.catalog.create_course(
            new_course("publie-par-evenement", title="Publié par un événement")
        )
        rpc.catalog.publish_course("publie-par-evenement")

    found = wait_for(lambda: search(platform, q="publie par un evenement")["items"])
    assert found[0]["id"] == "publie-par-evenement"
    page = platform.api("GET", "/api/v1/courses/publie-par-evenement").json()
    assert page["quiz"]["questions"][0]["choices"] == ["10 minutes", "2 heures"]
