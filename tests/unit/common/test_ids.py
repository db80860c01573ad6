"""Ids: time-ordered, unique, in the UUID text every table and event carries."""

from __future__ import annotations

import time
import uuid

from services.common.ids import new_id, new_ids


def test_ids_are_time_ordered_uuids_in_the_order_they_were_made():
    before = time.time_ns() // 1_000_000
    ids = new_ids(5000)  # more than the 12-bit counter holds
    later = new_ids(3)
    after = time.time_ns() // 1_000_000
    assert len(set(ids + later)) == 5003
    assert ids == sorted(ids)  # a batch's ids sort as they were made, as text too
    for made in ids + later:
        parsed = uuid.UUID(made)
        assert (str(parsed), parsed.version, parsed.variant) == (
            made, 7, uuid.RFC_4122)
        assert before <= parsed.int >> 80 <= after + 2  # their time, in milliseconds
    assert len(new_ids(1)[0]) == len(new_id()) and new_ids(0) == []


def test_ids_made_in_the_same_millisecond_still_differ():
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == 2000
    assert len({made[:13] for made in ids}) < 2000  # many shared a millisecond
