"""Frozen samples: a ValidationError here means a breaking change (make a .v2 instead)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from services.common.contracts import EnvelopeSchema, all_event_types, read_event

SAMPLES = Path(__file__).with_name("samples")
EVENT_TYPES = all_event_types()
# ``<event type>.json``: the first frozen sample; ``<event type>.minor-<n>.json``: one
# of a later minor version, frozen when that version adds its fields
MINOR = ".minor-"
SAMPLE_FILES = sorted(p.stem for p in SAMPLES.glob("*.json"))


def type_of(sample_file: str) -> str:
    return sample_file.partition(MINOR)[0]


def test_every_event_type_has_a_frozen_sample_and_no_sample_is_orphaned():
    assert sorted(p for p in SAMPLE_FILES if MINOR not in p) == sorted(EVENT_TYPES)
    assert {type_of(p) for p in SAMPLE_FILES} == set(EVENT_TYPES)


@pytest.mark.parametrize("sample_file", SAMPLE_FILES)
def test_frozen_sample_still_loads(sample_file):
    name = type_of(sample_file)
    sample = json.loads((SAMPLES / f"{sample_file}.json").read_text(encoding="utf-8"))
    EnvelopeSchema().load(sample)
    event = read_event(EVENT_TYPES[name], sample, consumer="contract-test")
    assert event.event_type == name
    assert sample["minor_version"] <= EVENT_TYPES[name].minor_version
    if MINOR in sample_file:
        assert sample["minor_version"] == int(sample_file.partition(MINOR)[2])


def test_an_approved_institution_announces_its_language_from_minor_version_1():
    name = "institution.approved.v1"
    old, new = (json.loads((SAMPLES / f"{file}.json").read_text(encoding="utf-8"))
                for file in (name, f"{name}{MINOR}1"))
    assert "language" not in read_event(EVENT_TYPES[name], old, "contract-test").data
    assert read_event(EVENT_TYPES[name], new, "contract-test").data["language"] == "fr"


@pytest.mark.parametrize("sample_file", SAMPLE_FILES)
def test_consumers_ignore_fields_they_do_not_know(sample_file):
    name = type_of(sample_file)
    sample = json.loads((SAMPLES / f"{sample_file}.json").read_text(encoding="utf-8"))
    sample["data"]["added_in_a_later_minor_version"] = {"any": "thing"}
    sample["unknown_envelope_field"] = 1
    read_event(EVENT_TYPES[name], sample, consumer="contract-test")


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_event_type_names_follow_the_convention(name):
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*\.[a-z]+\.v[1-9][0-9]*", name)


def consumer_readers() -> list[tuple[str, object, type]]:
    """Every entrypoint that reads its events with a schema of its own."""
    import importlib
    import inspect

    found = []
    for service in ("catalog", "onboarding", "licensing", "tracking"):
        module = importlib.import_module(f"services.{service}.service")
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            for name, method in vars(cls).items():
                for entrypoint in getattr(method, "nameko_entrypoints", ()):
                    if getattr(entrypoint, "reader", None) is not None:
                        found.append((f"{cls.__name__}.{name}",
                                      entrypoint.event_type_def, entrypoint.reader))
    return found


def fields_of(schema) -> dict:
    """A schema's fields by data key, a list of records as its records' fields."""
    from marshmallow import fields

    described = {}
    for name, field in schema().fields.items():
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            described[field.data_key or name] = (type(field), fields_of(inner.nested))
        else:
            described[field.data_key or name] = type(field)
    return described


def test_licensing_reads_roster_batches_with_a_reader_of_its_own():
    assert [name for name, *_ in consumer_readers()] == [
        "LicensingService.on_onboarding_learners_enrolled"]


@pytest.mark.parametrize("entrypoint, event_type, reader", consumer_readers())
def test_a_consumer_reads_a_part_of_what_the_producer_writes(
        entrypoint, event_type, reader):
    """A reader names only fields the event type has, of the same kind: a producer
    renaming one fails here, not in a consumer during a surge; its frozen sample
    loads with the reader."""
    def within(read: dict, written: dict) -> bool:
        for key, kind in read.items():
            if key not in written:
                return False
            if isinstance(kind, tuple):
                if not (isinstance(written[key], tuple) and kind[0] is written[key][0]
                        and within(kind[1], written[key][1])):
                    return False
            elif kind is not written[key]:
                return False
        return True

    assert within(fields_of(reader), fields_of(event_type.schema)), entrypoint
    sample = json.loads((SAMPLES / f"{event_type.name}.json").read_text(
        encoding="utf-8"))
    event = read_event(event_type, sample, "contract-test", reader)
    assert set(event.data) == set(fields_of(reader))


@pytest.mark.parametrize("sample_file", SAMPLE_FILES)
def test_the_asyncapi_payload_schema_accepts_the_frozen_sample(sample_file):
    """What partners validate against: the payload schema of the served document."""
    import jsonschema_rs

    from gateway.asyncapi import build

    name = type_of(sample_file)
    channel = build("amqp://broker.example:5672/")["channels"][name]
    validator = jsonschema_rs.Draft7Validator(channel["subscribe"]["message"]["payload"])
    sample = json.loads((SAMPLES / f"{sample_file}.json").read_text(encoding="utf-8"))
    errors = [e.message for e in validator.iter_errors(sample)]
    assert errors == []
    sample["data"]["added_in_a_later_minor_version"] = 1  # tolerant readers
    assert validator.is_valid(sample)
    assert not validator.is_valid({**sample, "event_type": "some.other.v1"})
