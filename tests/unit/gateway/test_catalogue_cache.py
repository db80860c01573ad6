"""The gateway's copy of the catalogue: events in any order, gaps, reloads, ETags."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.catalogue_cache import (
    APPLIED,
    GAP,
    STALE,
    CatalogueCache,
    CatalogueFeed,
    CatalogueNotLoaded,
)
from services.catalog.contracts.errors import NotFound
from services.catalog.domain import SEED

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SEO = "get-started-with-seo"


def detail(course: dict, at: datetime = T0) -> dict:
    quiz = course["quiz"]
    return {
        **{
            k: course[k]
            for k in (
                "id",
                "title",
                "summary",
                "language",
                "level",
                "duration_hours",
                "topic",
                "skills",
                "status",
                "chapters",
            )
        },
        "has_quiz": quiz is not None,
        "updated_at": at.isoformat(),
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


@pytest.fixture
def snapshot() -> dict:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    return {
        "courses": [detail(c) for c in seed["courses"] if c["status"] != "draft"],
        "skills": [
            {"id": s["id"], "name": s["name"], "topic": s["topic"]}
            for s in seed["skills"]
        ],
        "paths": seed["paths"],
        "topics": seed["topics"],
    }


@pytest.fixture
def cache(snapshot) -> CatalogueCache:
    cache = CatalogueCache()
    cache.setup()
    cache.reload(lambda: copy.deepcopy(snapshot), "start")
    return cache


def request(query: str = "", **headers) -> Request:
    return Request(EnvironBuilder(query_string=query, headers=headers).get_environ())


def found(cache: CatalogueCache, query: str) -> list[str]:
    answer = cache.search(request(query + "&limit=100"))
    return [c["id"] for c in json.loads(answer.get_data())["items"]]


def event_course(snapshot: dict, course_id: str, at: datetime, **changes) -> dict:
    """A course as course.published.v1 / course.updated.v1 carry it (after reading)."""
    course = next(c for c in snapshot["courses"] if c["id"] == course_id)
    quiz = course["quiz"]
    return {
        **{
            k: course[k]
            for k in (
                "id",
                "title",
                "summary",
                "language",
                "level",
                "duration_hours",
                "topic",
                "skills",
                "chapters",
            )
        },
        "quiz": {"pass_mark": quiz["pass_mark"], "questions": len(quiz["questions"])}
        if quiz
        else None,
        "status": "published",
        "updated_at": at,
        **changes,
    }


def test_not_ready_until_loaded(snapshot):
    cache = CatalogueCache()
    cache.setup()
    with pytest.raises(CatalogueNotLoaded):
        cache.ready()
    cache.reload(lambda: snapshot, "start")
    assert cache.ready() and cache.due() is None


def test_search_answers_with_etag_cache_control_and_304(cache):
    first = cache.search(request("q=gestion+de+projet&language=fr"))

    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = cache.search(
        request(
            "q=gestion+de+projet&language=fr", **{"If-None-Match": f'"other", {etag}'}
        )
    )
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    weak = cache.search(
        request("q=gestion+de+projet&language=fr", **{"If-None-Match": "W/" + etag})
    )
    assert weak.status_code == 304
    other = cache.search(request("q=gestion+de+projet&language=en"))
    assert other.headers["ETag"] != etag


def test_a_retired_event_takes_the_course_out_of_search_and_changes_the_etag(cache):
    before = cache.search(request("q=seo"))
    assert found(cache, "q=seo") == [SEO]

    assert cache.apply_retired(SEO, T0 + timedelta(seconds=1)) == APPLIED

    assert found(cache, "q=seo") == []
    after = cache.search(request("q=seo", **{"If-None-Match": before.headers["ETag"]}))
    assert after.status_code == 200
    page = cache.course_page(request(), SEO)  # its page stays, as retired
    assert json.loads(page.get_data())["status"] == "retired"


def test_older_and_repeated_facts_change_nothing(cache, snapshot):
    version = cache.version
    assert cache.apply_retired(SEO, T0 - timedelta(seconds=1)) == STALE
    assert (
        cache.apply_course(
            "course.updated.v1", event_course(snapshot, SEO, T0, title="Old")
        )
        == STALE
    )
    assert cache.version == version

    newer = event_course(snapshot, SEO, T0 + timedelta(seconds=2), title="Newer SEO")
    assert cache.apply_course("course.updated.v1", newer) == APPLIED
    assert cache.apply_course("course.updated.v1", newer) == STALE  # redelivered
    # the retirement that happened before the update arrives after it: ignored
    assert cache.apply_retired(SEO, T0 + timedelta(seconds=1)) == STALE
    assert found(cache, "q=newer+seo") == [SEO]


def test_an_update_of_a_course_never_seen_is_a_gap(cache, snapshot):
    unknown = {**event_course(snapshot, SEO, T0 + timedelta(seconds=1)), "id": "ghost"}

    assert cache.apply_course("course.updated.v1", unknown) == GAP
    assert cache.apply_retired("ghost-2", T0) == GAP
    assert cache.due() == "gap"


def test_a_course_from_an_event_is_searchable_at_once_and_complete_after_its_page(
    cache, snapshot
):
    new = event_course(
        snapshot, SEO, T0 + timedelta(seconds=1), id="seo-avance", title="SEO avancé"
    )
    assert cache.apply_course("course.published.v1", new) == APPLIED

    assert found(cache, "q=seo+avance") == ["seo-avance"]
    assert cache.course("seo-avance").complete is False  # the quiz text is not in it
    page = {
        **detail(
            next(c for c in snapshot["courses"] if c["id"] == SEO),
            T0 + timedelta(seconds=1),
        ),
        "id": "seo-avance",
        "title": "SEO avancé",
    }
    cache.apply_detail(page)
    assert cache.course("seo-avance").complete
    body = json.loads(cache.course_page(request(), "seo-avance").get_data())
    assert body["quiz"]["questions"][0]["choices"]


def test_a_reload_keeps_what_events_brought_while_it_was_on_its_way(cache, snapshot):
    def slow_snapshot():
        # while the snapshot travels, an event retires a course it still shows
        cache.apply_retired(SEO, T0 + timedelta(seconds=5))
        return copy.deepcopy(snapshot)

    cache.reload(slow_snapshot, "periodic")

    assert found(cache, "q=seo") == []
    assert cache.course(SEO).detail["status"] == "retired"


def test_unknown_courses_and_paths_are_not_found(cache):
    with pytest.raises(NotFound):
        cache.course_page(request(), "scale-your-react-applications")  # a draft
    with pytest.raises(NotFound):
        cache.path_page(request(), "no-such-path")
    paths = json.loads(cache.path_list(request()).get_data())
    assert len(paths["items"]) == 14 and paths["next_cursor"] is None


# -- the feed: what the BROADCAST handlers do ---------------------------------------
class FakeCatalog:
    """The catalog's RPC as the feed uses it, answering from a snapshot."""

    def __init__(self, snapshot: dict):
        self.snapshot = snapshot
        self.snapshots_served = 0

    def catalogue_snapshot(self) -> dict:
        self.snapshots_served += 1
        return copy.deepcopy(self.snapshot)

    def get_course(self, course_id: str) -> dict:
        for course in self.snapshot["courses"]:
            if course["id"] == course_id:
                return copy.deepcopy(course)
        raise NotFound("course not found")


