"""Operators' edits reach tracking's read model and every gateway's catalogue copy,
through the real broker, by events only."""

from __future__ import annotations

import time

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from gateway.catalogue_cache import CatalogueCache
from gateway.service import GatewayService
from services.catalog.contracts.errors import Conflict, Invalid
from services.catalog.service import CatalogService
from services.tracking.models import Course as TrackedCourse
from services.tracking.service import TrackingService
from tests.support.ports import free_port
from tests.support.waiting import wait_for

COURSE = "build-your-first-website-html-css"


@pytest.fixture
def platform(container_factory, service_config, collect):
    """Tracking, then catalog (its seed announced), as the launcher starts them."""
    published = collect("catalog", "course.published.v1")
    tracking_config = service_config("tracking")
    container_factory(TrackingService, tracking_config).start()
    catalog_config = service_config("catalog")
    container_factory(CatalogService, catalog_config).start()
    published.wait(59, timeout=30)
    engine = create_engine(tracking_config["DATABASE_URL"])
    yield catalog_config, engine
    engine.dispose()


def tracked(engine, course_id: str) -> TrackedCourse | None:
    with Session(engine) as session:
        return session.scalar(
            select(TrackedCourse).where(TrackedCourse.id == course_id)
        )


def test_an_update_of_chapters_and_quiz_reaches_tracking(platform):
    catalog_config, engine = platform
    wait_for(lambda: tracked(engine, COURSE))
    with ClusterRpcProxy(catalog_config) as rpc:
        course = rpc.catalog.get_course(COURSE)
        chapters = [*course["chapters"], {"id": "go-further", "title": "Go further"}]
        quiz = {
            "pass_mark": 85,
            "questions": [
                {
                    "question": "Which element holds the navigation?",
                    "choices": ["<nav>", "<div>"],
                    "answer": 0,
                }
            ],
        }
        rpc.catalog.update_course(COURSE, {"chapters": chapters, "quiz": quiz})

    row = wait_for(lambda: (r := tracked(engine, COURSE)) and r.pass_mark == 85 and r)
    assert row.chapters == [c["id"] for c in chapters]
    assert row.status == "published"


def test_a_draft_reaches_tracking_only_once_published_and_leaves_when_retired(platform):
    catalog_config, engine = platform
    with ClusterRpcProxy(catalog_config) as rpc:
        rpc.catalog.create_course(
            {
                "id": "tableurs-pour-la-classe",
                "title": "Tableurs pour la classe",
                "summary": "Suivez vos élèves avec un tableur.",
                "language": "fr",
                "level": "beginner",
                "duration_hours": 3,
                "topic": "digital-skills",
                "skills": [],
                "chapters": [{"id": "bases", "title": "Les bases"}],
            }
        )
        with pytest.raises(Invalid) as refused:
            rpc.catalog.create_course({"id": "x", "chapters": []})
        assert {"title", "chapters"} <= set(refused.value.errors)  # back as itself
        with pytest.raises(Conflict):
            rpc.catalog.create_course(
                {
                    "id": COURSE,
                    "title": "t",
                    "summary": "s",
                    "language": "en",
                    "level": "beginner",
                    "duration_hours": 1,
                    "topic": "data",
                    "skills": [],
                    "chapters": [{"id": "a", "title": "A"}],
                }
            )
        time.sleep(
            1.0
        )  # the outbox relay polls every 0.2 s here: a draft sends nothing
        assert tracked(engine, "tableurs-pour-la-classe") is None

        rpc.catalog.publish_course("tableurs-pour-la-classe")
        row = wait_for(lambda: tracked(engine, "tableurs-pour-la-classe"))
        assert (row.chapters, row.pass_mark) == (["bases"], None)

        rpc.catalog.retire_course("tableurs-pour-la-classe")
    wait_for(lambda: tracked(engine, "tableurs-pour-la-classe").status == "retired")


def test_every_gateway_process_hears_every_course_event(
    platform, container_factory, service_config
):
    """Two gateways (BROADCAST: a queue each): an edit reaches both copies."""
    catalog_config, _ = platform
    caches = []
    for _ in range(2):
        container = container_factory(
            GatewayService, service_config("gateway", GATEWAY_PORT=free_port())
        )
        container.start()
        caches.append(
            next(d for d in container.dependencies if isinstance(d, CatalogueCache))
        )
    for cache in caches:
        wait_for(lambda c=cache: c.loaded_at is not None)
        assert cache.course(COURSE).detail["status"] == "published"

    with ClusterRpcProxy(catalog_config) as rpc:
        rpc.catalog.update_course(COURSE, {"title": "Your very first website"})
        for cache in caches:
            wait_for(
                lambda c=cache: (
                    c.course(COURSE).detail["title"] == "Your very first website"
                    and c.course(COURSE).complete
                ),
                timeout=5,
            )
        rpc.catalog.retire_course(COURSE)
        for cache in caches:
            wait_for(
                lambda c=cache: COURSE not in {e.id for e in c.index.entries}, timeout=5
            )
    assert all(cache.due() is None for cache in caches)  # no gap, no reload needed
