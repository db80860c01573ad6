"""The institution dashboard on a small known data set."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.tracking import monitoring
from services.tracking.contracts.errors import Forbidden


@pytest.fixture
def school(tracking):
    """Two cohorts, two courses, four learners, seen twenty days after enrolment.

    - cohort "2nde A": ana (completes c1, starts c2 at day 18),
      ben (one chapter at day 2)
    - cohort "2nde B": cleo (seated, never active), dan (not seated)
    - another institution's learner, who must not show.
    """
    t0 = tracking.t0
    tracking.licence(seats=3)
    tracking.licence("inst-2")
    tracking.course("c1", chapters=2, skills=["s1", "s2"])
    tracking.course("c2", chapters=1, skills=["s2"], pass_mark=60)
    tracking.learners("ana", "ben", cohort="2nde A")
    tracking.learners("cleo", cohort="2nde B")
    tracking.learners("dan", cohort="2nde B", seated=False)
    tracking.learners("zed", cohort="2nde A", institution_id="inst-2")

    tracking.chapter("ben", "c1", 1, now=t0 + timedelta(days=2))
    tracking.chapter("ana", "c1", 1, now=t0 + timedelta(days=17))
    tracking.chapter("ana", "c1", 2, now=t0 + timedelta(days=18))
    tracking.chapter("ana", "c2", 1, now=t0 + timedelta(days=18))
    tracking.record("zed", "c1", "course_completed", now=t0 + timedelta(days=19))
    return tracking


def test_numbers_per_cohort(school):
    board = school.dashboard()

    assert board["cohorts"] == [
        {
            "cohort": "2nde A",
            "learners": 2,
            "seated": 2,
            "active_7d": 1,
            "courses_started": 3,
            "courses_completed": 1,
            "skills_acquired": 2,
        },
        {
            "cohort": "2nde B",
            "learners": 2,
            "seated": 1,
            "active_7d": 0,
            "courses_started": 0,
            "courses_completed": 0,
            "skills_acquired": 0,
        },
    ]
    assert board["totals"] == {
        "learners": 4,
        "seated": 3,
        "active_7d": 1,
        "courses_started": 3,
        "courses_completed": 1,
        "skills_acquired": 2,
    }


def test_the_licence_block_shows_seats_and_days_left(school):
    board = school.dashboard()

    assert board["licence"]["status"] == "active"
    assert (
        board["licence"]["seats_granted"],
        board["licence"]["seats_used"],
        board["licence"]["seats_left"],
    ) == (3, 3, 0)
    assert board["licence"]["days_left"] == 69  # ends at day 89 after t0


def test_stalled_learners_are_seated_and_idle_for_14_days(school):
    board = school.dashboard()

    assert [(s["learner_id"], s["last_activity_at"]) for s in board["stalled"]] == [
        ("cleo", None),
        ("ben", school.t0 + timedelta(days=2)),
    ]
    assert board["stalled"][1]["email"] == "ben@lycee.fr"


def test_no_one_is_stalled_in_the_first_two_weeks(school):
    assert school.dashboard(days=15)["stalled"] == [
        {
            "learner_id": "cleo",
            "email": "cleo@lycee.fr",
            "first_name": "Cleo",
            "last_name": "Durand",
            "cohort": "2nde B",
            "last_activity_at": None,
        },
    ]
    assert school.dashboard(days=13)["stalled"] == []


def test_active_learners_are_those_seen_in_the_last_7_days(school):
    assert school.dashboard(days=24)["totals"]["active_7d"] == 1  # ana, day 18
    assert school.dashboard(days=26)["totals"]["active_7d"] == 0


def test_an_institution_sees_only_its_learners(school):
    board = school.dashboard(institution_id="inst-2")

    assert board["totals"] == {
        "learners": 1,
        "seated": 1,
        "active_7d": 1,
        "courses_started": 1,
        "courses_completed": 1,
        "skills_acquired": 2,
    }


def test_the_dashboard_is_refused_after_expiry(school):
    with pytest.raises(Forbidden) as raised:
        school.dashboard(days=90)
    assert raised.value.code == "licence_expired"


def test_the_dashboard_is_refused_after_revocation(tracking):
    tracking.licence(status="revoked")

    with pytest.raises(Forbidden) as raised, tracking.sessions() as session:
        monitoring.dashboard(session, "inst-1", tracking.t0)
    assert raised.value.code == "licence_revoked"


def test_the_dashboard_is_refused_without_a_licence(tracking):
    with pytest.raises(Forbidden) as raised, tracking.sessions() as session:
        monitoring.dashboard(session, "inst-1", tracking.t0)
    assert raised.value.code == "no_licence"
