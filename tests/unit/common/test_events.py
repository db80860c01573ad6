"""The event envelope, the tolerant reader and idempotent consumption."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from marshmallow import ValidationError
from sqlalchemy import MetaData, func, select

from services.common.applied import first_delivery
from services.common.contracts import Event, envelope, read_event, serialize
from services.common.db import infrastructure_tables
from services.onboarding.contracts.events import APPLICATION_RECEIVED_V1

RECEIVED_AT = datetime(2025, 3, 16, 9, 30, tzinfo=UTC)
DATA = {
    "application_id": "app-1",
    "name": "Lycée Victor Hugo",
    "type": "secondary_school",
    "country": "FR",
    "expected_learners": 300,
    "received_at": RECEIVED_AT,
}


def a_body(**changes) -> dict:
    body = envelope(
        APPLICATION_RECEIVED_V1,
        serialize(APPLICATION_RECEIVED_V1, DATA),
        "req-42",
        str(uuid.uuid4()),
    )
    body.update(changes)
    return body


def test_serialize_dumps_a_valid_payload_as_json_types():
    data = serialize(APPLICATION_RECEIVED_V1, DATA)

    assert data["received_at"] == "2025-03-16T09:30:00+00:00"
    assert data["expected_learners"] == 300


def test_serialize_rejects_a_payload_missing_a_required_field():
    incomplete = {k: v for k, v in DATA.items() if k != "name"}

    with pytest.raises(ValidationError) as raised:
        serialize(APPLICATION_RECEIVED_V1, incomplete)
    assert "name" in raised.value.messages


def test_the_envelope_carries_the_documented_fields():
    event_id = str(uuid.uuid4())
    before = datetime.now(UTC)

    body = envelope(APPLICATION_RECEIVED_V1, {"x": 1}, "req-42", event_id)

    assert set(body) == {
        "event_id",
        "event_type",
        "minor_version",
        "occurred_at",
        "producer",
        "correlation_id",
        "data",
    }
    assert body["event_id"] == event_id
    assert body["event_type"] == "application.received.v1"
    assert body["minor_version"] == 0
    assert body["producer"] == "onboarding"
    assert body["correlation_id"] == "req-42"
    assert body["data"] == {"x": 1}
    occurred = datetime.fromisoformat(body["occurred_at"])
    assert occurred.utcoffset().total_seconds() == 0
    assert before <= occurred <= datetime.now(UTC)


def test_the_event_type_names_its_exchange():
    assert APPLICATION_RECEIVED_V1.exchange == "onboarding.events"


def test_read_event_loads_the_envelope_and_data():
    body = a_body()

    event = read_event(APPLICATION_RECEIVED_V1, body, "licensing.on_received")

    assert event.event_id == body["event_id"]
    assert event.event_type == "application.received.v1"
    assert event.producer == "onboarding"
    assert event.correlation_id == "req-42"
    assert event.consumer == "licensing.on_received"
    assert event.data["received_at"] == RECEIVED_AT
    assert event.data["name"] == "Lycée Victor Hugo"


def test_read_event_ignores_fields_it_does_not_know():
    body = a_body(minor_version=3, trace={"span": "abc"})
    body["data"]["website"] = "https://www.lycee-hugo.fr"

    event = read_event(APPLICATION_RECEIVED_V1, body, "c")

    assert "website" not in event.data
    assert event.data["application_id"] == "app-1"


def test_read_event_raises_on_a_missing_required_data_field():
    body = a_body()
    del body["data"]["country"]

    with pytest.raises(ValidationError):
        read_event(APPLICATION_RECEIVED_V1, body, "c")


def test_a_consumer_reader_checks_only_the_fields_it_uses():
    """A consumer that needs the country and name reads them, converted as the
    event type says; a field it does not use may be anything; one it uses may not
    be missing."""
    from marshmallow import Schema, fields

    class Where(Schema):
        name = fields.String(required=True)
        country = fields.String(required=True)

    body = a_body()
    body["data"]["received_at"] = "not a time"  # not read by this consumer
    event = read_event(APPLICATION_RECEIVED_V1, body, "c", reader=Where)
    assert event.data == {"name": "Lycée Victor Hugo",
                          "country": body["data"]["country"]}
    with pytest.raises(ValidationError):
        read_event(APPLICATION_RECEIVED_V1, body, "c")  # the type's own schema
    del body["data"]["country"]
    with pytest.raises(ValidationError):
        read_event(APPLICATION_RECEIVED_V1, body, "c", reader=Where)


@pytest.mark.parametrize("field", ["event_id", "occurred_at", "producer", "data"])
def test_read_event_raises_on_a_missing_envelope_field(field):
    body = a_body()
    del body[field]

    with pytest.raises(ValidationError):
        read_event(APPLICATION_RECEIVED_V1, body, "c")


def test_read_event_raises_on_a_malformed_event_id():
    with pytest.raises(ValidationError):
        read_event(APPLICATION_RECEIVED_V1, a_body(event_id="not-a-uuid"), "c")


@pytest.fixture
def applied(make_sessions):
    metadata = MetaData()
    _, applied_table = infrastructure_tables(metadata)
    return make_sessions(metadata), applied_table


def an_event(event_id: str, consumer: str) -> Event:
    return Event(
        event_id=event_id,
        event_type="application.received.v1",
        occurred_at=RECEIVED_AT,
        producer="onboarding",
        correlation_id=None,
        data={},
        consumer=consumer,
    )


def test_first_delivery_is_true_once_per_event_and_consumer(applied):
    sessions, table = applied
    event_id = str(uuid.uuid4())

    results = []
    for consumer in (
        "licensing.on_approved",
        "licensing.on_approved",
        "tracking.on_approved",
    ):
        with sessions.begin() as session:
            results.append(first_delivery(session, table, an_event(event_id, consumer)))

    assert results == [True, False, True]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(table)) == 2


def test_another_event_for_the_same_consumer_is_a_first_delivery(applied):
    sessions, table = applied
    with sessions.begin() as session:
        assert first_delivery(session, table, an_event(str(uuid.uuid4()), "c"))
        assert first_delivery(session, table, an_event(str(uuid.uuid4()), "c"))


def test_a_delivery_rolled_back_is_not_recorded(applied):
    sessions, table = applied
    event = an_event(str(uuid.uuid4()), "c")

    session = sessions()
    session.begin()
    assert first_delivery(session, table, event)
    session.rollback()
    session.close()

    with sessions.begin() as session:
        assert first_delivery(session, table, event) is True
