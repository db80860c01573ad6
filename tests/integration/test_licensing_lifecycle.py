"""A licence's life in its container: operator actions, removals, warnings, the end.

Real RabbitMQ and PostgreSQL; time moves by starting containers with
CLOCK_OFFSET_SECONDS instead of waiting.
"""

from __future__ import annotations

import email
import uuid
from datetime import datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.services import entrypoint_hook

from services.licensing.contracts.errors import Conflict, Invalid, NotFound
from services.licensing.service import LicensingService
from services.onboarding.contracts.events import (
    INSTITUTION_APPROVED_V1,
    LEARNERS_ENROLLED_V1,
    LEARNERS_REMOVED_V1,
)
from tests.support.broker import publish_event
from tests.support.payloads import ADMIN, approved, enrolled, removed
from tests.support.waiting import wait_for

DAY = 24 * 3600


def issue_licence(uri, events, expected: int) -> tuple[str, dict]:
    institution = str(uuid.uuid4())
    publish_event(uri, INSTITUTION_APPROVED_V1, approved(institution, expected))
    issued = events.wait(1, event_type="licence.issued.v1")[-1]["data"]
    return institution, issued


def learner_ids(messages: list[dict]) -> list[str]:
    return [lid for m in messages for lid in m["data"]["learner_ids"]]


def test_operators_extend_grant_seats_and_revoke_a_licence(
    container_factory, service_config, collect, rabbit_config
):
    uri = rabbit_config["AMQP_URI"]
    events = collect("licensing")
    config = service_config("licensing")
    container_factory(LicensingService, config).start()
    institution, issued = issue_licence(uri, events, expected=2)
    licence_id = issued["licence_id"]
    publish_event(uri, LEARNERS_ENROLLED_V1, enrolled(institution, ["l1", "l2", "l3",
                                                                    "l4", "l5"]))
    events.wait(1, event_type="seats.waitlisted.v1")

    with ClusterRpcProxy(config) as rpc:
        extended = rpc.licensing.extend_licence(licence_id, {"days": 30}, "ops@test")
        grown = rpc.licensing.add_seats(licence_id, {"seats": 2}, "ops@test")
        with pytest.raises(Invalid) as zero_days:
            rpc.licensing.extend_licence(licence_id, {"days": 0})
        with pytest.raises(Invalid) as too_many:
            rpc.licensing.add_seats(licence_id, {"seats": 4997})
        with pytest.raises(NotFound):
            rpc.licensing.extend_licence(str(uuid.uuid4()), {"days": 1})
        revoked = rpc.licensing.revoke_licence(licence_id, {"reason": "school closed"})
        with pytest.raises(Conflict):
            rpc.licensing.extend_licence(licence_id, {"days": 1})
        with pytest.raises(Conflict):
            rpc.licensing.add_seats(licence_id, {"seats": 1})
        with pytest.raises(Conflict):
            rpc.licensing.revoke_licence(licence_id, {"reason": "twice"})
        shown = rpc.licensing.get_licence_by_id(licence_id)

    assert extended["ends_at"] == (
        datetime.fromisoformat(issued["ends_at"]) + timedelta(days=30)
    ).isoformat()
    assert extended["days_left"] == 120
    assert (grown["seats_granted"], grown["seats_used"], grown["seats_waiting"]) == (
        4, 4, 1)
    assert "days" in zero_days.value.errors and "seats" in too_many.value.errors
    assert (revoked["status"], shown["status"], shown["days_left"]) == (
        "revoked", "revoked", 0)

    events.wait(1, event_type="licence.revoked.v1")
    events.drain(1.0)
    assert [m["event_type"] for m in events.messages if m["event_type"] in {
        "licence.extended.v1", "seats.added.v1", "licence.revoked.v1"}] == [
        "licence.extended.v1", "seats.added.v1", "licence.revoked.v1"]
    assert events.of("licence.extended.v1")[0]["data"]["days"] == 30
    assert events.of("seats.added.v1")[0]["data"]["seats_granted"] == 4
    assert events.of("licence.revoked.v1")[0]["data"]["reason"] == "school closed"
    assigned = events.of("seats.assigned.v1")
    assert [learner_ids([m]) for m in assigned] == [["l1", "l2"], ["l3", "l4"]]


