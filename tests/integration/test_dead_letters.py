"""A poison event on the real broker: tried ATTEMPTS times with backoff while the
others flow, set aside once with why, counted once, listed, replayed once fixed."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
import requests
from prometheus_client import REGISTRY

from gateway.service import GatewayService
from services.common.events import consume
from services.common.topology import ATTEMPTS
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1
from tests.support.broker import publish_event
from tests.support.ports import free_port
from tests.support.waiting import wait_for

QUEUE = "evt-onboarding-learners.enrolled.v1--deadprobe.on_enrolled"
OPERATOR = {"email": "ops@continuity.test", "password": "operator-secret-1"}


class Probe:
    """Fails the rosters of institutions named "poison-…" until fixed."""

    name = "deadprobe"
    calls: Counter = Counter()
    applied: list[str] = []
    fixed = False

    @consume(LEARNERS_ENROLLED_V1)
    def on_enrolled(self, event):
        Probe.calls[event.event_id] += 1
        if event.data["institution_id"].startswith("poison") and not Probe.fixed:
            raise RuntimeError(f"cannot apply {event.data['institution_id']}")
        Probe.applied.append(event.event_id)


def roster(institution: str) -> dict:
    return {"institution_id": institution, "import_job_id": str(uuid.uuid4()),
            "learners": [{"learner_id": str(uuid.uuid4()), "email": "a@b.fr",
                          "first_name": "A", "last_name": "B", "cohort": "1",
                          "external_id": None}]}


def dead_letters_counted() -> float:
    return REGISTRY.get_sample_value("continuity_dead_letters_total",
                                     {"queue": QUEUE}) or 0.0


@pytest.fixture
def gateway(container_factory, service_config):
    port = free_port()
    config = service_config("gateway", GATEWAY_PORT=port,
                            OPERATOR_EMAIL=OPERATOR["email"],
                            OPERATOR_PASSWORD=OPERATOR["password"])
    container_factory(GatewayService, config).start()
    url = f"http://127.0.0.1:{port}"
    token = requests.post(f"{url}/api/v1/auth/token", json=OPERATOR,
                          timeout=10).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return url, session


def test_a_poison_event_is_set_aside_after_its_attempts_and_replayed_once_fixed(
    container_factory, rabbit_config, gateway
):
    url, http = gateway
    Probe.calls, Probe.applied, Probe.fixed = Counter(), [], False
    container_factory(Probe, {**rabbit_config, "max_workers": 4}).start()
    counted_before = dead_letters_counted()
    uri = rabbit_config["AMQP_URI"]

    poison = [publish_event(uri, LEARNERS_ENROLLED_V1, roster("poison-a"))]
    good = [publish_event(uri, LEARNERS_ENROLLED_V1, roster(f"inst-{n}"))
            for n in range(20)]
    poison.append(publish_event(uri, LEARNERS_ENROLLED_V1, roster("poison-b")))

    # the others flow while the poison waits for its next attempt
    wait_for(lambda: set(good) <= set(Probe.applied), timeout=10)
    assert all(Probe.calls[p] < ATTEMPTS for p in poison)

    def listed():
        answer = http.get(f"{url}/api/v1/dead-letters", params={"queue": QUEUE})
        return answer.json()["items"]

    wait_for(lambda: len(listed()) == 2, timeout=20)
    letters = {item["event_id"]: item for item in listed()}
    assert set(letters) == set(poison)
    assert [Probe.calls[p] for p in poison] == [ATTEMPTS, ATTEMPTS]  # exactly
    first = letters[poison[0]]
    assert first["queue"] == QUEUE
    assert first["event_type"] == "learners.enrolled.v1"
    assert first["error"] == "RuntimeError: cannot apply poison-a"
    assert first["attempts"] == ATTEMPTS and first["replayed_at"] is None
    assert first["dead_at"]
    assert dead_letters_counted() - counted_before == 2  # once each
    assert sorted(Probe.applied) == sorted(good)  # each good one once, no poison

    Probe.fixed = True
    answer = http.post(f"{url}/api/v1/dead-letters/{first['id']}/replay")
    assert answer.status_code == 200, answer.text
    assert answer.json()["replayed_at"]
    wait_for(lambda: poison[0] in Probe.applied, timeout=10)
    again = http.post(f"{url}/api/v1/dead-letters/{first['id']}/replay")
    assert again.status_code == 409

    answer = http.post(f"{url}/api/v1/dead-letters/replay", json={"queue": QUEUE})
    assert answer.json() == {"replayed": 1}
    wait_for(lambda: poison[1] in Probe.applied, timeout=10)
    assert [Probe.calls[p] for p in poison] == [ATTEMPTS + 1, ATTEMPTS + 1]
    waiting = http.get(f"{url}/api/v1/dead-letters",
                       params={"queue": QUEUE, "state": "waiting"}).json()["items"]
    assert waiting == []
    assert sorted(Probe.applied) == sorted(good + poison)
    assert dead_letters_counted() - counted_before == 2

    refused = http.get(f"{url}/api/v1/dead-letters", params={"state": "lost"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "state"


class Outage:
    """Its database is away for the first OUTAGE_TRIES tries of every event."""

    name = "outageprobe"
    calls: Counter = Counter()
    applied: list[str] = []

    @consume(LEARNERS_ENROLLED_V1)
    def on_enrolled(self, event):
        from sqlalchemy.exc import OperationalError

        Outage.calls[event.event_id] += 1
        if Outage.calls[event.event_id] <= OUTAGE_TRIES:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError(
                "connection refused"))
        Outage.applied.append(event.event_id)


OUTAGE_TRIES = ATTEMPTS + 2  # more failures than a poison event is allowed


def test_an_event_that_meets_a_database_outage_waits_for_it_and_is_never_set_aside(
    container_factory, rabbit_config
):
    Outage.calls, Outage.applied = Counter(), []
    container_factory(Outage, {**rabbit_config, "max_workers": 4}).start()
    uri = rabbit_config["AMQP_URI"]
    sent = [publish_event(uri, LEARNERS_ENROLLED_V1, roster(f"inst-{n}"))
            for n in range(3)]
    wait_for(lambda: sorted(Outage.applied) == sorted(sent), timeout=40)
    # each tried until the outage passed, applied once, none dead-lettered
    assert [Outage.calls[e] for e in sent] == [OUTAGE_TRIES + 1] * 3
    assert len(Outage.applied) == 3
    counted = REGISTRY.get_sample_value(
        "continuity_dead_letters_total",
        {"queue": "evt-onboarding-learners.enrolled.v1--outageprobe.on_enrolled"})
    assert not counted
