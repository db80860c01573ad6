"""A licence's life after issue: operator actions, learners leaving, warnings, the end.

Domain functions on SQLite and PostgreSQL, then the service's entrypoints through
``worker_factory`` with the real outbox writes (events serialised into the outbox
table, in the transaction) and a clock the test sets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import event, func, select

from services.common.contracts import envelope, read_event, serialize
from services.common.ids import new_id
from services.licensing import issuing, licence_ends, licences
from services.licensing import seats as licence_seats
from services.licensing.contracts.errors import Conflict, Invalid, NotFound
from services.licensing.models import Licence, Notice, Seat, outbox_table
from services.licensing.service import LicensingService
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1, LEARNERS_REMOVED_V1
from tests.support.outbox import table_outbox

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # licences below end at T0 + 90 days
END = T0 + timedelta(days=90)


def issue(sessions, plans, fact, now=T0) -> Licence:
    with sessions.begin() as session:
        return issuing.issue_licence(session, plans, fact, now).licence


def seat(sessions, learner_ids, institution_id="inst-1", now=T0):
    with sessions.begin() as session:
        return licence_seats.seat_learners(session, institution_id, learner_ids, now)


def statuses(sessions) -> dict[str, str]:
    with sessions() as session:
        return {s.learner_id: s.status
                for s in session.scalars(select(Seat).order_by(Seat.seq))}


def licence_row(sessions, licence_id) -> Licence:
    with sessions() as session:
        return session.get(Licence, licence_id)


def tick(sessions, plans, now, limit=500):
    with sessions.begin() as session:
        return licence_ends.reach_licence_ends(session, plans, now, limit)


def kinds(reached) -> list[tuple[str, int]]:
    return [("expired", 0) if isinstance(n, licence_ends.Expired)
            else ("expiring", n.days_before) for n in reached]


# -- extension ----------------------------------------------------------------------
def test_an_extension_moves_the_end_later(sessions, plans, approved):
    licence = issue(sessions, plans, approved())

    with sessions.begin() as session:
        extended = licences.extend_licence(
            session, licence.id, 30, T0 + timedelta(days=1))

    assert (extended.days, extended.ends_at) == (30, END + timedelta(days=30))
    assert extended.extended_at == T0 + timedelta(days=1)
    assert licence_row(sessions, licence.id).ends_at == END + timedelta(days=30)


@pytest.mark.parametrize("licence_id", [
    "no-such-licence", "6b1d8c3e-0000-4000-8000-000000000000", "bad\x00id", "x" * 5000,
])
def test_an_unknown_licence_is_not_found(sessions, licence_id):
    with pytest.raises(NotFound), sessions.begin() as session:
        licences.extend_licence(session, licence_id, 10, T0)


@pytest.mark.parametrize("action", ["extend", "add_seats", "revoke"])
@pytest.mark.parametrize("ended_by", ["revocation", "expiry", "end_not_yet_ticked"])
def test_a_revoked_or_ended_licence_is_final(
    sessions, plans, approved, action, ended_by,
):
    licence = issue(sessions, plans, approved())
    now = T0 + timedelta(days=1)
    if ended_by == "revocation":
        with sessions.begin() as session:
            licences.revoke_licence(session, licence.id, "fraud", now)
    elif ended_by == "expiry":
        now = END
        tick(sessions, plans, now)
    else:
        now = END + timedelta(seconds=1)  # the timer has not run yet: still ended
    before = licence_row(sessions, licence.id)

    with pytest.raises(Conflict), sessions.begin() as session:
        if action == "extend":
            licences.extend_licence(session, licence.id, 10, now)
        elif action == "add_seats":
            licence_seats.add_seats(session, plans, licence.id, 5, now)
        else:
            licences.revoke_licence(session, licence.id, "again", now)

    after = licence_row(sessions, licence.id)
    assert (after.status, after.ends_at, after.seats_granted) == (
        before.status, before.ends_at, before.seats_granted)


# -- more seats ---------------------------------------------------------------------
def test_added_seats_go_to_the_waiting_learners_first_come_first_served(
    sessions, plans, approved,
):
    licence = issue(sessions, plans, approved(expected_learners=2))
    seat(sessions, ["l1", "l2", "l3", "l4"])
    seat(sessions, ["l5", "l6"])

    with sessions.begin() as session:
        added = licence_seats.add_seats(session, plans, licence.id, 3, T0)

    assert (added.added, added.seats_granted) == (3, 5)
    assert added.seating.seated == ["l3", "l4", "l5"]
    assert (added.seating.seats_used, added.seating.waiting) == (5, 1)
    assert statuses(sessions) == {"l1": "seated", "l2": "seated", "l3": "seated",
                                  "l4": "seated", "l5": "seated", "l6": "waiting"}


def test_more_seats_than_waiting_learners_leave_free_seats_for_the_next(
    sessions, plans, approved,
):
    licence = issue(sessions, plans, approved(expected_learners=1))
    seat(sessions, ["l1", "l2"])

    with sessions.begin() as session:
        added = licence_seats.add_seats(session, plans, licence.id, 10, T0)
    later = seat(sessions, ["l3"])

    assert added.seating.seated == ["l2"]
    assert (later.seated, later.seats_used, later.seats_granted) == (["l3"], 3, 11)


def test_seats_stay_within_the_plan_maximum(sessions, plans, approved):
    licence = issue(sessions, plans, approved(expected_learners=4990))

    with pytest.raises(Invalid) as refused, sessions.begin() as session:
        licence_seats.add_seats(session, plans, licence.id, 11, T0)
    with sessions.begin() as session:
        licence_seats.add_seats(session, plans, licence.id, 10, T0)

    assert "at most 10 more" in refused.value.errors["seats"][0]
    assert licence_row(sessions, licence.id).seats_granted == 5000


# -- revocation ---------------------------------------------------------------------
def test_a_revoked_licence_keeps_its_seats_and_seats_no_one_more(
    sessions, plans, approved,
):
    licence = issue(sessions, plans, approved(expected_learners=1))
    seat(sessions, ["l1", "l2"])

    with sessions.begin() as session:
        revoked = licences.revoke_licence(session, licence.id, "duplicate institution",
                                        T0 + timedelta(days=2))
    later = seat(sessions, ["l3"])

    assert (revoked.reason, revoked.revoked_at) == ("duplicate institution",
                                                    T0 + timedelta(days=2))
    row = licence_row(sessions, licence.id)
    assert (row.status, row.revoked_reason) == ("revoked", "duplicate institution")
    assert later.seated == [] and later.waitlisted == ["l3"]
    assert statuses(sessions) == {"l1": "seated", "l2": "waiting", "l3": "waiting"}


# -- learners leaving ---------------------------------------------------------------
def test_removed_learners_free_their_seats_for_the_first_waiting(
    sessions, plans, approved,
):
    issue(sessions, plans, approved(expected_learners=3))
    seat(sessions, ["l1", "l2", "l3", "l4", "l5", "l6"])

    with sessions.begin() as session:
        released = licence_seats.release_learners(
            session, "inst-1", ["l3", "l1", "l5"], T0)

    assert released.learner_ids == ["l1", "l3"]  # in seat order
    assert released.left_waiting == ["l5"]
    assert released.seats_used == 1
    assert released.seating.seated == ["l4", "l6"]
    assert (released.seating.seats_used, released.seating.waiting) == (3, 0)
    assert statuses(sessions) == {"l2": "seated", "l4": "seated", "l6": "seated"}


def test_removing_a_waiting_learner_moves_no_seat(sessions, plans, approved):
    issue(sessions, plans, approved(expected_learners=1))
    seat(sessions, ["l1", "l2", "l3"])

    with sessions.begin() as session:
        released = licence_seats.release_learners(
            session, "inst-1", ["l2", "unknown"], T0)

    assert (released.learner_ids, released.left_waiting) == ([], ["l2"])
    assert released.seating.seated == []
    assert statuses(sessions) == {"l1": "seated", "l3": "waiting"}


def test_a_removed_learner_enrolled_again_queues_at_the_end(sessions, plans, approved):
    issue(sessions, plans, approved(expected_learners=1))
    seat(sessions, ["l1", "l2"])
    with sessions.begin() as session:
        licence_seats.release_learners(session, "inst-1", ["l1"], T0)

    again = seat(sessions, ["l1"])

    assert again.waitlisted == ["l1"]
    assert statuses(sessions) == {"l2": "seated", "l1": "waiting"}


def test_removals_from_an_institution_without_licence_release_nothing(sessions):
    with sessions.begin() as session:
        assert licence_seats.release_learners(session, "inst-none", ["l1"], T0) is None


def test_a_removal_on_an_ended_licence_seats_no_one(sessions, plans, approved):
    issue(sessions, plans, approved(expected_learners=1))
    seat(sessions, ["l1", "l2"])
    tick(sessions, plans, END)

    with sessions.begin() as session:
        released = licence_seats.release_learners(session, "inst-1", ["l1"], END)

    assert released.learner_ids == ["l1"] and released.seating.seated == []
    assert statuses(sessions) == {"l2": "waiting"}


# -- set-based: the round trips do not grow with the batch --------------------------
def statements(sessions, work) -> int:
    """Statements ``work`` sends, but for savepoints: a big batch is written in one
    (``bulk_insert``'s ``expect_new``), two round trips whatever its size."""
    engine = sessions.kw["bind"]
    count = 0

    def counted(_conn, _cursor, statement, *_args):
        nonlocal count
        count += not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))

    event.listen(engine, "before_cursor_execute", counted)
    try:
        with sessions.begin() as session:
            work(session)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def test_a_batch_of_1000_takes_as_many_statements_as_a_batch_of_10(
    sessions, plans, approved,
):
    issue(sessions, plans, approved("small", expected_learners=5))
    issue(sessions, plans, approved("large", expected_learners=500))
    small = [f"s{n}" for n in range(10)]
    large = [f"l{n}" for n in range(1000)]

    seating = {
        name: statements(sessions, lambda s, n=name, ids=ids:
                         licence_seats.seat_learners(s, n, ids, T0))
        for name, ids in (("small", small), ("large", large))
    }
    removal = {
        name: statements(sessions, lambda s, n=name, ids=ids:
                         licence_seats.release_learners(s, n, ids[::2], T0))
        for name, ids in (("small", small), ("large", large))
    }

    assert seating["large"] == seating["small"]
    assert removal["large"] == removal["small"]
    with sessions() as session:
        large_licence = licences.licence_of(session, "large")
        assert licences.view(session, large_licence, T0).seats_used == 500


