"""Monitoring on a known data set: dashboards per cohort, the learners table and its
CSV export, and the licensing/onboarding lifecycle events that gate them.

Domain functions run on SQLite and PostgreSQL with a ``now`` the test chooses; the
event handlers run through ``worker_factory`` with envelopes as the broker gives them.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError
from nameko.testing.services import worker_factory
from sqlalchemy import func, select

from services.common.contracts import EventType, envelope, read_event, serialize
from services.common.db import utcnow
from services.common.events import BatchEventConsumer
from services.common.ids import new_id
from services.licensing.contracts.events import (
    LICENCE_EXPIRED_V1,
    LICENCE_EXTENDED_V1,
    LICENCE_ISSUED_V1,
    LICENCE_REVOKED_V1,
    SEATS_ADDED_V1,
    SEATS_ASSIGNED_V1,
    SEATS_RELEASED_V1,
)
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1, LEARNERS_REMOVED_V1
from services.tracking import export, monitoring, read_models
from services.tracking.contracts import rpc as schemas
from services.tracking.contracts.errors import Forbidden, Invalid
from services.tracking.models import (
    ActivityWeek,
    CourseState,
    Learner,
    Licence,
    Progress,
    SkillAcquired,
)
from services.tracking.models import outbox_table as tracking_outbox
from services.tracking.service import TrackingService
from tests.support.outbox import table_outbox
from tests.support.refusals import code_of
from tests.support.tracking_data import build_institution

LICENCE = "lic-inst-1"  # the id conftest's Tracking.licence() gives inst-1's licence


# -- a school seen 20 days after enrolment ------------------------------------------
@pytest.fixture
def school(tracking):
    """inst-1, 5 seats, three cohorts; day 0 is ``tracking.t0``.

    - "2nde A": ana (completes c1 day 19, starts c2 day 19), ben (c1 ch1 day 3)
    - "2nde B": cleo (seated, never active), dan (not seated), eve (removed later)
    - "1ère C": fay (completes c2 with the quiz, day 10)
    """
    t0 = tracking.t0
    tracking.licence(seats=5)
    tracking.course("c1", chapters=2, skills=["html", "css"])
    tracking.course("c2", chapters=1, skills=["css", "js"], pass_mark=60)
    tracking.learners("ana", "ben", cohort="2nde A")
    tracking.learners("cleo", "eve", cohort="2nde B")
    tracking.learners("dan", cohort="2nde B", seated=False)
    tracking.learners("fay", cohort="1ère C")

    tracking.chapter("ben", "c1", 1, now=t0 + timedelta(days=3))
    tracking.record("ana", "c1", "course_completed", now=t0 + timedelta(days=19))
    tracking.chapter("ana", "c2", 1, now=t0 + timedelta(days=19))
    tracking.chapter("fay", "c2", 1, now=t0 + timedelta(days=9))
    tracking.quiz("fay", "c2", 75, now=t0 + timedelta(days=10))
    tracking.chapter("eve", "c1", 1, now=t0 + timedelta(days=1))
    with tracking.sessions.begin() as session:
        read_models.remove_learners(session, "inst-1", ["eve"], t0 + timedelta(days=2))
    return tracking


def page(tracking, days=20, **kwargs):
    with tracking.sessions() as session:
        now = tracking.t0 + timedelta(days=days)
        return monitoring.learners_page(session, "inst-1", now, **kwargs)


def test_the_dashboard_counts_each_cohort_and_hides_removed_learners(school):
    result = school.dashboard()

    assert result["cohorts"] == [
        {"cohort": "1ère C", "learners": 1, "seated": 1, "active_7d": 0,
         "courses_started": 1, "courses_completed": 1, "skills_acquired": 2},
        {"cohort": "2nde A", "learners": 2, "seated": 2, "active_7d": 1,
         "courses_started": 3, "courses_completed": 1, "skills_acquired": 2},
        {"cohort": "2nde B", "learners": 2, "seated": 1, "active_7d": 0,
         "courses_started": 0, "courses_completed": 0, "skills_acquired": 0},
    ]
    assert result["totals"] == {
        "learners": 5, "seated": 4, "active_7d": 1, "courses_started": 4,
        "courses_completed": 2, "skills_acquired": 4,
    }
    assert result["licence"]["seats_used"] == 4 and result["licence"]["seats_left"] == 1


def test_stalled_learners_depend_on_now(school):
    at_day_20 = school.dashboard(days=20)
    assert [s["learner_id"] for s in at_day_20["stalled"]] == ["cleo", "ben"]
    assert at_day_20["stalled_total"] == 2
    # day 25: fay's last activity (day 10) is 15 days old; ana (day 19) is not
    at_day_25 = school.dashboard(days=25)
    assert [s["learner_id"] for s in at_day_25["stalled"]] == ["cleo", "ben", "fay"]
    assert at_day_25["totals"]["active_7d"] == 1
    assert school.dashboard(days=27)["totals"]["active_7d"] == 0


def test_per_learner_totals_match_the_records_they_summarise(school, sessions):
    """The counters record_progress keeps equal a count over the detail tables."""
    with sessions() as session:
        for learner in session.scalars(select(Learner)):
            started = session.scalar(select(func.count()).select_from(CourseState)
                                     .where(CourseState.learner_id == learner.id))
            completed = session.scalar(
                select(func.count()).select_from(CourseState)
                .where(CourseState.learner_id == learner.id,
                       CourseState.completed_at.is_not(None)))
            skills = session.scalar(select(func.count()).select_from(SkillAcquired)
                                    .where(SkillAcquired.learner_id == learner.id))
            assert (learner.courses_started, learner.courses_completed,
                    learner.skills_acquired) == (started, completed, skills), learner.id


def test_the_dashboard_reply_matches_its_schema(school):
    dumped = schemas.Dashboard().dump(school.dashboard())
    assert schemas.Dashboard().load(dumped)["totals"]["learners"] == 5


def test_the_dashboard_of_5000_learners_counts_what_its_100000_records_hold(sessions):
    """At a real institution's size, the maintained totals equal the detail tables
    (how fast it answers is bench/dashboard_read.py's to measure)."""
    with sessions() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("the data set is built by PostgreSQL SQL")
    now = datetime.now(UTC)
    with sessions.begin() as session:
        build_institution(session, "inst-big", learners=5000, records=100_000, now=now)
    with sessions() as session:
        result = monitoring.dashboard(session, "inst-big", now)
        started, completed = session.execute(
            select(func.count(), func.count(CourseState.completed_at))
            .where(CourseState.institution_id == "inst-big")).one()
    assert result["totals"]["learners"] == 5000
    assert (result["totals"]["courses_started"],
            result["totals"]["courses_completed"]) == (started, completed)


# -- the learners table -------------------------------------------------------------
@pytest.fixture
def roster(tracking):
    """Seven learners whose names test the order (last name, first name, id)."""
    tracking.licence()
    tracking.course("c1", chapters=1, skills=["html", "css"])
    people = [  # id, first, last, cohort
        ("p1", "Zoé", "Martin", "A"), ("p2", "Anne", "Martin", "B"),
        ("p3", "Anne", "Martin", "A"), ("p4", "Léo", "Bernard", "B"),
        ("p5", "Hugo", "Petit", "A"), ("p6", "Emma", "Durand", "A"),
        ("p7", "Paul", "Dubois", "B"),
    ]
    with tracking.sessions.begin() as session:
        read_models.enrol_learners(session, "inst-1", [
            {"learner_id": lid, "email": f"{lid}@lycee.fr", "first_name": first,
             "last_name": last, "cohort": cohort, "external_id": f"X-{lid}"}
            for lid, first, last, cohort in people
        ], at=utcnow())
        read_models.seat(session, "inst-1", ["p1", "p2", "p3", "p4", "p5", "p6"],
                    at=utcnow())
    tracking.chapter("p6", "c1", 1, now=tracking.t0 + timedelta(days=1))
    return tracking


def all_pages(tracking, **kwargs):
    pages, cursor = [], None
    while True:
        result = page(tracking, cursor=cursor, **kwargs)
        pages.append([i["learner_id"] for i in result["items"]])
        cursor = result["next_cursor"]
        if cursor is None:
            return pages


def test_learners_come_in_pages_by_last_name_then_first_name_then_id(roster):
    assert all_pages(roster, limit=3) == [
        ["p4", "p7", "p6"], ["p2", "p3", "p1"], ["p5"],
    ]


def test_a_page_exactly_full_at_the_end_says_there_is_no_more(roster):
    assert all_pages(roster, limit=7) == [["p4", "p7", "p6", "p2", "p3", "p1", "p5"]]


def test_the_cohort_filter_pages_too(roster):
    assert all_pages(roster, limit=2, cohort="A") == [["p6", "p3"], ["p1", "p5"]]
    assert all_pages(roster, cohort="nobody") == [[]]


def test_each_row_carries_the_learners_totals_and_skills(roster):
    rows = {i["learner_id"]: i for i in page(roster, limit=200)["items"]}

    emma = rows["p6"]
    assert emma == {
        "learner_id": "p6", "email": "p6@lycee.fr", "first_name": "Emma",
        "last_name": "Durand", "cohort": "A", "external_id": "X-p6", "seated": True,
        "last_activity_at": roster.t0 + timedelta(days=1), "courses_started": 1,
        "courses_completed": 1, "skills_acquired": 2, "skills": ["css", "html"],
    }
    assert rows["p7"]["seated"] is False and rows["p7"]["last_activity_at"] is None
    assert schemas.LearnersPage().dump(page(roster, limit=2))["items"][0]["learner_id"]


def test_a_cursor_that_was_not_given_out_is_invalid(roster):
    for cursor in ("nonsense", "W10", "eyJhIjogMX0"):  # garbage, [], {"a": 1}
        with pytest.raises(Invalid) as raised:
            page(roster, cursor=cursor)
        assert set(raised.value.errors) == {"cursor"}


def test_a_removed_learner_leaves_the_table(roster):
    with roster.sessions.begin() as session:
        read_models.remove_learners(session, "inst-1", ["p4"], roster.t0)

    assert "p4" not in all_pages(roster, limit=200)[0]


def test_the_learners_query_is_validated():
    assert schemas.LearnersQuery().load({"limit": "10", "other": "x"}) == {"limit": 10}
    assert schemas.LearnersQuery().load({}) == {"limit": 50}
    for bad in ({"limit": "0"}, {"limit": "201"}, {"limit": "ten"}, {"cohort": ""}):
        with pytest.raises(ValidationError):
            schemas.LearnersQuery().load(bad)


# -- the CSV export -----------------------------------------------------------------
def export_all(tracking, page_size=1000, days=2, **kwargs) -> str:
    now = tracking.t0 + timedelta(days=days)
    text, cursor = "", None
    while True:
        with tracking.sessions() as session:
            chunk = export.export_page(session, "inst-1", now, cursor=cursor,
                                       page_size=page_size, **kwargs)
        text += chunk["text"]
        cursor = chunk["next_cursor"]
        if cursor is None:
            return text


def test_the_export_is_csv_for_a_french_spreadsheet(roster):
    with roster.sessions.begin() as session:
        read_models.enrol_learners(session, "inst-1", [
            {"learner_id": "q1", "email": "q1@lycee.fr", "first_name": 'Jean "Jo"',
             "last_name": "Dupont; fils", "cohort": "A", "external_id": "=1+2"},
        ], at=utcnow())

    text = export_all(roster)

    assert text.startswith("\ufefflearner_id;email;first_name;last_name;cohort;")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert len(lines) == 1 + 8 + 1  # header, eight learners, the empty end
    assert lines[0].lstrip("\ufeff").split(";") == list(export.COLUMNS)
    assert 'q1;q1@lycee.fr;"Jean ""Jo""";"Dupont; fils";A;\'=1+2;no;;0;0;0;' in lines
    emma = next(line for line in lines if line.startswith("p6;"))
    day_1 = (roster.t0 + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    assert emma == f"p6;p6@lycee.fr;Emma;Durand;A;X-p6;yes;{day_1};1;1;2;css, html"
    # what a spreadsheet (or Python's csv) reads back is what was stored
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    jean = next(r for r in rows if r[0] == "q1")
    assert (jean[2], jean[3]) == ('Jean "Jo"', "Dupont; fils")


def test_the_export_in_small_pages_is_the_same_file(roster):
    whole = export_all(roster)

    assert export_all(roster, page_size=2) == whole
    assert whole.count("\ufeff") == 1 and whole.count("learner_id;") == 1


def test_the_export_follows_the_cohort_filter(roster):
    text = export_all(roster, cohort="B")

    ids = [line.split(";")[0] for line in text.split("\r\n")[1:-1]]
    assert ids == ["p4", "p7", "p2"]


def test_an_empty_institution_exports_just_the_header(tracking):
    tracking.licence()
    assert export_all(tracking) == "\ufeff" + ";".join(export.COLUMNS) + "\r\n"


# -- licence lifecycle through the event handlers ------------------------------------
@pytest.fixture
def service(sessions):
    return worker_factory(
        TrackingService, db=sessions, clock=utcnow,
        outbox=table_outbox(tracking_outbox),
    )


def event_for(handler: str, event_type: EventType, data: dict, at=None, event_id=None):
    """An event as a handler receives it from the broker (envelope, tolerant read)."""
    body = envelope(event_type, serialize(event_type, data), None, event_id or new_id())
    if at is not None:
        body["occurred_at"] = at.isoformat()
    return read_event(event_type, body, f"tracking.{handler}")


def deliver(service, handler: str, event_type: EventType, data: dict, at=None,
            event_id=None):
    """Hand one event to a handler the way the broker would (a batch of one where the
    handler takes batches)."""
    event = event_for(handler, event_type, data, at, event_id)
    method = getattr(service, handler)
    batched = any(isinstance(entrypoint, BatchEventConsumer)
                  for entrypoint in getattr(method, "nameko_entrypoints", ()))
    method([event] if batched else event)


@pytest.fixture
def live(service, tracking):
    """inst-1 as events build it: a licence (10 seats, 90 days), leo and mia seated."""
    t0 = tracking.t0
    deliver(service, "on_licensing_licence_issued", LICENCE_ISSUED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "plan": "spark", "seats": 10,
        "starts_at": t0 - timedelta(days=1), "ends_at": t0 + timedelta(days=89)},
        at=t0 - timedelta(days=1))
    deliver(service, "on_onboarding_learners_enrolled", LEARNERS_ENROLLED_V1, {
        "institution_id": "inst-1", "import_job_id": "job-1",
        "learners": [{"learner_id": lid, "email": f"{lid}@lycee.fr", "first_name": lid,
                      "last_name": "Roux", "cohort": "A", "external_id": None}
                     for lid in ("leo", "mia")]})
    deliver(service, "on_licensing_seats_assigned", SEATS_ASSIGNED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1",
        "learner_ids": ["leo", "mia"], "seats_used": 2, "seats_granted": 10},
        at=t0 - timedelta(hours=1))
    tracking.course("c1", chapters=3)
    return tracking


