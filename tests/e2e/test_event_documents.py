"""What a partner validates against: the served AsyncAPI document accepts every event
a journey really publishes, read from queues of our own as a partner binds them."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

import jsonschema_rs
import pika
import pytest

from services.common.contracts import all_event_types
from tests.support.broker import EventCollector
from tests.support.journey import onboard, operator
from tests.support.platform import start_platform, stop_platform
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def partner_example():
    """docs/examples/partner_consumer.py, the script partners copy (not a package)."""
    path = REPO / "docs/examples/partner_consumer.py"
    spec = importlib.util.spec_from_file_location("partner_consumer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_published_event_matches_the_served_asyncapi_payload(tmp_path, rabbit_config):
    uri = rabbit_config["AMQP_URI"]
    # bound before the platform starts: catalog's seed events are caught too
    producers = sorted({t.producer for t in all_event_types().values()})
    collectors = [EventCollector(uri, producer) for producer in producers]
    example = partner_example()  # pika speaks amqp:// where kombu says pyamqp://
    partner = pika.BlockingConnection(pika.URLParameters(
        "amqp://" + uri.split("://", 1)[1]))
    p = start_platform(tmp_path, uri)
    try:
        # the partner's example binds its own queue as the served document says
        channel = partner.channel()
        queue = f"partner-{uuid.uuid4().hex[:8]}"
        example.declare(channel, queue, example.bindings(
            p.api("GET", "/api/asyncapi.json").json(),
            ["licence.*.v1", "institution.activated.v1"]))
        school = onboard(p, "lycee-documents.fr", learners=3, seats=2)
        learner = next(iter(school.learners.values()))
        courses = p.api("GET", "/api/v1/courses", params={"limit": 100}).json()["items"]
        course = next(c for c in courses if not c["has_quiz"] and c["skills"])
        done = p.api("POST", "/api/v1/progress", learner,
                     json={"course_id": course["id"], "kind": "course_completed"})
        assert done.status_code == 201, done.text
        ops = operator(p)
        licence = f"/api/v1/licences/{school.licence_id}"
        for path, body in [("/seats", {"seats": 1}), ("/extension", {"days": 30}),
                           ("/revocation", {"reason": "end of the pilot"})]:
            answer = p.api("POST", licence + path, ops, json=body)
            assert answer.status_code == 200, answer.text
        document = p.api("GET", "/api/asyncapi.json").json()
        wanted = {"course.published.v1", "application.received.v1",
                  "institution.approved.v1", "licence.issued.v1",
                  "institution.activated.v1", "learners.enrolled.v1",
                  "seats.assigned.v1", "seats.waitlisted.v1", "progress.recorded.v1",
                  "course.completed.v1", "skill.acquired.v1", "seats.added.v1",
                  "licence.extended.v1", "licence.revoked.v1"}

        def seen() -> set[str]:
            for collector in collectors:
                collector.drain(0.1)
            return {m["event_type"] for c in collectors for m in c.messages}

        wait_for(lambda: wanted <= seen(), timeout=30)
        handled: list[dict] = []
        example.consume(channel, queue, handled.append, inactivity_timeout=1)
        types = {e["event_type"] for e in handled}
        assert {"licence.issued.v1", "institution.activated.v1", "licence.extended.v1",
                "licence.revoked.v1"} <= types
        assert all(t.startswith("licence.") or t == "institution.activated.v1"
                   for t in types)
        # what it does not know (minor_version, producer, ...) it left alone
        assert {frozenset(e) for e in handled} == {
            frozenset({"event_id", "event_type", "occurred_at", "data"})}
        # every one acked after handling: nothing left, nothing unacked
        assert channel.queue_declare(queue, passive=True).method.message_count == 0
    finally:
        partner.close()
        assert stop_platform(p) == 0
        for collector in collectors:
            collector.connection.release()
    events = [m for c in collectors for m in c.messages]
    problems = []
    for event in events:
        channel = document["channels"][event["event_type"]]
        validator = jsonschema_rs.Draft7Validator(
            channel["subscribe"]["message"]["payload"])
        problems += [f"{event['event_type']}: {e.message}"
                     for e in validator.iter_errors(event)]
    assert problems == []
    assert len(events) > len(wanted)
