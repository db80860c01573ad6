"""Read models built from catalog events: an older event never wins."""

from __future__ import annotations

from datetime import timedelta

from services.common.db import utcnow
from services.tracking import read_models
from services.tracking.models import Course, Learner


def stored(sessions, course_id) -> Course:
    with sessions() as session:
        return session.get(Course, course_id)


def test_a_published_course_is_stored_with_its_chapters_and_quiz(tracking, sessions):
    tracking.course("sql", chapters=3, skills=["sql-queries"], pass_mark=70)

    course = stored(sessions, "sql")
    assert course.status == "published"
    assert course.chapters == ["sql-ch1", "sql-ch2", "sql-ch3"]
    assert course.skills == ["sql-queries"]
    assert course.pass_mark == 70


def test_a_newer_update_replaces_the_course(tracking, sessions):
    tracking.course("sql", chapters=2, title="Old title")
    tracking.course(
        "sql",
        chapters=3,
        title="New title",
        updated_at=tracking.t0 + timedelta(minutes=5),
    )

    course = stored(sessions, "sql")
    assert (course.title, len(course.chapters)) == ("New title", 3)


def test_an_older_update_arriving_late_changes_nothing(tracking, sessions):
    tracking.course(
        "sql",
        chapters=3,
        title="New title",
        updated_at=tracking.t0 + timedelta(minutes=5),
    )
    tracking.course("sql", chapters=2, title="Old title", updated_at=tracking.t0)

    course = stored(sessions, "sql")
    assert (course.title, len(course.chapters)) == ("New title", 3)
    assert course.updated_at == tracking.t0 + timedelta(minutes=5)


def test_a_retired_course_stays_retired_against_an_older_update(tracking, sessions):
    tracking.course("sql")
    with sessions.begin() as session:
        read_models.retire_course(session, "sql", tracking.t0 + timedelta(hours=1))
    tracking.course("sql", updated_at=tracking.t0 + timedelta(minutes=30))

    assert stored(sessions, "sql").status == "retired"


def test_a_seat_arriving_before_the_enrolment_keeps_the_learner_details(
    tracking,
    sessions,
):
    with sessions.begin() as session:
        read_models.seat(session, "inst-1", ["leo"], at=utcnow())
    tracking.learners("leo", cohort="2nde B", seated=False)

    with sessions() as session:
        learner = session.get(Learner, "leo")
        assert (learner.seated, learner.email, learner.cohort) == (
            True,
            "leo@lycee.fr",
            "2nde B",
        )


def test_a_learner_row_is_the_same_whichever_of_enrolment_and_seat_came_first(
    tracking, sessions,
):
    """A rebuild replays the producers' events in another order than they first
    came: the row must not tell the orders apart (not even its enrolment time)."""
    enrolled, seated = tracking.t0, tracking.t0 + timedelta(seconds=3)
    roster = [{"learner_id": lid, "email": f"{lid}@lycee.fr", "first_name": "Léo",
               "last_name": "Durand", "cohort": "2nde B", "external_id": None}
              for lid in ("first-enrolled", "first-seated")]
    with sessions.begin() as session:
        read_models.enrol_learners(session, "inst-1", roster[:1], at=enrolled)
        read_models.seat(session, "inst-1", ["first-enrolled"], at=seated)
        read_models.seat(session, "inst-1", ["first-seated"], at=seated)
        read_models.enrol_learners(session, "inst-1", roster[1:], at=enrolled)

    def row(lid):
        with sessions() as session:
            learner = session.get(Learner, lid)
            return {c: getattr(learner, c) for c in Learner.__table__.columns.keys()
                    if c not in ("id", "email")}

    assert row("first-seated") == row("first-enrolled")
    assert row("first-seated")["enrolled_at"] == enrolled
