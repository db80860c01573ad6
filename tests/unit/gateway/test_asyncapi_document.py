"""The AsyncAPI document says who consumes each event: read from the handlers that
run (the topology), not written by hand."""

from __future__ import annotations

from gateway import asyncapi
from gateway.event_docs import events_page


def message(document: dict, name: str) -> dict:
    return document["channels"][name]["subscribe"]["message"]


def test_each_event_names_its_producer_and_the_services_that_consume_it():
    document = asyncapi.build("amqp://broker.example:5672/")
    stored = message(document, "statements.stored.v1")
    assert stored["x-producer"] == "lrs" and stored["x-published"] is True
    assert stored["x-consumers"] == ["tracking"]
    assert message(document, "learners.enrolled.v1")["x-consumers"] == [
        "licensing", "tracking"]
    # an event the platform announces for partners alone says so
    assert message(document, "skill.acquired.v1")["x-consumers"] == []


def test_an_event_no_longer_published_says_so_and_names_its_successor():
    """statement.stored.v1 (decision 0064): still consumed, for what the release
    before published during a rolling upgrade; partners bind the new type."""
    document = asyncapi.build("amqp://broker.example:5672/")
    old = message(document, "statement.stored.v1")
    assert old["x-published"] is False
    assert old["x-superseded-by"] == "statements.stored.v1"
    assert old["x-consumers"] == ["tracking"]
    assert document["channels"]["statement.stored.v1"]["description"].startswith(
        "No longer published: statements.stored.v1 is, in its place.")
    published = [name for name, channel in document["channels"].items()
                 if channel["subscribe"]["message"]["x-published"]]
    assert "statements.stored.v1" in published
    assert "statement.stored.v1" not in published
    assert not any("x-superseded-by" in message(document, name)
                   for name in published)


def test_the_events_page_says_who_consumes_each_event():
    page = events_page(asyncapi.build("amqp://broker.example:5672/"))
    section = page.split('<section id="statements.stored.v1">')[1].split(
        "</section>")[0]
    assert "produced by lrs, consumed by tracking" in section
    old = page.split('<section id="statement.stored.v1">')[1].split("</section>")[0]
    assert "No longer published: statements.stored.v1 is, in its place." in old
    skill = page.split('<section id="skill.acquired.v1">')[1].split("</section>")[0]
    assert "consumed by partners only" in skill


def test_the_lrs_declares_tracking_s_queues_before_it_publishes():
    """A statement stored before tracking ever started waits for it (decision 0022);
    the queue of the release before's event too, which its lrs processes publish
    during a rolling upgrade (decision 0064)."""
    from services.common.topology import routes

    names = [route.name for route in routes("lrs")]
    assert "evt-lrs-statements.stored.v1--tracking.on_lrs_statements_stored" in names
    assert "evt-lrs-statement.stored.v1--tracking.on_lrs_statement_stored" in names