def licence_row(sessions) -> Licence:
    with sessions() as session:
        return session.get(Licence, LICENCE)


def test_a_revoked_licence_refuses_progress_and_monitoring_with_the_reason(
    live, service,
):
    assert live.chapter("leo", "c1", 1).duplicate is False
    deliver(service, "on_licensing_licence_revoked", LICENCE_REVOKED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "reason": "closed",
        "revoked_at": live.t0})

    assert code_of(Forbidden, lambda: live.chapter("leo", "c1", 2)) == "licence_revoked"
    assert code_of(Forbidden, lambda: live.dashboard(days=0)) == "licence_revoked"
    assert code_of(Forbidden, lambda: page(live, days=0)) == "licence_revoked"
    with pytest.raises(Forbidden) as raised:
        service.get_dashboard("inst-1")
    assert raised.value.code == "licence_revoked"


def test_an_extension_moves_the_end_and_the_days_left(live, service, sessions):
    assert live.dashboard(days=0)["licence"]["days_left"] == 89
    deliver(service, "on_licensing_licence_extended", LICENCE_EXTENDED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "days": 30,
        "ends_at": live.t0 + timedelta(days=119), "extended_at": live.t0})

    assert live.dashboard(days=0)["licence"]["days_left"] == 119
    assert live.dashboard(days=100)["licence"]["status"] == "active"
    assert service.get_dashboard("inst-1")["licence"]["days_left"] in (118, 119)


