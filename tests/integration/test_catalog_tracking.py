"""The catalogue's events build tracking's read model; progress is gated by it."""

from __future__ import annotations

import json
import uuid

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from services.catalog.domain import SEED
from services.catalog.service import CatalogService
from services.tracking.contracts.errors import Forbidden, Invalid
from services.tracking.service import TrackingService
from tests.support.broker import enrol_and_seat
from tests.support.waiting import wait_for


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
