"""Licensing in its container: licences and seats, exact under redelivery and copies."""

from __future__ import annotations

import uuid

from nameko.standalone.rpc import ClusterRpcProxy

from services.licensing.service import LicensingService
from services.onboarding.contracts.events import (
    INSTITUTION_APPROVED_V1,
    LEARNERS_ENROLLED_V1,
)
from tests.support.broker import publish_event
from tests.support.payloads import approved, enrolled


def test_one_licence_per_institution_however_often_approval_arrives(
    container_factory, service_config, collect, rabbit_config
):
    events = collect("licensing", "licence.*.v1")
    config = service_config("licensing")
    container_factory(LicensingService, config).start()
    institution = str(uuid.uuid4())
    event_id = publish_event(rabbit_config["AMQP_URI"], INSTITUTION_APPROVED_V1,
                             approved(institution, expected=40))
    publish_event(rabbit_config["AMQP_URI"], INSTITUTION_APPROVED_V1,
                  approved(institution, expected=40), event_id=event_id)  # redelivered
    publish_event(rabbit_config["AMQP_URI"], INSTITUTION_APPROVED_V1,
                  approved(institution, expected=40))  # a second approval, new id

    issued = events.wait(1, event_type="licence.issued.v1")
    events.drain(1.5)
    assert len(events.of("licence.issued.v1")) == 1
    data = issued[0]["data"]
    assert (data["institution_id"], data["plan"], data["seats"]) == (institution, "spark", 40)

    with ClusterRpcProxy(config) as rpc:
        licence = rpc.licensing.get_licence(institution)
    assert licence["status"] == "active" and licence["days_left"] == 90


def test_seats_never_exceed_the_licence_with_two_processes_and_redelivery(
    container_factory, service_config, collect, rabbit_config
):
    uri = rabbit_config["AMQP_URI"]
    seats = collect("licensing", "seats.#")
    config = service_config("licensing")
    for _ in range(2):  # two copies compete for the same queues
        container_factory(LicensingService, config).start()
    institution = str(uuid.uuid4())
    collect_issued = collect("licensing", "licence.issued.v1")  # bound before sending
    publish_event(uri, INSTITUTION_APPROVED_V1, approved(institution, expected=25))
    collect_issued.wait(1)

    learners = [f"learner-{n:03d}" for n in range(60)]
    ids = []
    for start in range(0, 60, 10):  # six batches, each published twice
        ids.append(publish_event(uri, LEARNERS_ENROLLED_V1,
                                 enrolled(institution, learners[start:start + 10])))
    for start, event_id in zip(range(0, 60, 10), ids, strict=True):
        publish_event(uri, LEARNERS_ENROLLED_V1,
                      enrolled(institution, learners[start:start + 10]), event_id=event_id)

    with ClusterRpcProxy(config) as rpc:
        for _ in range(100):
            licence = rpc.licensing.get_licence(institution)
            if licence["seats_used"] + licence["seats_waiting"] == 60:
                break
            seats.drain(0.1)
    assert (licence["seats_used"], licence["seats_waiting"]) == (25, 35)
    seats.drain(1.0)
    seated = [lid for m in seats.of("seats.assigned.v1") for lid in m["data"]["learner_ids"]]
    assert len(seated) == 25 and len(set(seated)) == 25
    waiting = [lid for m in seats.of("seats.waitlisted.v1") for lid in m["data"]["learner_ids"]]
    assert sorted(waiting) == sorted(set(learners) - set(seated))