def test_the_licence_counts_its_seats_right_through_every_change(
    sessions, plans, approved,
):
    """The seats used and waiting an admin sees are the seats themselves, whatever
    happened: batches, a batch again, removals of seated and waiting learners, seats
    added, a learner back after leaving."""
    licence = issue(sessions, plans, approved(expected_learners=5))

    def counted() -> tuple[int, int]:
        with sessions() as session:
            row = session.get(Licence, licence.id)
            seats = list(session.scalars(select(Seat.status)))
            view = licences.view(session, row, T0)
        assert (view.seats_used, view.seats_waiting) == (
            seats.count("seated"), seats.count("waiting"))
        return view.seats_used, view.seats_waiting

    seat(sessions, [f"a{n}" for n in range(4)])
    assert counted() == (4, 0)
    seat(sessions, [f"a{n}" for n in range(2, 9)])  # half again, half new
    assert counted() == (5, 4)
    with sessions.begin() as session:
        licence_seats.release_learners(session, "inst-1", ["a0", "a7", "nobody"], T0)
    assert counted() == (5, 2)  # a0's seat went to a5; a7 waited
    with sessions.begin() as session:
        licence_seats.add_seats(session, plans, licence.id, 3, T0)
    assert counted() == (7, 0)
    seat(sessions, ["a0", "b1"])
    assert counted() == (8, 1)
    with sessions.begin() as session:
        licence_seats.release_learners(session, "inst-1", ["a1", "a2", "b1"], T0)
    assert counted() == (6, 0)