@pytest.fixture
def feed(cache, snapshot):
    class Feed(CatalogueFeed):
        config = {"RPC_TIMEOUT": 5}

    feed = Feed()
    feed.catalogue = cache
    feed.catalog_rpc = FakeCatalog(snapshot)
    return feed


def event(data: dict) -> SimpleNamespace:
    return SimpleNamespace(data=data)


def test_a_gap_makes_the_feed_reload_everything(feed, snapshot):
    new_course = {
        **detail(
            next(c for c in snapshot["courses"] if c["id"] == SEO),
            T0 + timedelta(seconds=3),
        ),
        "id": "missed",
        "title": "Missed",
    }
    feed.catalog_rpc.snapshot["courses"].append(new_course)

    feed.on_catalog_course_retired(
        event({"course_id": "missed", "retired_at": T0 + timedelta(seconds=1)})
    )

    assert feed.catalog_rpc.snapshots_served == 1
    assert found(feed.catalogue, "q=missed") == ["missed"]
    assert feed.catalogue.due() is None


def test_the_feed_fetches_the_page_an_event_could_not_carry(feed, snapshot):
    changed = detail(
        next(c for c in snapshot["courses"] if c["id"] == SEO),
        T0 + timedelta(seconds=1),
    )
    changed["quiz"]["pass_mark"] = 90
    feed.catalog_rpc.snapshot["courses"] = [
        changed if c["id"] == SEO else c for c in feed.catalog_rpc.snapshot["courses"]
    ]

    feed.on_catalog_course_updated(
        event(
            event_course(
                snapshot,
                SEO,
                T0 + timedelta(seconds=1),
                quiz={"pass_mark": 90, "questions": 4},
            )
        )
    )

    record = feed.catalogue.course(SEO)
    assert record.complete and record.detail["quiz"]["pass_mark"] == 90


def test_the_timer_loads_at_start_and_then_only_when_due(snapshot):
    class Feed(CatalogueFeed):
        config = {"RPC_TIMEOUT": 5}

    feed = Feed()
    feed.catalogue = CatalogueCache()
    feed.catalogue.setup()
    feed.catalog_rpc = FakeCatalog(snapshot)

    feed.refresh_catalogue()
    feed.refresh_catalogue()
    feed.ensure_catalogue()

    assert feed.catalog_rpc.snapshots_served == 1
    assert feed.catalogue.ready()
