"""The partner's consumer example (docs/examples) without a broker: what it binds and
what it reads of an envelope."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from gateway import asyncapi

PATH = Path(__file__).resolve().parents[2] / "docs/examples/partner_consumer.py"
spec = importlib.util.spec_from_file_location("partner_consumer", PATH)
example = importlib.util.module_from_spec(spec)
spec.loader.exec_module(example)


def test_it_binds_what_the_asyncapi_document_names():
    document = asyncapi.build("amqp://broker")
    routes = example.bindings(document, ["licence.*.v1"])
    assert ("licensing.events", "licence.issued.v1") in routes
    assert {key for _, key in routes} == {
        t for t in document["channels"] if t.startswith("licence.")}


def test_it_reads_the_fields_it_knows_and_ignores_the_others():
    body = json.dumps({"event_id": "e1", "event_type": "licence.issued.v1",
                       "minor_version": 3, "occurred_at": "2026-12-07T00:00:00+00:00",
                       "producer": "licensing", "correlation_id": None,
                       "new_field": {"x": 1}, "data": {"seats": 2}}).encode()
    assert example.read(body) == {
        "event_id": "e1", "event_type": "licence.issued.v1",
        "occurred_at": "2026-12-07T00:00:00+00:00", "data": {"seats": 2}}
    assert example.read(b"not json") is None
    assert example.read(b'{"event_type": "x"}') is None
