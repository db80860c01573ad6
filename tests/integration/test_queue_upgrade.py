"""Upgrading in place: the classic queues of a previous release become quorum queues
without losing the events that wait in them (services/common/queues.py)."""

from __future__ import annotations

import uuid
from collections import Counter
from urllib.parse import quote, urlsplit

import amqp
import requests
from kombu import Connection, Exchange, Queue

from services.common.events import consume
from services.common.queues import declare, holding_name
from services.common.topology import ATTEMPTS, DEAD_LETTER_EXCHANGE, event_queue
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1
from tests.support.broker import publish_event
from tests.support.waiting import wait_for

QUEUE = "evt-onboarding-learners.enrolled.v1--upgradeprobe.on_enrolled"


class Probe:
    name = "upgradeprobe"
    calls: Counter = Counter()

    @consume(LEARNERS_ENROLLED_V1)
    def on_enrolled(self, event):
        Probe.calls[event.event_id] += 1


def roster() -> dict:
    return {"institution_id": str(uuid.uuid4()), "import_job_id": str(uuid.uuid4()),
            "learners": [{"learner_id": str(uuid.uuid4()), "email": "a@b.fr",
                          "first_name": "A", "last_name": "B", "cohort": "1",
                          "external_id": None}]}


def queue_info(amqp_uri: str, name: str) -> dict | None:
    vhost = quote(urlsplit(amqp_uri).path.lstrip("/") or "/", safe="")
    answer = requests.get(f"http://127.0.0.1:15672/api/queues/{vhost}/{quote(name)}",
                          auth=("guest", "guest"), timeout=5)
    return answer.json() if answer.status_code == 200 else None


def previous_release_queue(amqp_uri: str) -> None:
    """The queue as nameko declared it before: classic, no arguments."""
    exchange = Exchange("onboarding.events", type="topic", durable=True)
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        exchange(channel).declare()
        Queue(QUEUE, exchange=exchange, routing_key=LEARNERS_ENROLLED_V1.name,
              durable=True, queue_arguments={"x-queue-type": "classic"})(
            channel).declare()


def test_events_waiting_in_a_classic_queue_survive_its_move_to_a_quorum_queue(
    container_factory, rabbit_config
):
    uri = rabbit_config["AMQP_URI"]
    previous_release_queue(uri)
    waiting = [publish_event(uri, LEARNERS_ENROLLED_V1, roster()) for _ in range(30)]
    assert queue_info(uri, QUEUE)["type"] == "classic"

    Probe.calls = Counter()
    container_factory(Probe, rabbit_config).start()

    wait_for(lambda: set(Probe.calls) == set(waiting), timeout=10)
    after = publish_event(uri, LEARNERS_ENROLLED_V1, roster())
    wait_for(lambda: after in Probe.calls, timeout=10)
    assert Probe.calls == Counter({**dict.fromkeys(waiting, 1), after: 1})
    info = queue_info(uri, QUEUE)
    assert info["type"] == "quorum"
    assert info["arguments"]["x-delivery-limit"] == ATTEMPTS
    assert info["arguments"]["x-dead-letter-exchange"] == DEAD_LETTER_EXCHANGE
    assert queue_info(uri, holding_name(QUEUE)) is None


def test_a_move_cut_short_is_finished_by_the_next_declare(rabbit_config):
    uri = rabbit_config["AMQP_URI"]
    queue = event_queue("onboarding", LEARNERS_ENROLLED_V1.name, "upgradeprobe",
                        "on_enrolled", "service_pool")
    with Connection(uri) as conn:
        channel = conn.channel()
        Exchange("onboarding.events", type="topic", durable=True)(channel).declare()
        declare(conn, [queue])
        # a process died after setting messages aside, before moving them back
        channel.queue_declare(holding_name(QUEUE), durable=True, auto_delete=False,
                              arguments={"x-queue-type": "classic"})
        for n in range(3):
            channel.basic_publish(amqp.Message(f"m{n}".encode(), delivery_mode=2),
                                  exchange="", routing_key=holding_name(QUEUE))

        declare(conn, [queue])

        bodies = []
        while (message := channel.basic_get(QUEUE, no_ack=True)) is not None:
            bodies.append(message.body)
    assert sorted(bodies) == [b"m0", b"m1", b"m2"]
    assert queue_info(uri, holding_name(QUEUE)) is None
