"""What the domain hands the entrypoints to announce: frozen facts shaped as the
events, learner ids in the batches an event carries, the timer's notices with their
e-mails. Domain functions on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.common.contracts import serialize
from services.licensing import issuing, licence_ends
from services.licensing import seats as licence_seats
from services.licensing.contracts.events import (
    LICENCE_EXPIRED_V1,
    LICENCE_EXPIRING_V1,
    LICENCE_ISSUED_V1,
    SEATS_ASSIGNED_V1,
    SEATS_RELEASED_V1,
    SEATS_WAITLISTED_V1,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
END = T0 + timedelta(days=90)


def test_an_issued_licence_is_announced_as_licence_issued(sessions, plans, approved):
    with sessions.begin() as session:
        issued = issuing.issue_licence(
            session, plans, approved(expected_learners=7), T0)
        payload = serialize(LICENCE_ISSUED_V1, issued)

    assert payload == {
        "licence_id": issued.licence.id, "institution_id": "inst-1", "plan": "spark",
        "seats": 7, "starts_at": T0.isoformat(), "ends_at": END.isoformat(),
    }


def test_seats_are_announced_in_batches_an_event_carries(sessions, plans, approved):
    learners = [f"l{n:04d}" for n in range(2500)]
    with sessions.begin() as session:
        issuing.issue_licence(session, plans, approved(expected_learners=2100), T0)
        seating = licence_seats.seat_learners(session, "inst-1", learners, T0)
        assigned = [serialize(SEATS_ASSIGNED_V1, a) for a in seating.assignments]
        waiting = [serialize(SEATS_WAITLISTED_V1, w) for w in seating.waitlistings]

    assert [len(a["learner_ids"]) for a in assigned] == [1000, 1000, 100]
    assert [i for a in assigned for i in a["learner_ids"]] == learners[:2100]
    assert {(a["seats_used"], a["seats_granted"]) for a in assigned} == {(2100, 2100)}
    assert [(w["learner_ids"], w["waiting"]) for w in waiting] == [
        (learners[2100:], 400)]


def test_seats_given_back_are_announced_in_batches_an_event_carries(
    sessions, plans, approved,
):
    learners = [f"l{n:04d}" for n in range(1500)]
    with sessions.begin() as session:
        issuing.issue_licence(session, plans, approved(expected_learners=1500), T0)
        licence_seats.seat_learners(session, "inst-1", learners, T0)
        released = licence_seats.release_learners(
            session, "inst-1", learners[:1200], T0)
        payloads = [serialize(SEATS_RELEASED_V1, r) for r in released.releases]

    assert [len(p["learner_ids"]) for p in payloads] == [1000, 200]
    assert {p["seats_used"] for p in payloads} == {300}
    assert released.seating.assignments == []


def test_nothing_seated_nor_waiting_announces_nothing(sessions, plans, approved):
    with sessions.begin() as session:
        issuing.issue_licence(session, plans, approved(), T0)
        released = licence_seats.release_learners(session, "inst-1", ["nobody"], T0)

    assert released.releases == []
    assert (released.seating.assignments, released.seating.waitlistings) == ([], [])


def test_the_timer_s_batch_holds_its_notices_their_mails_and_whether_more_wait(
    sessions, plans, approved,
):
    with sessions.begin() as session:
        for n in range(3):
            issuing.issue_licence(session, plans, approved(
                f"inst-{n}", admin_email=f"head{n}@lycee.fr", languages=["fr"]), T0)

    with sessions.begin() as session:
        first = licence_ends.notify_licence_ends(session, plans, END, limit=2)
        expired = [serialize(LICENCE_EXPIRED_V1, e) for e in first.expired]
    with sessions.begin() as session:
        rest = licence_ends.notify_licence_ends(session, plans, END, limit=2)
    with sessions.begin() as session:
        warned = licence_ends.notify_licence_ends(
            session, plans, END + timedelta(days=30), limit=2)

    assert (len(first.expired), first.expiring, first.more) == (2, [], True)
    assert [e["expired_at"] for e in expired] == [END.isoformat()] * 2
    assert [m["subject"] for m in first.mails] == [
        "Votre licence SPARK est arrivée à échéance"] * 2
    assert (len(rest.expired), len(rest.mails), rest.more) == (1, 1, False)
    assert (warned.expired, warned.expiring, warned.mails, warned.more) == (
        [], [], [], False)


def test_a_warning_is_announced_as_licence_expiring(sessions, plans, approved):
    with sessions.begin() as session:
        issuing.issue_licence(session, plans, approved(), T0)
    with sessions.begin() as session:
        reached = licence_ends.notify_licence_ends(
            session, plans, END - timedelta(days=14))
        payloads = [serialize(LICENCE_EXPIRING_V1, n) for n in reached.expiring]

    assert [(p["days_left"], p["ends_at"]) for p in payloads] == [
        (14, END.isoformat())]
    assert [m["to"] for m in reached.mails] == ["head@lycee-hugo.fr"]