def test_an_expired_licence_answers_licence_expired(live, service):
    deliver(service, "on_licensing_licence_expired", LICENCE_EXPIRED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "expired_at": live.t0})

    assert code_of(Forbidden, lambda: live.chapter("leo", "c1", 1)) == "licence_expired"
    assert code_of(Forbidden, lambda: live.dashboard(days=0)) == "licence_expired"


def test_released_seats_refuse_progress_with_no_seat(live, service):
    deliver(service, "on_licensing_seats_released", SEATS_RELEASED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "learner_ids": ["leo"],
        "seats_used": 1})

    assert code_of(Forbidden, lambda: live.chapter("leo", "c1", 1)) == "no_seat"
    assert live.chapter("mia", "c1", 1).duplicate is False
    assert live.dashboard(days=0)["licence"]["seats_used"] == 1


def test_removed_learners_leave_the_dashboard_and_may_not_progress(live, service):
    deliver(service, "on_onboarding_learners_removed", LEARNERS_REMOVED_V1, {
        "institution_id": "inst-1", "learner_ids": ["mia"], "removed_at": live.t0})

    assert code_of(Forbidden, lambda: live.chapter("mia", "c1", 1)) == "no_seat"
    assert live.dashboard(days=0)["totals"]["learners"] == 1
    assert service.list_learners("inst-1", {})["items"][0]["learner_id"] == "leo"


