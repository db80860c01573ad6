"""Dead letters in the gateway's table: recorded once with why, from the consumer's
headers or the broker's death record; listed by queue and state; and the retry
waits of a failing handler."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from gateway import dead_letters
from gateway.models import Base
from services.common.events import Letter, retry_wait

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
QUEUE = "evt-licensing-licence.issued.v1--tracking.on_licensing_licence_issued"
BODY = json.dumps({"event_id": "e-1", "event_type": "licence.issued.v1",
                   "data": {}}).encode()


@pytest.fixture
def db():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


def from_consumer(letter_id: str = "l-1", queue: str = QUEUE) -> Letter:
    return Letter(BODY, {"nameko.correlation_id": "c-1",
                         "continuity-dead-letter-id": letter_id,
                         "continuity-dead-queue": queue,
                         "continuity-dead-error": "KeyError: 'plan'",
                         "continuity-dead-at": "2026-12-07T01:59:00+00:00",
                         "continuity-dead-attempts": 5,
                         "x-delivery-count": 4},
                  "application/json", "utf-8")


def counted(queue: str = QUEUE) -> float:
    return REGISTRY.get_sample_value("continuity_dead_letters_total",
                                     {"queue": queue}) or 0.0


def test_a_letter_is_recorded_once_with_why_and_counted_once(db):
    before = counted()
    for _ in range(2):  # the dead-letter queue gives it again
        with db.begin() as session:
            dead_letters.record(session, from_consumer(), NOW)
    with db.begin() as session:
        [letter] = dead_letters.letters(session)
        assert (letter.queue, letter.event_type, letter.event_id, letter.attempts) \
            == (QUEUE, "licence.issued.v1", "e-1", 5)
        assert letter.error == "KeyError: 'plan'"
        assert letter.dead_at == datetime(2026, 12, 7, 1, 59, tzinfo=UTC)
        # what goes back on a replay: the body and the application's headers only
        assert letter.headers == {"nameko.correlation_id": "c-1"}
        assert letter.body.encode() == BODY
    assert counted() - before == 1


def test_a_letter_the_broker_set_aside_says_its_handler_never_answered(db):
    death = {"x-death": [{"count": 1, "reason": "delivery_limit", "queue": QUEUE,
                          "time": datetime(2026, 12, 7, 1, 58)}]}
    with db.begin() as session:
        assert dead_letters.record(session, Letter(BODY, death, None, None), NOW)
        assert not dead_letters.record(session, Letter(BODY, death, None, None), NOW)
        [letter] = dead_letters.letters(session)
        assert letter.queue == QUEUE and letter.attempts is None
        assert "delivery_limit" in letter.error and "never answered" in letter.error
        assert letter.dead_at == datetime(2026, 12, 7, 1, 58, tzinfo=UTC)


def test_letters_by_queue_and_state_newest_first(db):
    with db.begin() as session:
        for n, queue in enumerate([QUEUE, "evt-other", QUEUE]):
            dead_letters.record(session, from_consumer(f"l-{n}", queue), NOW)
        first = dead_letters.letters(session, queue=QUEUE)[-1]
        first.replayed_at, first.replayed_by = NOW, "ops@x.fr"
    with db.begin() as session:
        assert [x.id for x in dead_letters.letters(session, queue=QUEUE)] == [3, 1]
        assert [x.id for x in dead_letters.letters(session, state="waiting")] == [3, 2]
        assert [x.id for x in dead_letters.letters(session, state="replayed")] == [1]
        assert [x.id for x in dead_letters.letters(session, before_id=3)] == [2, 1]
        assert dead_letters.waiting_queues(session) == [QUEUE, "evt-other"]


def test_a_failing_handler_waits_longer_each_time_up_to_a_bound():
    assert [retry_wait(n) for n in range(1, 8)] == [0.25, 0.5, 1, 2, 4, 8, 8]
