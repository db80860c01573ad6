"""Event types, the envelope, and the consuming side (tolerant, idempotent).

Producers declare their events in their own ``events.py`` with :class:`EventType`;
the registry below collects them all (the AsyncAPI document and the contract tests
read it). Publishing goes through :mod:`services.common.outbox`, never directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, partial
from typing import Any

import eventlet
from marshmallow import EXCLUDE, Schema, ValidationError, fields
from nameko.events import BROADCAST, EventHandler
from nameko.exceptions import ContainerBeingKilled
from sqlalchemy import Table
from sqlalchemy.orm import Session

from .broker import SteadyQueueConsumer
from .db import insert_ignore_returning, utcnow
from .topology import event_queue

log = logging.getLogger(__name__)

REGISTRY: dict[str, EventType] = {}


@dataclass(frozen=True)
class EventType:
    """``<subject>.<past-tense verb>.v<major>`` published by ``producer``."""

    producer: str
    name: str
    schema: type[Schema]
    minor_version: int = 0  # bumped for additive, optional fields only
    doc: str = ""

    def __post_init__(self) -> None:
        subject, verb, major = self.name.split(".")
        if not (major.startswith("v") and major[1:].isdigit()):
            raise ValueError(f"bad event type {self.name!r}")
        REGISTRY[self.name] = self

    @property
    def exchange(self) -> str:
        return f"{self.producer}.events"


@cache
def schema_of(event_type: EventType) -> Schema:
    """One instance per event type: building a schema costs more than using it."""
    return event_type.schema()


def serialize(event_type: EventType, obj: Any) -> dict:
    """Dump and re-load strictly: a wrong payload fails here, never in a consumer."""
    schema = schema_of(event_type)
    data = schema.dump(obj)
    schema.load(data)
    return data


def envelope(
    event_type: EventType, data: dict, correlation_id: str | None, event_id: str
) -> dict:
    return {
        "event_id": event_id,
        "event_type": event_type.name,
        "minor_version": event_type.minor_version,
        "occurred_at": utcnow().isoformat(),
        "producer": event_type.producer,
        "correlation_id": correlation_id,
        "data": data,
    }


class EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    event_id = fields.UUID(required=True)
    event_type = fields.String(required=True)
    minor_version = fields.Integer(load_default=0)
    occurred_at = fields.AwareDateTime(required=True)
    producer = fields.String(required=True)
    correlation_id = fields.String(allow_none=True, load_default=None)
    data = fields.Dict(required=True)


@dataclass(frozen=True)
class Event:
    """A consumed event: envelope fields plus ``data`` loaded by the type's schema."""

    event_id: str
    event_type: str
    occurred_at: datetime
    producer: str
    correlation_id: str | None
    data: dict = field(hash=False)
    consumer: str = ""


@cache
def _tolerant_schema_of(schema: type[Schema]) -> Schema:
    return schema(unknown=EXCLUDE)


ENVELOPE = EnvelopeSchema()  # made once: building a schema costs more than a load


def read_event(event_type: EventType, body: dict, consumer: str,
               reader: type[Schema] | None = None) -> Event:
    """Tolerant reader: unknown fields are ignored, missing required ones raise.

    ``reader``: the consumer's own schema of the fields it uses, fewer than the
    type's (licensing reads a roster batch's learner ids, not their names). The
    producer checked the whole payload; each consumer checks what it relies on.
    """
    env = ENVELOPE.load(body)
    data = _tolerant_schema_of(reader or event_type.schema).load(env["data"])
    return Event(
        event_id=str(env["event_id"]),
        event_type=env["event_type"],
        occurred_at=env["occurred_at"],
        producer=env["producer"],
        correlation_id=env["correlation_id"],
        data=data,
        consumer=consumer,
    )


def first_deliveries(
    session: Session, applied: Table, events: list[Event]
) -> list[Event]:
    """``first_delivery`` for a batch in one statement: the events not applied yet,
    in their order (an event delivered twice in the batch counts once)."""
    unique = list({event.event_id: event for event in events}.values())
    if not unique:
        return []
    fresh = insert_ignore_returning(session, applied, [
        {"event_id": event.event_id, "consumer": event.consumer} for event in unique
    ], "event_id")
    return [event for event in unique if event.event_id in fresh]


def in_lock_order(events: list[Event], key: str = "institution_id"
                  ) -> list[tuple[Any, list[Event]]]:
    """A batch's events grouped by ``data[key]``: keys sorted, each key's events in
    the order they came. Batches that lock per key in this order (a licence, an
    institution's rows) never wait on each other in a circle."""
    groups: dict[Any, list[Event]] = {}
    for event in events:
        groups.setdefault(event.data[key], []).append(event)
    return sorted(groups.items(), key=lambda item: item[0])


def first_delivery(session: Session, applied: Table, event: Event) -> bool:
    """Record that ``event`` is applied by its consumer; False if it already was.

    Call it inside the transaction that applies the event: the record and the change
    commit together, so a redelivered event changes nothing, and two copies racing
    on the same delivery serialise on the primary key.
    """
    return bool(first_deliveries(session, applied, [event]))