def test_a_batch_of_rosters_and_seats_lists_each_learner_once_where_it_belongs(
    live, service, sessions,
):
    def roster(institution, names):
        return event_for("on_onboarding_learners_enrolled", LEARNERS_ENROLLED_V1, {
            "institution_id": institution, "import_job_id": "job-2",
            "learners": [{"learner_id": n, "email": f"{n}@ecole.fr", "first_name": n,
                          "last_name": "Petit", "cohort": "B", "external_id": None}
                         for n in names]})

    zoe = roster("inst-1", ["zoe"])
    # what a busy queue hands over at once: inst-2's roster before inst-1's, and
    # inst-1's delivered twice (once in this batch, once in the next)
    service.on_onboarding_learners_enrolled(
        [roster("inst-2", ["ana", "bob"]), zoe, zoe])
    service.on_onboarding_learners_enrolled([zoe])

    def seated(learner_ids, granted):
        return event_for("on_licensing_seats_assigned", SEATS_ASSIGNED_V1, {
            "licence_id": LICENCE, "institution_id": "inst-1",
            "learner_ids": learner_ids, "seats_used": 3, "seats_granted": granted})

    # zoe in two seat events of one batch, the licence's figure in both: one row each
    service.on_licensing_seats_assigned([seated(["zoe"], 10), seated(["zoe"], 12)])

    listed = {i["learner_id"]: i for i in service.list_learners("inst-1", {})["items"]}
    assert sorted(listed) == ["leo", "mia", "zoe"] and listed["zoe"]["seated"] is True
    assert licence_row(sessions).seats_granted == 12
    assert live.chapter("zoe", "c1", 1).duplicate is False
    with sessions() as session:  # inst-2 holds no licence yet: its roster waits
        others = session.execute(select(Learner.id, Learner.seated).where(
            Learner.institution_id == "inst-2").order_by(Learner.id)).all()
    assert others == [("ana", False), ("bob", False)]


