"""Frozen samples: a ValidationError here means a breaking change (make a .v2 instead)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from services.common.events import EnvelopeSchema, all_event_types, read_event

SAMPLES = Path(__file__).with_name("samples")
EVENT_TYPES = all_event_types()


def test_every_event_type_has_a_frozen_sample_and_no_sample_is_orphaned():
    assert sorted(p.stem for p in SAMPLES.glob("*.json")) == sorted(EVENT_TYPES)


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_frozen_sample_still_loads(name):
    sample = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    EnvelopeSchema().load(sample)
    event = read_event(EVENT_TYPES[name], sample, consumer="contract-test")
    assert event.event_type == name
    assert sample["minor_version"] <= EVENT_TYPES[name].minor_version


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_consumers_ignore_fields_they_do_not_know(name):
    sample = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    sample["data"]["added_in_a_later_minor_version"] = {"any": "thing"}
    sample["unknown_envelope_field"] = 1
    read_event(EVENT_TYPES[name], sample, consumer="contract-test")


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_event_type_names_follow_the_convention(name):
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*\.[a-z]+\.v[1-9][0-9]*", name)