# -- warnings and the end -----------------------------------------------------------
def test_warnings_at_14_and_3_days_then_the_end_each_exactly_once(
    sessions, plans, approved,
):
    licence = issue(sessions, plans, approved())
    timeline = [
        (END - timedelta(days=15), []),
        (END - timedelta(days=14), [("expiring", 14)]),
        (END - timedelta(days=14), []),
        (END - timedelta(days=10), []),
        (END - timedelta(days=3, seconds=-30), [("expiring", 3)]),
        (END - timedelta(days=2), []),
        (END - timedelta(seconds=1), []),
        (END, [("expired", 0)]),
        (END, []),
        (END + timedelta(days=30), []),
    ]

    seen = [(now, kinds(tick(sessions, plans, now))) for now, _ in timeline]

    assert seen == timeline
    assert licence_row(sessions, licence.id).status == "expired"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 3


def test_the_warning_says_the_days_left_and_the_end(sessions, plans, approved):
    licence = issue(sessions, plans, approved())

    (warning,) = tick(sessions, plans, END - timedelta(days=14))
    (end,) = tick(sessions, plans, END)

    assert (warning.licence_id, warning.institution_id) == (licence.id, "inst-1")
    assert (warning.ends_at, warning.days_left) == (END, 14)
    assert (end.licence_id, end.expired_at) == (licence.id, END)


