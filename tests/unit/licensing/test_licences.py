"""Issuing licences, seating learners in arrival order, the licence view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from services.licensing import issuing, licences
from services.licensing import seats as licence_seats
from services.licensing.contracts.errors import NotFound, UnknownPlan
from services.licensing.models import Licence, Seat

T0 = datetime(2025, 3, 16, 9, 0, tzinfo=UTC)


def issue(sessions, plans, fact, now=T0):
    with sessions.begin() as session:
        return issuing.issue_licence(session, plans, fact, now)


def seat(sessions, learner_ids, institution_id="inst-1", now=T0):
    with sessions.begin() as session:
        return licence_seats.seat_learners(session, institution_id, learner_ids, now)


def seats(sessions) -> dict[str, str]:
    with sessions() as session:
        return {
            s.learner_id: s.status
            for s in session.scalars(select(Seat).order_by(Seat.seq))
        }


# -- issuing ------------------------------------------------------------------------
def test_a_licence_is_issued_for_the_expected_learners_for_90_days(
    sessions,
    plans,
    approved,
):
    issued = issue(sessions, plans, approved(expected_learners=300))

    assert issued.created is True
    with sessions() as session:
        licence = session.get(Licence, issued.licence.id)
    assert (licence.institution_id, licence.plan, licence.status) == (
        "inst-1",
        "spark",
        "active",
    )
    assert licence.seats_granted == 300
    assert licence.starts_at == T0
    assert licence.ends_at == T0 + timedelta(days=90)


def test_seats_are_capped_at_the_plan_maximum(sessions, plans, approved):
    issued = issue(sessions, plans, approved(expected_learners=12000))
    assert issued.licence.seats_granted == 5000


def test_a_second_approval_returns_the_same_licence(sessions, plans, approved):
    first = issue(sessions, plans, approved(expected_learners=300))

    again = issue(
        sessions, plans, approved(expected_learners=900), now=T0 + timedelta(days=1)
    )

    assert again.created is False
    assert again.licence.id == first.licence.id
    assert again.licence.seats_granted == 300
    assert again.licence.starts_at == T0
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Licence)) == 1


def test_each_institution_gets_its_own_licence(sessions, plans, approved):
    a = issue(sessions, plans, approved("inst-a"))
    b = issue(sessions, plans, approved("inst-b"))

    assert a.created and b.created
    assert a.licence.id != b.licence.id


def test_an_unknown_plan_is_refused(sessions, plans, approved):
    with pytest.raises(UnknownPlan), sessions.begin() as session:
        issuing.issue_licence(session, plans, approved(plan="platinum"), T0)


# -- seating ------------------------------------------------------------------------
def test_learners_are_seated_in_arrival_order_and_the_rest_wait(
    sessions,
    plans,
    approved,
):
    issue(sessions, plans, approved(expected_learners=3))

    seating = seat(sessions, ["l1", "l2", "l3", "l4", "l5"])

    assert seating.seated == ["l1", "l2", "l3"]
    assert seating.waitlisted == ["l4", "l5"]
    assert (seating.seats_used, seating.seats_granted, seating.waiting) == (3, 3, 2)
    assert seats(sessions) == {
        "l1": "seated",
        "l2": "seated",
        "l3": "seated",
        "l4": "waiting",
        "l5": "waiting",
    }


def test_batches_are_seated_first_come_first_served(sessions, plans, approved):
    issue(sessions, plans, approved(expected_learners=3))

    first = seat(sessions, ["l1", "l2"])
    second = seat(sessions, ["l3", "l4"])

    assert (first.seated, first.waitlisted) == (["l1", "l2"], [])
    assert (second.seated, second.waitlisted) == (["l3"], ["l4"])
    assert second.seats_used == 3


def test_a_learner_arriving_again_is_never_seated_twice(sessions, plans, approved):
    issue(sessions, plans, approved(expected_learners=3))
    seat(sessions, ["l1", "l2", "l3", "l4"])

    again = seat(sessions, ["l1", "l2", "l3", "l4", "l1"])

    assert again.seated == []
    assert again.waitlisted == ["l4"]
    assert (again.seats_used, again.waiting) == (3, 1)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Seat)) == 4


def test_a_batch_sent_again_with_newcomers_seats_them_in_order(
    sessions, plans, approved,
):
    issue(sessions, plans, approved(expected_learners=3))
    seat(sessions, ["l1", "l2"])
    later = T0 + timedelta(minutes=5)

    again = seat(sessions, ["l1", "l3", "l4"], now=later)

    assert (again.seated, again.waitlisted) == (["l3"], ["l4"])
    assert (again.seats_used, again.waiting) == (3, 1)
    with sessions() as session:
        seated_at = dict(session.execute(select(Seat.learner_id, Seat.seated_at)).all())
    assert seated_at == {"l1": T0, "l2": T0, "l3": later, "l4": None}


def test_seats_used_never_exceed_seats_granted(sessions, plans, approved):
    issue(sessions, plans, approved(expected_learners=10))

    results = [seat(sessions, [f"b{b}-l{i}" for i in range(4)]) for b in range(5)]

    assert [r.seats_used for r in results] == [4, 8, 10, 10, 10]
    assert [len(r.seated) for r in results] == [4, 4, 2, 0, 0]
    assert results[-1].waiting == 10
    statuses = list(seats(sessions).values())
    assert statuses.count("seated") == 10


def test_more_seats_go_to_the_waiting_learners_first(sessions, plans, approved):
    licence = issue(sessions, plans, approved(expected_learners=2)).licence
    seat(sessions, ["l1", "l2", "l3", "l4", "l5"])
    with sessions.begin() as session:
        session.execute(
            update(Licence).where(Licence.id == licence.id).values(seats_granted=4)
        )

    seating = seat(sessions, ["l6"])

    assert seating.seated == ["l3", "l4"]
    assert seating.waitlisted == ["l6"]
    assert (seating.seats_used, seating.waiting) == (4, 2)
    assert seats(sessions) == {
        "l1": "seated",
        "l2": "seated",
        "l3": "seated",
        "l4": "seated",
        "l5": "waiting",
        "l6": "waiting",
    }


def test_a_revoked_licence_seats_no_one(sessions, plans, approved):
    licence = issue(sessions, plans, approved(expected_learners=5)).licence
    with sessions.begin() as session:
        session.execute(
            update(Licence).where(Licence.id == licence.id).values(status="revoked")
        )

    seating = seat(sessions, ["l1", "l2"])

    assert seating.seated == []
    assert seating.waitlisted == ["l1", "l2"]


def test_seating_without_a_licence_is_not_found(sessions):
    with pytest.raises(NotFound), sessions.begin() as session:
        licence_seats.seat_learners(session, "inst-unknown", ["l1"], T0)


# -- the view -----------------------------------------------------------------------
def licence_view(sessions, now, institution_id="inst-1"):
    with sessions() as session:
        return licences.view(session, licences.licence_of(session, institution_id), now)


@pytest.mark.parametrize(
    "now, days_left",
    [
        (T0, 90),
        (T0 + timedelta(seconds=1), 90),
        (T0 + timedelta(days=1), 89),
        (T0 + timedelta(days=89, hours=12), 1),
        (T0 + timedelta(days=90), 0),
        (T0 + timedelta(days=120), 0),
    ],
)
def test_days_left(sessions, plans, approved, now, days_left):
    issue(sessions, plans, approved())
    assert licence_view(sessions, now).days_left == days_left


def test_the_view_counts_seats_used_and_waiting(sessions, plans, approved):
    issue(sessions, plans, approved(expected_learners=2))
    seat(sessions, ["l1", "l2", "l3"])

    view = licence_view(sessions, T0)

    assert (
        view.plan,
        view.status,
        view.seats_granted,
        view.seats_used,
        view.seats_waiting,
    ) == ("spark", "active", 2, 2, 1)
    assert (view.starts_at, view.ends_at) == (T0, T0 + timedelta(days=90))


def test_a_revoked_licence_has_no_day_left(sessions, plans, approved):
    licence = issue(sessions, plans, approved()).licence
    with sessions.begin() as session:
        session.execute(
            update(Licence).where(Licence.id == licence.id).values(status="revoked")
        )

    assert licence_view(sessions, T0).days_left == 0
