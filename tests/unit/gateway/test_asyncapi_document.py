"""The AsyncAPI document says who consumes each event: read from the handlers that
run (the topology), not written by hand."""

from __future__ import annotations

from gateway import asyncapi
from gateway.event_docs import events_page


def message(document: dict, name: str) -> dict:
    return document["channels"][name]["subscribe"]["message"]


def test_each_event_names_its_producer_and_the_services_that_consume_it():
    document = asyncapi.build("amqp://broker.example:5672/")
    stored = message(document, "statement.stored.v1")
    assert stored["x-producer"] == "lrs"
    assert stored["x-consumers"] == ["tracking"]
    assert message(document, "learners.enrolled.v1")["x-consumers"] == [
        "licensing", "tracking"]
    # an event the platform announces for partners alone says so
    assert message(document, "skill.acquired.v1")["x-consumers"] == []


def test_the_events_page_says_who_consumes_each_event():
    page = events_page(asyncapi.build("amqp://broker.example:5672/"))
    section = page.split('<section id="statement.stored.v1">')[1].split("</section>")[0]
    assert "produced by lrs, consumed by tracking" in section
    skill = page.split('<section id="skill.acquired.v1">')[1].split("</section>")[0]
    assert "consumed by partners only" in skill


def test_the_lrs_declares_tracking_s_queue_before_it_publishes():
    """A statement stored before tracking ever started waits for it (decision 0022)."""
    from services.common.topology import routes

    names = [route.name for route in routes("lrs")]
    assert "evt-lrs-statement.stored.v1--tracking.on_lrs_statement_stored" in names
