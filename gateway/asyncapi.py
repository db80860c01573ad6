"""The AsyncAPI document: every event type with its payload, exchange and routing key."""

from __future__ import annotations

from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.common.contracts import EnvelopeSchema, all_event_types
from services.common.topology import subscriptions

BINDING_HELP = (
    "Events are JSON envelopes (event_id, event_type, minor_version, occurred_at, "
    "producer, correlation_id, data) published with publisher confirms on the producing "
    "service's durable topic exchange `<service>.events`, routing key = event type. "
    "Bind your own durable queue to the exchange with a pattern such as `licence.*.v1` "
    "or `#`. Delivery is at least once: de-duplicate on event_id. Ignore fields you do "
    "not know; an additive field bumps minor_version, a breaking change is a new .vN type."
)


def json_schema(schema_cls) -> dict:
    """Plain JSON Schema (OpenAPI 3.1's dialect: a null is a type, not ``nullable``)
    that admits fields it does not list, as every consumer must."""
    plugin = MarshmallowPlugin(schema_name_resolver=lambda s: None)
    APISpec(title="x", version="1", openapi_version="3.1.0", plugins=[plugin])
    return tolerant(plugin.converter.schema2jsonschema(schema_cls))


def tolerant(node):
    """The schema without ``additionalProperties: false``: an additive field bumps
    minor_version and must not make a partner's validator refuse the event."""
    if isinstance(node, dict):
        return {key: tolerant(value) for key, value in node.items()
                if not (key == "additionalProperties" and value is False)}
    if isinstance(node, list):
        return [tolerant(value) for value in node]
    return node


def consumers() -> dict[tuple[str, str], list[str]]:
    """``(producer, event type)`` → the platform's services that consume it, read
    from their handlers (the queues the topology declares), so the document cannot
    say another thing than what runs."""
    found: dict[tuple[str, str], set[str]] = {}
    for s in subscriptions():
        found.setdefault((s.producer, s.event_type), set()).add(s.service)
    return {key: sorted(services) for key, services in found.items()}


@cache
def build(server_url: str) -> dict:
    envelope = json_schema(EnvelopeSchema)
    consumed_by = consumers()
    channels = {}
    for name, event in all_event_types().items():
        payload = {**envelope, "properties": {**envelope["properties"],
                                              "data": json_schema(event.schema)}}
        payload["properties"]["event_type"] = {"type": "string", "enum": [name]}
        description = (f"No longer published: {event.superseded_by} is, in its place. "
                       f"{event.doc}" if event.superseded_by else event.doc)
        channels[name] = {
            "description": description,
            "bindings": {"amqp": {
                "is": "routingKey",
                "exchange": {"name": event.exchange, "type": "topic", "durable": True,
                             "autoDelete": False, "vhost": "/"},
                "bindingVersion": "0.2.0",
            }},
            "subscribe": {
                "operationId": "receive_" + name.replace(".", "_"),
                "summary": description,
                "message": {
                    "name": name, "title": name, "contentType": "application/json",
                    "headers": {"type": "object", "properties": {
                        "nameko.correlation_id": {"type": "string"}}},
                    "payload": payload,
                    "x-producer": event.producer,
                    # the platform's own consumers; partners bind queues of theirs
                    "x-consumers": consumed_by.get((event.producer, name), []),
                    "x-minor-version": event.minor_version,
                    # false for a type the platform keeps declared for the consumers
                    # of what an older release published; x-superseded-by names the
                    # type published in its place
                    "x-published": not event.superseded_by,
                    **({"x-superseded-by": event.superseded_by}
                       if event.superseded_by else {}),
                },
            },
        }
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "Continuity events", "version": "1.0.0",
                 "description": BINDING_HELP},
        "servers": {"broker": {"url": server_url, "protocol": "amqp",
                               "protocolVersion": "0-9-1"}},
        "defaultContentType": "application/json",
        "channels": channels,
    }
