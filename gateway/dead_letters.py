"""Dead letters: events a consumer could not handle, kept with why, replayed by hand.

A handler that fails ATTEMPTS times sets its event aside in the dead-letter queue,
with the error (services/common/events.py); the broker does the same, without an
error, for a message whose process died with it that many times. The gateway
records each one here, once (``letter_key``), and counts it in
``continuity_dead_letters_total{queue}``. An operator lists them (the API, the
``/ops/dead-letters`` page) and, once the cause is fixed, replays one or all of
a queue: the event goes back to that queue alone, the other consumers of its type
are not bothered (decision 0049).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from amqp.exceptions import NotFound
from kombu import Connection
from prometheus_client import Counter
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.common.events import (
    DEAD_AT,
    DEAD_ATTEMPTS,
    DEAD_ERROR,
    DEAD_LETTER_ID,
    DEAD_QUEUE,
    Letter,
)

from .models import DeadLetter

DEAD_LETTERS = Counter(
    "continuity_dead_letters",
    "Events set aside after their consumer failed them as many times as it tries",
    ["queue"],
)
REPLAY_OF = "continuity-replay-of"  # header of a replayed event: the dead letter's id
STATES = ("waiting", "replayed")


class QueueGone(Exception):
    """The dead letter's queue no longer exists: its consumer was removed."""


def why(letter: Letter) -> dict:
    """The queue, error, attempts and moment of a dead letter, from the consumer's
    headers or else the broker's death record (a process that died each time)."""
    headers = letter.headers
    if DEAD_QUEUE in headers:
        return {"key": f"consumer:{headers[DEAD_LETTER_ID]}",
                "queue": headers[DEAD_QUEUE], "error": headers[DEAD_ERROR],
                "attempts": int(headers[DEAD_ATTEMPTS]),
                "dead_at": datetime.fromisoformat(headers[DEAD_AT])}
    death = (headers.get("x-death") or [{}])[0]
    queue = death.get("queue") or headers.get("x-first-death-queue") or "unknown"
    moment = death.get("time")
    if isinstance(moment, datetime) and moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    reason = death.get("reason") or headers.get("x-first-death-reason") or "unknown"
    return {"key": f"broker:{queue}:{death.get('count', 1)}:{moment}:"
                   f"{hashlib.sha256(letter.body).hexdigest()[:16]}",
            "queue": queue,
            "error": f"the broker set it aside ({reason}): its handler never answered "
                     "(the process stopped while handling it)",
            "attempts": None, "dead_at": moment}


def envelope_ids(letter: Letter) -> tuple[str | None, str | None]:
    """(event type, event id) of an event envelope; (None, None) for anything else."""
    try:
        data = json.loads(letter.body)
    except (ValueError, UnicodeDecodeError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    return data.get("event_type"), data.get("event_id")


def record(session: Session, letter: Letter, now: datetime) -> bool:
    """Keep a dead letter; False when it was kept already (a redelivery)."""
    reason = why(letter)
    event_type, event_id = envelope_ids(letter)
    headers = {k: v for k, v in letter.headers.items()
               if not k.startswith(("x-", "continuity-dead-"))}
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    done = session.execute(insert(DeadLetter).values(
        letter_key=reason["key"], queue=reason["queue"], event_type=event_type,
        event_id=event_id, error=reason["error"], attempts=reason["attempts"],
        dead_at=reason["dead_at"] or now, body=letter.body.decode("utf-8", "replace"),
        content_type=letter.content_type, content_encoding=letter.content_encoding,
        headers=json.loads(json.dumps(headers, default=str)),
    ).on_conflict_do_nothing(index_elements=["letter_key"]))
    if done.rowcount:
        DEAD_LETTERS.labels(reason["queue"]).inc()
    return bool(done.rowcount)


def letters(session: Session, *, queue: str | None = None, state: str | None = None,
            limit: int = 50, before_id: int | None = None) -> list[DeadLetter]:
    """Newest first; the next page is the letters older than ``before_id``."""
    query = select(DeadLetter).order_by(DeadLetter.id.desc()).limit(limit)
    if queue is not None:
        query = query.where(DeadLetter.queue == queue)
    if state == "waiting":
        query = query.where(DeadLetter.replayed_at.is_(None))
    elif state == "replayed":
        query = query.where(DeadLetter.replayed_at.is_not(None))
    if before_id is not None:
        query = query.where(DeadLetter.id < before_id)
    return list(session.scalars(query))


def waiting_queues(session: Session) -> list[str]:
    """The queues that have dead letters not replayed yet."""
    return list(session.scalars(
        select(DeadLetter.queue).where(DeadLetter.replayed_at.is_(None))
        .group_by(DeadLetter.queue).order_by(DeadLetter.queue)))


def replay(session: Session, amqp_uri: str, chosen: list[DeadLetter], by: str,
           now: datetime) -> int:
    """Put each letter back in its queue (confirmed), and mark it replayed."""
    if not chosen:
        return 0
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = conn.Producer()
        for letter in chosen:
            try:
                conn.default_channel.queue_declare(letter.queue, passive=True)
            except NotFound:
                raise QueueGone(letter.queue) from None
            producer.publish(
                letter.body.encode(), exchange="", routing_key=letter.queue,
                headers={**letter.headers, REPLAY_OF: letter.id},
                content_type=letter.content_type,
                content_encoding=letter.content_encoding, delivery_mode=2)
            letter.replayed_at, letter.replayed_by = now, by
    return len(chosen)
