"""Licensing's and onboarding's lifecycle events, through the real broker, change what
tracking answers over RPC: seats, removals, extensions, revocation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import create_engine, text

from services.catalog.contracts.events import COURSE_PUBLISHED_V1
from services.licensing.contracts.events import (
    LICENCE_EXPIRED_V1,
    LICENCE_EXTENDED_V1,
    LICENCE_ISSUED_V1,
    LICENCE_REVOKED_V1,
    SEATS_ADDED_V1,
    SEATS_ASSIGNED_V1,
    SEATS_RELEASED_V1,
)
from services.onboarding.contracts.events import (
    LEARNERS_ENROLLED_V1,
    LEARNERS_REMOVED_V1,
)
from services.tracking.contracts.errors import Forbidden
from services.tracking.contracts.rpc import LearnersPage
from services.tracking.service import TrackingService
from tests.support.broker import publish_event
from tests.support.waiting import wait_for

NOW = datetime.now(UTC)
COURSE = {
    "id": "it-course", "title": "Intégration", "summary": "s", "language": "fr",
    "level": "beginner", "duration_hours": 2, "topic": "data", "skills": ["sql"],
    "chapters": [{"id": "it-ch1", "title": "Un"}, {"id": "it-ch2", "title": "Deux"}],
    "quiz": None, "status": "published", "updated_at": NOW.isoformat(),
}


@pytest.fixture
def world(container_factory, service_config, rabbit_config):
    """Tracking running; an institution with a licence, three seated learners."""
    uri = rabbit_config["AMQP_URI"]
    config = service_config("tracking")
    container_factory(TrackingService, config).start()
    ids = SimpleIds()
    publish_event(uri, COURSE_PUBLISHED_V1, COURSE)
    publish_event(uri, LICENCE_ISSUED_V1, {
        "licence_id": ids.licence, "institution_id": ids.institution, "plan": "spark",
        "seats": 3, "starts_at": (NOW - timedelta(days=1)).isoformat(),
        "ends_at": (NOW + timedelta(days=89)).isoformat()})
    publish_event(uri, LEARNERS_ENROLLED_V1, {
        "institution_id": ids.institution, "import_job_id": str(uuid.uuid4()),
        "learners": [{"learner_id": lid, "email": f"{name}@lycee.fr",
                      "first_name": name.title(), "last_name": last, "cohort": cohort,
                      "external_id": None}
                     for lid, name, last, cohort in (
                         (ids.leo, "leo", "Durand", "2nde A"),
                         (ids.mia, "mia", "Petit", "2nde B"),
                         (ids.noa, "noa", "Bernard", "2nde A"))]})
    publish_event(uri, SEATS_ASSIGNED_V1, {
        "licence_id": ids.licence, "institution_id": ids.institution,
        "learner_ids": [ids.leo, ids.mia, ids.noa], "seats_used": 3,
        "seats_granted": 3})
    ids.engine = create_engine(config["DATABASE_URL"])
    try:
        with ClusterRpcProxy(config) as rpc:
            ids.rpc = rpc.tracking
            wait_for(lambda: seated(ids) == 3)
            yield ids
    finally:
        ids.engine.dispose()


class SimpleIds:
    def __init__(self):
        new = lambda: str(uuid.uuid4())  # noqa: E731
        self.institution, self.licence = new(), new()
        self.leo, self.mia, self.noa = new(), new(), new()
        self.rpc = None
        self.engine = None


def seated(ids) -> int:
    try:
        return ids.rpc.get_dashboard(ids.institution)["licence"]["seats_used"]
    except Forbidden:
        return -1  # the licence is not there yet


def applied(ids, handler: str) -> int:
    with ids.engine.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM applied_events WHERE consumer = :c"),
            {"c": f"tracking.{handler}"}).scalar()


def refusal(call) -> str | None:
    try:
        call()
    except Forbidden as exc:
        return exc.code
    return None


def test_the_learners_table_and_export_come_from_tracking_read_model(world):
    page = world.rpc.list_learners(world.institution, {"limit": "2"})
    assert LearnersPage().load(page)
    assert [i["last_name"] for i in page["items"]] == ["Bernard", "Durand"]
    rest = world.rpc.list_learners(world.institution, {"cursor": page["next_cursor"]})
    assert [i["last_name"] for i in rest["items"]] == ["Petit"]
    assert rest["next_cursor"] is None
    cohort = world.rpc.list_learners(world.institution, {"cohort": "2nde A"})
    assert {i["first_name"] for i in cohort["items"]} == {"Leo", "Noa"}

    chunk = world.rpc.export_learners(world.institution, {})
    assert chunk["text"].startswith("\ufefflearner_id;email;") and chunk["rows"] == 3


def test_released_seats_and_removed_learners_reach_tracking(world, rabbit_config):
    uri = rabbit_config["AMQP_URI"]
    publish_event(uri, SEATS_RELEASED_V1, {
        "licence_id": world.licence, "institution_id": world.institution,
        "learner_ids": [world.leo], "seats_used": 2})
    publish_event(uri, LEARNERS_REMOVED_V1, {
        "institution_id": world.institution, "learner_ids": [world.mia],
        "removed_at": NOW.isoformat()})

    progress = {"course_id": COURSE["id"], "kind": "chapter_completed",
                "chapter_id": "it-ch1"}
    wait_for(lambda: refusal(lambda: world.rpc.record_progress(
        world.leo, {**progress, "id": f"x-{uuid.uuid4().hex[:8]}"})) == "no_seat")
    board = wait_for(lambda: (b := world.rpc.get_dashboard(world.institution))[
        "totals"]["learners"] == 2 and b)
    assert board["licence"]["seats_used"] == 1  # noa; mia left, leo lost the seat
    recorded = world.rpc.record_progress(world.noa, {**progress, "id": "noa-1"})
    assert recorded["duplicate"] is False


def test_extension_seats_and_revocation_change_the_licence_in_order(
    world, rabbit_config,
):
    uri = rabbit_config["AMQP_URI"]
    publish_event(uri, LICENCE_EXTENDED_V1, {
        "licence_id": world.licence, "institution_id": world.institution, "days": 30,
        "ends_at": (NOW + timedelta(days=119)).isoformat(),
        "extended_at": NOW.isoformat()})
    publish_event(uri, SEATS_ADDED_V1, {
        "licence_id": world.licence, "institution_id": world.institution, "added": 2,
        "seats_granted": 5})
    board = wait_for(lambda: (b := world.rpc.get_dashboard(world.institution))[
        "licence"]["seats_granted"] == 5 and b["licence"]["days_left"] >= 118 and b)
    assert board["licence"]["seats_left"] == 2

    publish_event(uri, LICENCE_REVOKED_V1, {
        "licence_id": world.licence, "institution_id": world.institution,
        "reason": "closed", "revoked_at": (NOW + timedelta(seconds=1)).isoformat()})
    # an older expiry and an older extension arriving afterwards change nothing
    publish_event(uri, LICENCE_EXPIRED_V1, {
        "licence_id": world.licence, "institution_id": world.institution,
        "expired_at": NOW.isoformat()})
    publish_event(uri, LICENCE_EXTENDED_V1, {
        "licence_id": world.licence, "institution_id": world.institution, "days": 10,
        "ends_at": (NOW + timedelta(days=200)).isoformat(),
        "extended_at": (NOW - timedelta(hours=1)).isoformat()})

    wait_for(lambda: applied(world, "on_licensing_licence_extended") == 2
               and applied(world, "on_licensing_licence_expired") == 1
               and applied(world, "on_licensing_licence_revoked") == 1)
    assert refusal(lambda: world.rpc.get_dashboard(world.institution)) == \
        "licence_revoked"
    assert refusal(lambda: world.rpc.record_progress(world.noa, {
        "course_id": COURSE["id"], "kind": "course_completed"})) == "licence_revoked"
    assert refusal(lambda: world.rpc.list_learners(world.institution, {})) == \
        "licence_revoked"


def test_a_batch_of_records_answers_each_on_its_own(world, rabbit_config):
    """The gateway sends records arriving together as one batch: each gets its own
    answer, a refused or invalid one does not stop the others, the same record twice
    counts once, and one learner's records apply in the order sent."""
    def chapter(chapter_id: str, record_id: str) -> dict:
        return {"id": record_id, "course_id": COURSE["id"], "kind": "chapter_completed",
                "chapter_id": chapter_id}

    publish_event(rabbit_config["AMQP_URI"], SEATS_RELEASED_V1, {
        "licence_id": world.licence, "institution_id": world.institution,
        "learner_ids": [world.mia], "seats_used": 2})
    wait_for(lambda: refusal(lambda: world.rpc.record_progress(
        world.mia, chapter("it-ch1", f"m-{uuid.uuid4().hex[:8]}"))) == "no_seat")

    outcomes = world.rpc.record_progress_batch([
        (world.noa, chapter("it-ch1", "b-noa-1")),
        (world.mia, chapter("it-ch1", "b-mia-1")),          # no seat any more
        (world.leo, chapter("it-ch9", "b-leo-0")),          # no such chapter
        (world.noa, chapter("it-ch2", "b-noa-2")),          # completes the course
        (world.leo, chapter("it-ch1", "b-leo-1")),
        (world.noa, chapter("it-ch1", "b-noa-1")),          # the same record again
    ])

    assert [sorted(o) for o in outcomes] == [["recorded"], ["error"], ["error"],
                                             ["recorded"], ["recorded"], ["recorded"]]
    assert outcomes[1]["error"]["exc_args"][0] == "no_seat"
    assert outcomes[2]["error"]["exc_type"] == "Invalid"
    assert "chapter_id" in outcomes[2]["error"]["exc_args"][0]
    noa_first, noa_second, noa_again = (outcomes[i]["recorded"] for i in (0, 3, 5))
    assert (noa_first["duplicate"], noa_first["course_completed"]) == (False, False)
    assert (noa_second["course_completed"], noa_second["skills_acquired"]) == (
        True, ["sql"])
    assert noa_again["duplicate"] is True and noa_again["id"] == noa_first["id"]
    board = world.rpc.get_dashboard(world.institution)
    assert board["totals"]["courses_completed"] == 1
    assert board["totals"]["skills_acquired"] == 1