def test_a_timer_that_was_away_sends_only_the_closest_warning(
    sessions, plans, approved,
):
    issue(sessions, plans, approved())

    late = tick(sessions, plans, END - timedelta(days=2))
    back_in_time = tick(sessions, plans, END - timedelta(days=10))

    assert kinds(late) == [("expiring", 3)] and late[0].days_left == 2
    assert back_in_time == []


def test_a_timer_that_was_away_past_the_end_only_expires(sessions, plans, approved):
    issue(sessions, plans, approved())

    assert kinds(tick(sessions, plans, END + timedelta(days=5))) == [("expired", 0)]


def test_an_extended_licence_is_warned_again_before_its_new_end(
    sessions, plans, approved,
):
    licence = issue(sessions, plans, approved())
    tick(sessions, plans, END - timedelta(days=14))
    tick(sessions, plans, END - timedelta(days=3))
    with sessions.begin() as session:
        licences.extend_licence(session, licence.id, 30, END - timedelta(days=2))
    new_end = END + timedelta(days=30)

    nothing_yet = tick(sessions, plans, END)
    warned = [kinds(tick(sessions, plans, new_end - timedelta(days=d)))
              for d in (14, 3)]
    ended = kinds(tick(sessions, plans, new_end))

    assert nothing_yet == []
    assert warned == [[("expiring", 14)], [("expiring", 3)]]
    assert ended == [("expired", 0)]


def test_revoked_licences_are_neither_warned_nor_expired(sessions, plans, approved):
    licence = issue(sessions, plans, approved())
    with sessions.begin() as session:
        licences.revoke_licence(session, licence.id, "closed", T0 + timedelta(days=1))

    assert tick(sessions, plans, END - timedelta(days=3)) == []
    assert tick(sessions, plans, END) == []
    assert licence_row(sessions, licence.id).status == "revoked"


def test_a_tick_takes_at_most_its_limit_and_the_next_takes_the_rest(
    sessions, plans, approved,
):
    for n in range(3):
        issue(sessions, plans, approved(f"inst-{n}"))

    first = tick(sessions, plans, END, limit=2)
    second = tick(sessions, plans, END, limit=2)

    assert len(first) == 2 and len(second) == 1
    with sessions() as session:
        assert {n.licence_id for n in first + second} == set(
            session.scalars(select(Licence.id)))


