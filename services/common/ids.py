"""Ids for rows, events and messages: one kind, made one way, in every service."""

from __future__ import annotations

import os
import time


def new_id() -> str:
    return new_ids(1)[0]


def new_ids(count: int) -> list[str]:
    """``count`` new ids: time-ordered UUIDs (version 7, RFC 9562) as text.

    The first 48 bits are the time in milliseconds, then a 12-bit counter that keeps a
    batch's ids in order, then 62 random bits. Every table keys its rows by these
    ids: a random (version 4) key sends each new row to any page of the primary key's
    B-tree, a time-ordered one to its last pages, which stay in memory and split
    full: less work for PostgreSQL, and a smaller key (decision 0019). The random
    part is what makes an id unguessable; a link that must be secret carries a
    secret of its own (an invitation's, an application's token).

    From one read of the system's random source, where ``uuid4()`` costs a system
    call and a UUID object per id (decision 0019).
    """
    raw = bytearray(os.urandom(16 * count))
    now = time.time_ns() // 1_000_000
    for n, at in enumerate(range(0, len(raw), 16)):
        # past 4,096 ids the counter wraps and the time moves on a millisecond
        raw[at:at + 6] = (now + (n >> 12)).to_bytes(6, "big")
        raw[at + 6] = 0x70 | (n >> 8) & 0x0F  # version 7, the counter's high bits
        raw[at + 7] = n & 0xFF
        raw[at + 8] = raw[at + 8] & 0x3F | 0x80  # RFC 9562 variant
    h = raw.hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-{h[i + 12:i + 16]}-{h[i + 16:i + 20]}-"
            f"{h[i + 20:i + 32]}" for i in range(0, len(h), 32)]
