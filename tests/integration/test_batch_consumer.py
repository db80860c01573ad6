"""``@consume_batch`` on the real broker: what waits is handed over together, every
event once; an event that fails does not hold back the others of its batch."""

from __future__ import annotations

import uuid

import eventlet

from services.common.events import consume_batch
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1
from tests.support.broker import publish_event
from tests.support.waiting import wait_for

PREFETCH = 8


class Probe:
    """Applies rosters slowly; a roster of institution "closed" fails until opened."""

    name = "batchprobe"
    batches: list[list[str]] = []  # event ids, as handed over
    applied: list[str] = []  # event ids, once applied
    open = False

    @consume_batch(LEARNERS_ENROLLED_V1)
    def on_enrolled(self, events):
        Probe.batches.append([e.event_id for e in events])
        eventlet.sleep(0.2)  # the work takes a while: the queue fills meanwhile
        if not Probe.open and any(e.data["institution_id"] == "closed" for e in events):
            raise RuntimeError("institution closed")
        Probe.applied += [e.event_id for e in events]


def roster(institution: str) -> dict:
    return {"institution_id": institution, "import_job_id": str(uuid.uuid4()),
            "learners": [{"learner_id": str(uuid.uuid4()), "email": "a@b.fr",
                          "first_name": "A", "last_name": "B", "cohort": "1",
                          "external_id": None}]}


def start_probe(container_factory, rabbit_config):
    Probe.batches, Probe.applied, Probe.open = [], [], False
    container = container_factory(Probe, {**rabbit_config, "max_workers": PREFETCH})
    container.start()
    return container


def test_a_backlog_is_handed_over_in_batches_bounded_by_the_prefetch(
    container_factory, rabbit_config
):
    start_probe(container_factory, rabbit_config)
    sent = [publish_event(rabbit_config["AMQP_URI"], LEARNERS_ENROLLED_V1,
                          roster(f"inst-{n}")) for n in range(40)]

    wait_for(lambda: len(Probe.applied) >= len(sent))
    eventlet.sleep(0.3)  # nothing more comes
    assert sorted(Probe.applied) == sorted(sent)  # each once
    sizes = [len(batch) for batch in Probe.batches]
    assert max(sizes) > 1  # the backlog went over together…
    assert max(sizes) <= PREFETCH  # …never more than the process holds
    assert len(Probe.batches) < len(sent) / 2


def test_a_failing_event_goes_back_alone_and_the_others_are_applied_once(
    container_factory, rabbit_config
):
    start_probe(container_factory, rabbit_config)
    uri = rabbit_config["AMQP_URI"]
    sent = [publish_event(uri, LEARNERS_ENROLLED_V1, roster(f"inst-{n}"))
            for n in range(5)]
    closed = publish_event(uri, LEARNERS_ENROLLED_V1, roster("closed"))
    sent += [publish_event(uri, LEARNERS_ENROLLED_V1, roster(f"inst-{n}"))
             for n in range(5, 10)]

    wait_for(lambda: len(Probe.applied) >= len(sent))
    assert sorted(Probe.applied) == sorted(sent)  # the others, once each
    assert any(closed in batch and len(batch) > 1 for batch in Probe.batches)
    assert [closed] in Probe.batches  # then tried alone, and again

    Probe.open = True  # whatever it waited for is there now: it goes through
    wait_for(lambda: closed in Probe.applied)
    assert sorted(Probe.applied) == sorted([*sent, closed])