def test_two_timers_at_once_announce_each_end_once(sessions, plans, approved, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: nothing to race")
    for n in range(4):
        issue(sessions, plans, approved(f"inst-{n}"))
    now = END - timedelta(days=14)

    with sessions.begin() as first:
        by_first = licence_ends.reach_licence_ends(first, plans, now)
        with sessions.begin() as second:  # runs while the first holds its rows
            by_second = licence_ends.reach_licence_ends(second, plans, now)
    after = tick(sessions, plans, now)

    assert len(by_first) == 4
    assert by_second == [] and after == []


# -- the service: entrypoints, events and mails -------------------------------------
def service_for(sessions, plans, now):
    clock = SimpleNamespace(now=now)
    service = worker_factory(
        LicensingService, db=sessions, plans=plans, clock=lambda: clock.now,
        outbox=table_outbox(outbox_table),
    )
    service.at = clock  # service.at.now = … moves the clock
    return service


def outbox(sessions, kind="event") -> list[dict]:
    """Event envelopes, or the mails (a mail row may carry several)."""
    with sessions() as session:
        bodies = [row.body for row in session.execute(
            select(outbox_table).where(outbox_table.c.kind == kind)
            .order_by(outbox_table.c.seq))]
    if kind == "mail":
        return [mail for body in bodies for mail in body["mails"]]
    return bodies


def types(sessions) -> list[str]:
    return [body["event_type"] for body in outbox(sessions)]


def test_operator_actions_answer_the_licence_and_announce_themselves(
    sessions, plans, approved,
):
    licence = issue(sessions, plans, approved(expected_learners=2))
    seat(sessions, ["l1", "l2", "l3", "l4"])
    service = service_for(sessions, plans, T0 + timedelta(days=10))

    extended = service.extend_licence(licence.id, {"days": 20}, "ops@x.org")
    grown = service.add_seats(licence.id, {"seats": 1})
    revoked = service.revoke_licence(licence.id, {"reason": "  closed for good "})

    assert (extended["status"], extended["days_left"]) == ("active", 100)
    assert extended["ends_at"] == (END + timedelta(days=20)).isoformat()
    assert (grown["seats_granted"], grown["seats_used"], grown["seats_waiting"]) == (
        3, 3, 1)
    assert (revoked["status"], revoked["days_left"]) == ("revoked", 0)
    assert types(sessions) == ["licence.extended.v1", "seats.added.v1",
                               "seats.assigned.v1", "licence.revoked.v1"]
    extended_event, added, assigned, revoked_event = (
        b["data"] for b in outbox(sessions))
    assert (extended_event["days"], extended_event["licence_id"]) == (20, licence.id)
    assert (added["added"], added["seats_granted"]) == (1, 3)
    assert (assigned["learner_ids"], assigned["seats_used"]) == (["l3"], 3)
    assert revoked_event["reason"] == "closed for good"
    assert service.get_licence_by_id(licence.id)["status"] == "revoked"


@pytest.mark.parametrize("method, payload, field", [
    ("extend_licence", {"days": 0}, "days"),
    ("extend_licence", {"days": -5}, "days"),
    ("extend_licence", {"days": 366}, "days"),
    ("extend_licence", {"days": "30"}, "days"),
    ("extend_licence", {"days": 2.5}, "days"),
    ("extend_licence", {"days": True}, "days"),
    ("extend_licence", {}, "days"),
    ("add_seats", {"seats": 0}, "seats"),
    ("add_seats", {"seats": -1}, "seats"),
    ("add_seats", {"seats": None}, "seats"),
    ("add_seats", {"seats": 4999}, "seats"),  # 2 + 4999 > the plan's 5000
    ("revoke_licence", {"reason": "   "}, "reason"),
    ("revoke_licence", {}, "reason"),
    ("revoke_licence", {"reason": "x" * 501}, "reason"),
])
def test_invalid_operator_requests_name_the_field_and_change_nothing(
    sessions, plans, approved, method, payload, field,
):
    licence = issue(sessions, plans, approved(expected_learners=2))
    service = service_for(sessions, plans, T0)

    with pytest.raises(Invalid) as refused:
        getattr(service, method)(licence.id, payload)

    assert list(refused.value.errors) == [field]
    assert types(sessions) == []
    assert service.get_licence_by_id(licence.id)["ends_at"] == END.isoformat()


def test_the_timer_announces_and_mails_each_point_once(sessions, plans, approved):
    issue(sessions, plans, approved(
        "inst-fr", languages=["fr"], name="Lycée Victor Hugo", timezone="Europe/Paris",
        admin_email="anne@lycee-hugo.fr"))
    issue(sessions, plans, approved(
        "inst-en", languages=["en", "fr"], name="Bristol College",
        timezone="Europe/London", admin_email="head@bristol.ac.uk"))
    service = service_for(sessions, plans, END - timedelta(days=14))

    for days_before in (14, 14, 3, 3, 0, 0):  # each point twice
        service.at.now = END - timedelta(days=days_before)
        service.reach_licence_ends()

    assert types(sessions) == ["licence.expiring.v1"] * 4 + ["licence.expired.v1"] * 2
    days_left = sorted(b["data"]["days_left"] for b in outbox(sessions)[:4])
    assert days_left == [3, 3, 14, 14]
    mails = outbox(sessions, "mail")
    assert len(mails) == 6
    french = [m for m in mails if m["to"] == "anne@lycee-hugo.fr"]
    english = [m for m in mails if m["to"] == "head@bristol.ac.uk"]
    assert [m["subject"] for m in french] == [
        "Votre licence SPARK se termine dans 14 jours",
        "Votre licence SPARK se termine dans 3 jours",
        "Votre licence SPARK est arrivée à échéance",
    ]
    assert [m["subject"] for m in english] == [
        "Your SPARK licence ends in 14 days",
        "Your SPARK licence ends in 3 days",
        "Your SPARK licence has ended",
    ]
    assert {m["language"] for m in french} == {"fr"}
    assert "Lycée Victor Hugo" in french[0]["text"]
    assert "31 mai 2026 à 11:00 (Europe/Paris)" in french[0]["text"]
    assert "31 May 2026 at 10:00 (Europe/London)" in english[0]["text"]


def removed(institution_id, learner_ids, event_id=None):
    event_id = event_id or new_id()
    data = {"institution_id": institution_id, "learner_ids": learner_ids,
            "removed_at": T0.isoformat()}
    return read_event(LEARNERS_REMOVED_V1, envelope(LEARNERS_REMOVED_V1, data, None,
                                                    event_id),
                      consumer="licensing.on_onboarding_learners_removed")


def test_a_removal_releases_seats_and_seats_the_next_once_however_often_delivered(
    sessions, plans, approved,
):
    issue(sessions, plans, approved(expected_learners=2))
    seat(sessions, ["l1", "l2", "l3", "l4"])
    service = service_for(sessions, plans, T0)
    event = removed("inst-1", ["l2", "l4"])

    service.on_onboarding_learners_removed(event)
    service.on_onboarding_learners_removed(event)  # redelivered

    assert types(sessions) == ["seats.released.v1", "seats.assigned.v1"]
    released, assigned = (b["data"] for b in outbox(sessions))
    assert (released["learner_ids"], released["seats_used"]) == (["l2"], 1)
    assert (assigned["learner_ids"], assigned["seats_used"]) == (["l3"], 2)
    assert statuses(sessions) == {"l1": "seated", "l3": "seated"}


def test_removing_only_waiting_learners_announces_nothing(sessions, plans, approved):
    issue(sessions, plans, approved(expected_learners=1))
    seat(sessions, ["l1", "l2"])
    service = service_for(sessions, plans, T0)

    service.on_onboarding_learners_removed(removed("inst-1", ["l2"]))
    service.on_onboarding_learners_removed(removed("inst-unknown", ["x"]))

    assert types(sessions) == []
    assert statuses(sessions) == {"l1": "seated"}


def enrolled(institution_id, learner_ids, event_id=None, correlation_id=None):
    data = {"institution_id": institution_id, "import_job_id": "job-1", "learners": [
        {"learner_id": lid, "email": f"{lid}@lycee.fr", "first_name": lid,
         "last_name": "Roux", "cohort": "A", "external_id": None}
        for lid in learner_ids]}
    return read_event(LEARNERS_ENROLLED_V1, envelope(
        LEARNERS_ENROLLED_V1, serialize(LEARNERS_ENROLLED_V1, data), correlation_id,
        event_id or new_id()), consumer="licensing.on_onboarding_learners_enrolled")


def test_a_batch_of_rosters_seats_each_institution_in_arrival_order_once(
    sessions, plans, approved,
):
    issue(sessions, plans, approved("inst-1", expected_learners=3))
    issue(sessions, plans, approved("inst-2", expected_learners=10))
    service = service_for(sessions, plans, T0)
    first = enrolled("inst-1", ["a1", "a2"], correlation_id="upload-a")
    # what a busy queue hands over at once: two rosters of inst-1 around one of
    # inst-2, and inst-1's first roster delivered again (in this batch and the next)
    service.on_onboarding_learners_enrolled([
        first, enrolled("inst-2", ["b1"], correlation_id="upload-b"),
        enrolled("inst-1", ["a3", "a4"], correlation_id="upload-c"), first])
    service.on_onboarding_learners_enrolled([first])

    assert statuses(sessions) == {"a1": "seated", "a2": "seated", "a3": "seated",
                                  "a4": "waiting", "b1": "seated"}
    announced = {(e["data"]["institution_id"], e["event_type"]):
                 (e["data"]["learner_ids"], e["correlation_id"])
                 for e in outbox(sessions)}
    assert announced == {
        ("inst-1", "seats.assigned.v1"): (["a1", "a2", "a3"], "upload-a"),
        ("inst-1", "seats.waitlisted.v1"): (["a4"], "upload-a"),
        ("inst-2", "seats.assigned.v1"): (["b1"], "upload-b"),
    }
    assert len(outbox(sessions)) == 3


def test_a_roster_of_an_institution_without_licence_fails_its_batch(sessions, plans):
    """The consumer then hands each event of the batch over alone (see the broker
    test): nothing of the failed batch stays applied."""
    service = service_for(sessions, plans, T0)
    with pytest.raises(NotFound):
        service.on_onboarding_learners_enrolled([enrolled("inst-9", ["z1"])])
    assert statuses(sessions) == {} and outbox(sessions) == []
