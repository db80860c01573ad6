"""Talk to the real RabbitMQ the way another service or a partner would."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from kombu import Connection, Exchange, Queue

from services.common.contracts import EventType, envelope, serialize
from services.licensing.contracts.events import LICENCE_ISSUED_V1, SEATS_ASSIGNED_V1
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1


def publish_event(amqp_uri: str, event_type: EventType, data: dict,
                  event_id: str | None = None, correlation_id: str | None = None) -> str:
    event_id = event_id or str(uuid.uuid4())
    loaded = event_type.schema().load(data)  # test data may give dates as strings
    body = envelope(event_type, serialize(event_type, loaded), correlation_id, event_id)
    exchange = Exchange(event_type.exchange, type="topic", durable=True)
    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        producer.publish(body, exchange=exchange, routing_key=event_type.name,
                         declare=[exchange], serializer="json", delivery_mode=2)
    return event_id


class EventCollector:
    """A partner-style queue bound to a service's exchange: ``collector.wait(n)``."""

    def __init__(self, amqp_uri: str, producer: str, pattern: str = "#"):
        self.connection = Connection(amqp_uri)
        self.exchange = Exchange(f"{producer}.events", type="topic", durable=True)
        self.queue = Queue(f"test-{uuid.uuid4().hex[:8]}", self.exchange,
                           routing_key=pattern, exclusive=True)
        self.messages: list[dict] = []
        channel = self.connection.channel()
        self.exchange.declare(channel=channel)
        self.consumer = self.connection.Consumer(self.queue, callbacks=[self._on_message],
                                                 accept=["json"])
        self.consumer.consume()

    def _on_message(self, body, message):
        self.messages.append(body)
        message.ack()

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.connection.drain_events(timeout=0.1)
            except TimeoutError:
                pass
            except OSError:
                pass

    def wait(self, count: int, timeout: float = 10.0, event_type: str | None = None) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.of(event_type)) < count and time.monotonic() < deadline:
            self.drain(0.1)
        found = self.of(event_type)
        assert len(found) >= count, f"expected {count} {event_type or 'events'}, got {found}"
        return found

    def of(self, event_type: str | None) -> list[dict]:
        return [m for m in self.messages if event_type in (None, m["event_type"])]

    def close(self) -> None:
        self.connection.release()


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
