"""The catalogue's events build tracking's read model; progress is gated by it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from services.catalog.domain import SEED
from services.catalog.service import CatalogService
from services.licensing.events import LICENCE_ISSUED_V1, SEATS_ASSIGNED_V1
from services.onboarding.events import LEARNERS_ENROLLED_V1
from services.tracking.exceptions import Forbidden, Invalid
from services.tracking.service import TrackingService
from tests.support.broker import publish_event
from tests.support.waiting import wait_for


def enrol_and_seat(uri: str, institution: str, learners: list[str],
                   seated: list[str]) -> None:
    """What tracking hears of an institution: a licence with a seat for each of
    ``seated``, ``learners`` enrolled, and ``seated`` given their seat."""
    now = datetime.now(UTC)
    publish_event(uri, LICENCE_ISSUED_V1, {
        "licence_id": str(uuid.uuid4()), "institution_id": institution, "plan": "spark",
        "seats": len(seated), "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=90)).isoformat()})
    publish_event(uri, LEARNERS_ENROLLED_V1, {
        "institution_id": institution, "import_job_id": str(uuid.uuid4()),
        "learners": [{"learner_id": lid, "email": f"{n}@x.fr", "first_name": "A",
                      "last_name": "B", "cohort": "C1", "external_id": None}
                     for n, lid in enumerate(learners)]})
    publish_event(uri, SEATS_ASSIGNED_V1, {
        "licence_id": str(uuid.uuid4()), "institution_id": institution,
        "learner_ids": seated, "seats_used": len(seated),
        "seats_granted": len(seated)})


def test_seeded_courses_reach_tracking_and_progress_completes_one(
    container_factory, service_config, collect, rabbit_config
):
    uri = rabbit_config["AMQP_URI"]
    published = collect("catalog", "course.published.v1")
    skills = collect("tracking", "skill.acquired.v1")
    tracking_config = service_config("tracking")
    container_factory(TrackingService, tracking_config).start()  # consumers first
    container_factory(CatalogService, service_config("catalog")).start()

    seed = json.loads(SEED.read_text())
    expected = [c for c in seed["courses"] if c["status"] == "published"]
    published.wait(len(expected), timeout=20)
    course = next(c for c in expected if c["quiz"] is None)

    institution, learner, other = (str(uuid.uuid4()) for _ in range(3))
    enrol_and_seat(uri, institution, [learner, other], seated=[learner])

    with ClusterRpcProxy(tracking_config) as rpc:
        def accepted():
            try:
                return rpc.tracking.record_progress(learner, {
                    "id": "p-1", "course_id": course["id"], "kind": "course_completed"})
            except Forbidden:
                return None  # the seat event is not applied yet
        result = wait_for(accepted)
        assert result["course_completed"] is True
        assert sorted(result["skills_acquired"]) == sorted(course["skills"])
        with pytest.raises(Forbidden) as refused:
            rpc.tracking.record_progress(other, {"course_id": course["id"],
                                                 "kind": "course_completed"})
        assert refused.value.code == "no_seat"
        with pytest.raises(Invalid):
            rpc.tracking.record_progress(learner, {"course_id": "no-such-course",
                                                   "kind": "course_completed"})
        board = rpc.tracking.get_dashboard(institution)
    assert board["totals"]["courses_completed"] == 1
    assert board["cohorts"][0]["learners"] == 2
    assert len(skills.wait(len(course["skills"]))) == len(course["skills"])
    assert not isinstance(result, RemoteError)