class EventConsumer(EventHandler):
    """``@consume(LICENCE_ISSUED_V1)``: the handler receives an :class:`Event`.

    Queues are shared by every copy of the consuming service (competing consumers).
    A handler that raises puts the message back for another try; a message that is
    not a valid envelope is logged and dropped, since no retry can fix it.
    """

    queue_consumer = SteadyQueueConsumer()  # rides out a broker restart (broker.py)

    def __init__(self, event_type: EventType, reader: type[Schema] | None = None,
                 **kwargs):
        self.event_type_def = event_type
        self.reader = reader  # see read_event
        kwargs.setdefault("requeue_on_error", True)
        super().__init__(event_type.producer, event_type.name, **kwargs)

    def setup(self) -> None:
        super().setup()
        if self.reliable_delivery and self.handler_type != BROADCAST:
            # the one definition of the queue: producers declare it too (topology)
            self.queue = event_queue(self.source_service, self.event_type,
                                     self.container.service_name, self.method_name,
                                     self.handler_type)

    def read(self, body, message) -> tuple[Event, dict] | None:
        """The event and its worker's context; None for a malformed one (dropped)."""
        consumer = f"{self.container.service_name}.{self.method_name}"
        try:
            event = read_event(self.event_type_def, body, consumer, self.reader)
        except ValidationError as exc:
            log.error(
                "dropping malformed %s: %s", self.event_type, exc.messages,
                extra={"event_type": self.event_type},
            )
            self.queue_consumer.ack_message(message)
            return None
        context_data = self.unpack_message_headers(message)
        if event.correlation_id and not context_data.get("correlation_id"):
            context_data["correlation_id"] = event.correlation_id
        return event, context_data

    def handle_message(self, body, message):
        read = self.read(body, message)
        if read is None:
            return
        event, context_data = read
        try:
            self.container.spawn_worker(
                self,
                (event,),
                {},
                context_data=context_data,
                handle_result=partial(self.handle_result, message),
            )
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_result(self, message, worker_ctx, result=None, exc_info=None):
        if exc_info is not None and self.requeue_on_error:
            log.warning(
                "%s failed, the event goes back to the queue: %r",
                self.method_name, exc_info[1],
            )
            eventlet.sleep(0.5)  # a failing dependency is not hammered
        return super().handle_result(message, worker_ctx, result, exc_info)


consume = EventConsumer.decorator

BATCH_EVENTS = 50  # events handed to one worker at most


class BatchEventConsumer(EventConsumer):
    """``@consume_batch(LEARNERS_ENROLLED_V1)``: the handler receives a list of
    :class:`Event` — those that reached this process while its previous batch was
    being handled (one, when the queue is quiet).

    In a surge a consumer's fixed cost per event (a transaction and its commit, the
    dedupe insert, the outbox insert, the worker, the ack) is paid once per batch;
    batches grow only when events arrive faster than they are handled, so a quiet
    queue adds no wait. One batch is in flight per process and entrypoint; the
    queue's prefetch (the process's ``max_workers``) bounds what waits in memory.

    A batch whose handler raises is handled again one event at a time, each in a
    worker of its own: one event that cannot be applied yet (it goes back to the
    queue, as with ``@consume``) never holds back the others.
    """

    def __init__(self, event_type: EventType, max_batch: int = BATCH_EVENTS, **kwargs):
        self.max_batch = max_batch
        super().__init__(event_type, **kwargs)

    def setup(self) -> None:
        super().setup()
        self._waiting: list[tuple[Event, Any, dict]] = []  # (event, message, context)
        self._in_flight = False

    def handle_message(self, body, message):
        read = self.read(body, message)
        if read is None:
            return
        event, context_data = read
        self._waiting.append((event, message, context_data))
        if not self._in_flight:
            self._next_batch()

    def _next_batch(self) -> None:
        batch = self._waiting[:self.max_batch]
        del self._waiting[:self.max_batch]
        if not batch:
            self._in_flight = False
            return
        self._in_flight = True
        self._spawn(batch, partial(self._batch_done, batch))

    def _spawn(self, batch: list, handle_result) -> None:
        try:
            self.container.spawn_worker(
                self, ([event for event, _, _ in batch],), {},
                context_data=batch[0][2], handle_result=handle_result,
            )
        except ContainerBeingKilled:
            for _, message, _ in batch:
                self.queue_consumer.requeue_message(message)

    def _batch_done(self, batch, worker_ctx, result=None, exc_info=None):
        if exc_info is not None and len(batch) > 1:
            log.warning("%s failed on a batch of %d events, each goes alone: %r",
                        self.method_name, len(batch), exc_info[1])
            alone = [([one], partial(self.handle_result, one[1])) for one in batch]
        else:
            alone = []
            for _, message, _ in batch:
                self.handle_result(message, worker_ctx, None, exc_info)
        # from a thread of its own: this worker's place in the pool is still taken
        self.container.spawn_managed_thread(partial(self._after_batch, alone))
        return result, exc_info

    def _after_batch(self, alone: list) -> None:
        for batch, handle_result in alone:
            self._spawn(batch, handle_result)
        self._next_batch()


consume_batch = BatchEventConsumer.decorator


def all_event_types() -> dict[str, EventType]:
    """Every event type the platform produces (imports each service's events.py)."""
    import importlib

    from .config import SERVICES

    for service in SERVICES:
        importlib.import_module(f"services.{service}.events")
    return dict(sorted(REGISTRY.items()))
