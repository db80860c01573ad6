"""Tracking factories: read models fed as the events would feed them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.common.db import utcnow
from services.tracking import monitoring, progress, read_models
from services.tracking.models import Base

INSTITUTION = "inst-1"


class Tracking:
    """Builds tracking's read models with the domain functions the consumers call."""

    def __init__(self, sessions):
        self.sessions = sessions
        self.t0 = utcnow()

    def course(
        self,
        course_id,
        *,
        chapters=2,
        skills=(),
        pass_mark=None,
        status="published",
        updated_at=None,
        title=None,
    ):
        with self.sessions.begin() as session:
            read_models.upsert_course(
                session,
                {
                    "id": course_id,
                    "title": title or course_id.title(),
                    "status": status,
                    "chapters": [
                        {"id": f"{course_id}-ch{i}", "title": f"Chapter {i}"}
                        for i in range(1, chapters + 1)
                    ],
                    "skills": list(skills),
                    "quiz": {"pass_mark": pass_mark, "questions": 5}
                    if pass_mark
                    else None,
                    "updated_at": updated_at or self.t0,
                },
            )

    def licence(
        self,
        institution_id=INSTITUTION,
        *,
        status="active",
        seats=10,
        starts_at=None,
        ends_at=None,
        licence_id=None,
    ):
        starts_at = starts_at or self.t0 - timedelta(days=1)
        with self.sessions.begin() as session:
            read_models.upsert_licence(
                session,
                {
                    "licence_id": licence_id or f"lic-{institution_id}",
                    "institution_id": institution_id,
                    "status": status,
                    "seats": seats,
                    "starts_at": starts_at,
                    "ends_at": ends_at or starts_at + timedelta(days=90),
                },
            )

    def learners(self, *ids, cohort="2nde A", institution_id=INSTITUTION, seated=True):
        with self.sessions.begin() as session:
            read_models.enrol_learners(
                session,
                institution_id,
                [
                    {
                        "learner_id": lid,
                        "email": f"{lid}@lycee.fr",
                        "first_name": lid.title(),
                        "last_name": "Durand",
                        "cohort": cohort,
                        "external_id": None,
                    }
                    for lid in ids
                ], at=utcnow()
            )
            if seated:
                read_models.seat(session, institution_id, list(ids), at=utcnow())

    def record(self, learner_id, course_id, kind, *, now=None, **fields):
        with self.sessions.begin() as session:
            return progress.record_progress(
                session,
                learner_id,
                {"course_id": course_id, "kind": kind, **fields},
                now or self.t0,
            )

    def chapter(self, learner_id, course_id, number, **kwargs):
        return self.record(
            learner_id,
            course_id,
            "chapter_completed",
            chapter_id=f"{course_id}-ch{number}",
            **kwargs,
        )

    def quiz(self, learner_id, course_id, score, **kwargs):
        return self.record(
            learner_id, course_id, "quiz_submitted", score=score, **kwargs
        )

    def progress(self, learner_id):
        with self.sessions() as session:
            return {p["course_id"]: p
                    for p in monitoring.my_progress(session, learner_id)}

    def dashboard(self, days=20, institution_id=INSTITUTION):
        """The institution's dashboard as it stands ``days`` after ``t0``."""
        with self.sessions() as session:
            return monitoring.dashboard(
                session, institution_id, self.t0 + timedelta(days=days)
            )

    def skills(self, learner_id):
        with self.sessions() as session:
            return monitoring.my_skills(session, learner_id)


@pytest.fixture
def sessions(make_sessions):
    return make_sessions(Base.metadata)


@pytest.fixture
def tracking(sessions):
    return Tracking(sessions)


@pytest.fixture
def seated(tracking):
    """An institution with an active licence, one seated learner ``leo``."""
    tracking.licence()
    tracking.learners("leo")
    return tracking