def test_removed_learners_make_room_for_the_waiting_once_with_two_processes(
    container_factory, service_config, collect, rabbit_config
):
    uri = rabbit_config["AMQP_URI"]
    events = collect("licensing")
    config = service_config("licensing")
    for _ in range(2):  # two copies compete for the same queues
        container_factory(LicensingService, config).start()
    institution, _ = issue_licence(uri, events, expected=3)
    learners = [f"learner-{n}" for n in range(8)]
    publish_event(uri, LEARNERS_ENROLLED_V1, enrolled(institution, learners))
    events.wait(1, event_type="seats.waitlisted.v1")

    for n, gone in enumerate((["learner-0", "learner-2", "learner-4"], ["learner-3"])):
        event_id = publish_event(uri, LEARNERS_REMOVED_V1, removed(institution, gone))
        publish_event(uri, LEARNERS_REMOVED_V1, removed(institution, gone),
                      event_id=event_id)  # redelivered
        events.wait(n + 1, event_type="seats.released.v1")
    events.drain(1.5)

    with ClusterRpcProxy(config) as rpc:
        licence = rpc.licensing.get_licence(institution)
    assert (licence["seats_used"], licence["seats_waiting"]) == (3, 1)
    released = events.of("seats.released.v1")
    assert sorted(learner_ids(released)) == ["learner-0", "learner-2", "learner-3"]
    assigned = learner_ids(events.of("seats.assigned.v1"))
    assert assigned[:3] == ["learner-0", "learner-1", "learner-2"]
    # first come, first served: learner-3 and learner-5 took the two seats freed by
    # the first removal; learner-3 then left and learner-6 moved up
    assert assigned[3:] == ["learner-3", "learner-5", "learner-6"]
    assert len(set(assigned)) == len(assigned)


def mails_to(mail_dir: Path, address: str) -> list[email.message.EmailMessage]:
    paths = sorted(mail_dir.glob(f"{address}--*.eml"), key=lambda p: p.stat().st_mtime)
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in paths]


def test_warnings_at_14_and_3_days_and_the_end_exactly_once(
    container_factory, service_config, collect, rabbit_config, tmp_path
):
    uri = rabbit_config["AMQP_URI"]
    events = collect("licensing", "licence.*.v1")
    today = container_factory(LicensingService, service_config("licensing"))
    today.start()
    institution, issued = issue_licence(uri, events, expected=10)
    today.stop()

    # 13 days and 23 hours before the end: the timer, run twice by hand, warns once
    in_76_days = container_factory(LicensingService, service_config(
        "licensing", CLOCK_OFFSET_SECONDS=76 * DAY + 3600, TIMER_SECONDS=3600))
    in_76_days.start()
    for _ in range(2):
        with entrypoint_hook(in_76_days, "reach_licence_ends") as tick:
            tick()
    events.wait(1, event_type="licence.expiring.v1")
    in_76_days.stop()

    # then two copies whose timers fire every 0.1 s: 3 days before the end, then at it
    def two_copies_at(offset: int, event_type: str, total: int) -> None:
        config = service_config("licensing", CLOCK_OFFSET_SECONDS=offset,
                                TIMER_SECONDS=0.1)
        copies = [container_factory(LicensingService, config) for _ in range(2)]
        for copy in copies:
            copy.start()
        events.wait(total, event_type=event_type)
        events.drain(1.5)  # many more ticks, by both copies
        with ClusterRpcProxy(config) as rpc:
            licences.append(rpc.licensing.get_licence(institution))
        for copy in copies:
            copy.stop()

    licences: list[dict] = []
    two_copies_at(87 * DAY + 3600, "licence.expiring.v1", total=2)
    two_copies_at(90 * DAY + 60, "licence.expired.v1", total=1)

    expiring = events.of("licence.expiring.v1")
    assert [m["data"]["days_left"] for m in expiring] == [14, 3]
    assert {m["data"]["ends_at"] for m in expiring} == {issued["ends_at"]}
    expired = events.of("licence.expired.v1")
    assert len(expired) == 1
    assert expired[0]["data"]["expired_at"] == issued["ends_at"]
    assert {m["data"]["licence_id"] for m in expiring + expired} == {
        issued["licence_id"]}
    assert [(lic["status"], lic["days_left"]) for lic in licences] == [
        ("active", 3), ("expired", 0)]

    # the admin got one e-mail per notice, in French (the institution's language)
    mail_dir = tmp_path / "var" / "mail"
    wait_for(lambda: len(mails_to(mail_dir, ADMIN)) >= 3, timeout=10)
    mails = mails_to(mail_dir, ADMIN)
    assert [m["Subject"] for m in mails] == [
        "Votre licence SPARK se termine dans 14 jours",
        "Votre licence SPARK se termine dans 3 jours",
        "Votre licence SPARK est arrivée à échéance",
    ]
    first = mails[0].get_body(("plain",)).get_content()
    assert "La licence SPARK gratuite de Lycée Test" in first
    assert "(Europe/Paris)" in first