def test_added_seats_grow_the_licence(live, service, sessions):
    deliver(service, "on_licensing_seats_added", SEATS_ADDED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "added": 5,
        "seats_granted": 15})

    assert live.dashboard(days=0)["licence"]["seats_granted"] == 15
    assert live.dashboard(days=0)["licence"]["seats_left"] == 13


def test_a_redelivered_event_changes_nothing(live, service, sessions):
    extension = {"licence_id": LICENCE, "institution_id": "inst-1", "days": 10,
                 "ends_at": live.t0 + timedelta(days=99), "extended_at": live.t0}
    event_id = new_id()
    deliver(service, "on_licensing_licence_extended", LICENCE_EXTENDED_V1, extension,
            event_id=event_id)
    later = {**extension, "ends_at": live.t0 + timedelta(days=200)}
    deliver(service, "on_licensing_licence_extended", LICENCE_EXTENDED_V1, later,
            event_id=event_id)  # the same event again: already applied

    assert licence_row(sessions).ends_at == live.t0 + timedelta(days=99)


# -- events out of order across types -----------------------------------------------
def test_a_revoked_licence_stays_revoked_whatever_arrives_later(live, service):
    deliver(service, "on_licensing_licence_revoked", LICENCE_REVOKED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "reason": "closed",
        "revoked_at": live.t0})
    deliver(service, "on_licensing_licence_extended", LICENCE_EXTENDED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "days": 10,
        "ends_at": live.t0 + timedelta(days=99),
        "extended_at": live.t0 - timedelta(hours=1)})
    deliver(service, "on_licensing_licence_issued", LICENCE_ISSUED_V1, {  # again
        "licence_id": LICENCE, "institution_id": "inst-1", "plan": "spark", "seats": 10,
        "starts_at": live.t0 - timedelta(days=1),
        "ends_at": live.t0 + timedelta(days=89)})

    assert code_of(Forbidden, lambda: live.dashboard(days=0)) == "licence_revoked"


