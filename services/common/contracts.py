"""Event types and the envelope: what producers and consumers agree on.

Producers declare their events in their own ``events.py`` with :class:`EventType`;
the registry below collects them all (the AsyncAPI document and the contract tests
read it). Publishing goes through :mod:`services.common.outbox`, never directly;
consuming through :mod:`services.common.events`. No nameko here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from marshmallow import EXCLUDE, Schema, fields

from .db import utcnow
from .registry import event_modules

REGISTRY: dict[str, EventType] = {}


@dataclass(frozen=True)
class EventType:
    """``<subject>.<past-tense verb>.v<major>`` published by ``producer``."""

    producer: str
    name: str
    schema: type[Schema]
    minor_version: int = 0  # bumped for additive, optional fields only
    doc: str = ""
    # the type published in its place, once this one no longer is: still declared
    # while consumers credit what an older release published (the AsyncAPI document
    # says so)
    superseded_by: str = ""

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


def all_event_types() -> dict[str, EventType]:
    """Every event type the platform produces (imports each registered events
    module: declaring its types registers them)."""
    event_modules()
    return dict(sorted(REGISTRY.items()))