def test_lifecycle_events_before_the_issue_are_kept(tracking, service, sessions):
    t0 = tracking.t0
    deliver(service, "on_licensing_licence_extended", LICENCE_EXTENDED_V1, {
        "licence_id": "lic-9", "institution_id": "inst-9", "days": 30,
        "ends_at": t0 + timedelta(days=120), "extended_at": t0})
    deliver(service, "on_licensing_seats_added", SEATS_ADDED_V1, {
        "licence_id": "lic-9", "institution_id": "inst-9", "added": 5,
        "seats_granted": 25})
    with sessions() as session:
        refused = code_of(Forbidden,
                          lambda: monitoring.dashboard(session, "inst-9", t0))
    assert refused == "no_licence"

    deliver(service, "on_licensing_licence_issued", LICENCE_ISSUED_V1, {
        "licence_id": "lic-9", "institution_id": "inst-9", "plan": "spark", "seats": 20,
        "starts_at": t0 - timedelta(days=1), "ends_at": t0 + timedelta(days=89)})

    with sessions() as session:
        result = monitoring.dashboard(session, "inst-9", t0)
    assert result["licence"]["status"] == "active"
    licence = result["licence"]
    assert (licence["days_left"], licence["seats_granted"]) == (120, 25)


def test_an_older_extension_arriving_late_does_not_shorten_the_licence(live, service,
                                                                      sessions):
    newer = {"licence_id": LICENCE, "institution_id": "inst-1", "days": 20,
             "ends_at": live.t0 + timedelta(days=129), "extended_at": live.t0}
    older = {**newer, "ends_at": live.t0 + timedelta(days=109),
             "extended_at": live.t0 - timedelta(days=1)}
    deliver(service, "on_licensing_licence_extended", LICENCE_EXTENDED_V1, newer)
    deliver(service, "on_licensing_licence_extended", LICENCE_EXTENDED_V1, older)

    assert licence_row(sessions).ends_at == live.t0 + timedelta(days=129)


def test_an_extension_after_the_expiry_reopens_the_licence(live, service):
    deliver(service, "on_licensing_licence_extended", LICENCE_EXTENDED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "days": 30,
        "ends_at": live.t0 + timedelta(days=30),
        "extended_at": live.t0 + timedelta(hours=1)})
    deliver(service, "on_licensing_licence_expired", LICENCE_EXPIRED_V1, {  # older
        "licence_id": LICENCE, "institution_id": "inst-1", "expired_at": live.t0})

    assert live.dashboard(days=1)["licence"]["status"] == "active"


def test_an_extension_before_the_expiry_does_not_undo_it(live, service):
    deliver(service, "on_licensing_licence_expired", LICENCE_EXPIRED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "expired_at": live.t0})
    deliver(service, "on_licensing_licence_extended", LICENCE_EXTENDED_V1, {  # older
        "licence_id": LICENCE, "institution_id": "inst-1", "days": 30,
        "ends_at": live.t0 + timedelta(days=30),
        "extended_at": live.t0 - timedelta(days=1)})

    assert code_of(Forbidden, lambda: live.dashboard(days=0)) == "licence_expired"


def test_an_older_seat_event_arriving_late_does_not_seat_a_released_learner(live,
                                                                             service):
    released_at = live.t0
    deliver(service, "on_licensing_seats_released", SEATS_RELEASED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "learner_ids": ["leo"],
        "seats_used": 1}, at=released_at)
    deliver(service, "on_licensing_seats_assigned", SEATS_ASSIGNED_V1, {
        "licence_id": LICENCE, "institution_id": "inst-1", "learner_ids": ["leo"],
        "seats_used": 2, "seats_granted": 10}, at=released_at - timedelta(minutes=5))

    assert code_of(Forbidden, lambda: live.chapter("leo", "c1", 1)) == "no_seat"
    deliver(service, "on_licensing_seats_assigned", SEATS_ASSIGNED_V1, {  # seated again
        "licence_id": LICENCE, "institution_id": "inst-1", "learner_ids": ["leo"],
        "seats_used": 2, "seats_granted": 10}, at=released_at + timedelta(minutes=5))
    assert live.chapter("leo", "c1", 1).duplicate is False


def test_a_removal_before_the_enrolment_keeps_the_learner_out(tracking, service):
    tracking.licence()
    deliver(service, "on_onboarding_learners_removed", LEARNERS_REMOVED_V1, {
        "institution_id": "inst-1", "learner_ids": ["zoe"], "removed_at": tracking.t0})
    tracking.learners("zoe")

    assert tracking.dashboard(days=0)["totals"]["learners"] == 0


# -- the service's replies ------------------------------------------------------------
def test_progress_replies_201_data_then_a_duplicate(live, service):
    first = service.record_progress("leo", {"id": "r-1", "course_id": "c1",
                                            "kind": "chapter_completed",
                                            "chapter_id": "c1-ch1"})
    again = service.record_progress("leo", {"id": "r-1", "course_id": "c1",
                                            "kind": "chapter_completed",
                                            "chapter_id": "c1-ch1"})

    assert schemas.RecordedProgress().load(first)["duplicate"] is False
    assert (again["duplicate"], again["id"]) == (True, "r-1")
    assert schemas.MyProgress().load(service.my_progress("leo"))["items"][0][
        "chapters_done"] == 1
    assert schemas.MySkills().load(service.my_skills("leo")) == {
        "items": [], "next_cursor": None}


def test_the_export_rpc_gives_pages_of_text(live, service):
    first = service.export_learners("inst-1", {"cohort": "A"})

    assert first["text"].startswith("\ufefflearner_id;") and first["rows"] == 2
    assert first["next_cursor"] is None
    with pytest.raises(Invalid):
        service.list_learners("inst-1", {"limit": "500"})


# -- the admin's pages: search, status, activity per week ---------------------------
def names(answer) -> list[str]:
    return [row["learner_id"] for row in answer["items"]]


@pytest.mark.parametrize(("query", "found"), [
    ({"q": "ANA"}, ["ana"]),
    ({"q": "ben durand"}, ["ben"]),
    ({"q": "durand fay"}, ["fay"]),
    ({"q": "cleo@lycee"}, ["cleo"]),
    ({"q": "%"}, []),  # a wildcard is a character like another
    ({"status": "waiting"}, ["dan"]),
    ({"status": "removed"}, ["eve"]),
    ({"status": "seated", "cohort": "2nde B"}, ["cleo"]),
    ({"q": "dan"}, ["dan"]),
    ({"status": "seated", "q": "dan"}, []),
])
def test_the_learners_table_finds_by_name_or_address_and_status(school, query, found):
    assert names(page(school, **query)) == found


def test_a_removed_learner_is_listed_only_among_the_removed(school):
    assert "eve" not in names(page(school))
    assert names(page(school, status="removed")) == ["eve"]


def test_search_pages_follow_the_keyset(school):
    first = page(school, q="durand", limit=2)
    second = page(school, q="durand", limit=2, cursor=first["next_cursor"])
    third = page(school, q="durand", limit=2, cursor=second["next_cursor"])
    assert names(first) + names(second) + names(third) == [
        "ana", "ben", "cleo", "dan", "fay"]
    assert third["next_cursor"] is None


def test_a_status_that_does_not_exist_is_refused_by_the_query_schema():
    errors = schemas.LearnersQuery().validate({"status": "gone"})
    assert "status" in errors


def test_activity_counts_learners_and_records_per_week_current_week_last(school):
    now = school.t0 + timedelta(days=20)
    with school.sessions() as session:
        weeks = monitoring.activity(session, "inst-1", now)["weeks"]
        records = session.execute(select(Progress.learner_id, Progress.recorded_at)
                                  .where(Progress.institution_id == "inst-1")).all()
    assert len(weeks) == 8
    assert [w["starts_on"].weekday() for w in weeks] == [0] * 8
    assert weeks[-1]["starts_on"] <= now.date() < weeks[-1]["starts_on"] + timedelta(7)
    for week in weeks:  # as counted by hand from the records
        inside = [learner for learner, at in records
                  if week["starts_on"] <= at.date() < week["starts_on"] + timedelta(7)]
        assert (week["records"], week["active_learners"]) == (
            len(inside), len(set(inside))), week
    assert sum(w["records"] for w in weeks) == len(records) > 0


def test_a_week_that_is_over_is_counted_once_and_kept(school):
    now = school.t0 + timedelta(days=20)
    with school.sessions.begin() as session:
        first = monitoring.activity(session, "inst-1", now)["weeks"]
    with school.sessions.begin() as session:
        kept = session.scalars(select(ActivityWeek.starts_on)).all()
        assert sorted(kept) == [w["starts_on"] for w in first[:-1]]  # not this week
        # a record stamped in a week that is over cannot arrive; if a row appeared
        # there, the kept count stands, while the current week counts its own
        for at, n in ((first[-2]["starts_on"], 1), (now.date(), 2)):
            session.add(Progress(id=f"late-{n}", learner_id="cleo",
                                 institution_id="inst-1", course_id="c1",
                                 kind="chapter_completed", chapter_id="c1-ch1",
                                 recorded_at=datetime(at.year, at.month, at.day, 12,
                                                      tzinfo=UTC)))
    with school.sessions.begin() as session:
        again = monitoring.activity(session, "inst-1", now)["weeks"]
    assert again[:-1] == first[:-1]
    assert again[-1]["records"] == first[-1]["records"] + 1
