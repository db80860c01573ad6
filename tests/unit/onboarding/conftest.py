"""Onboarding factories: application payloads, active institutions, roster files."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from services.common.db import utcnow
from services.onboarding import activation, applications, roster_jobs
from services.onboarding.models import Base
from services.onboarding.rules import Rules
from services.onboarding.contracts.rpc import ApplicationRequest

APPLICATION = {
    "name": "Lycée Victor Hugo",
    "type": "secondary_school",
    "country": "FR",
    "city": "Paris",
    "website": "https://www.lycee-hugo.fr",
    "contact": {
        "name": "Anne Martin",
        "email": "anne.martin@lycee-hugo.fr",
        "role": "Proviseure",
    },
    "expected_learners": 300,
    "languages": ["fr"],
    "timezone": "Europe/Paris",
}

LEASE = timedelta(seconds=30)


@pytest.fixture
def payload():
    """A valid application as a client sends it; keyword arguments replace fields."""

    def make(**overrides):
        data = copy.deepcopy(APPLICATION)
        contact = overrides.pop("contact", {})
        data.update(overrides)
        data["contact"].update(contact)
        return data

    return make


@pytest.fixture
def request_for(payload):
    """The same application loaded by the schema, as the domain receives it."""

    def make(**overrides):
        return ApplicationRequest().load(payload(**overrides))

    return make


@pytest.fixture
def rules():
    return Rules.load()


@pytest.fixture
def sessions(make_sessions):
    return make_sessions(Base.metadata)


@pytest.fixture
def approved_institution(sessions, rules, request_for):
    """``approved_institution(**overrides)`` → institution id (approved, no licence)."""
    counter = iter(range(1, 10_000))

    def make(**overrides):
        n = next(counter)
        overrides.setdefault("website", f"https://www.school-{n}.fr")
        overrides.setdefault("contact", {"email": f"head@school-{n}.fr"})
        with sessions.begin() as session:
            submitted = applications.submit_application(
                session, rules, request_for(**overrides), None, now=utcnow()
            )
            institution = applications.approve(session, submitted.application, by=None,
                                               now=utcnow())
            return institution.id

    return make


@pytest.fixture
def active_institution(sessions, approved_institution):
    """``active_institution(**overrides)`` → (institution id, admin invite)."""

    def make(**overrides):
        institution_id = approved_institution(**overrides)
        with sessions.begin() as session:
            _, invite = activation.activate(
                session, institution_id, "licence-1", utcnow(), now=utcnow())
        return institution_id, invite

    return make


def roster_csv(count: int, *, start: int = 0, delimiter: str = ",") -> str:
    """A plain roster of ``count`` learners numbered from ``start``, in file order."""
    lines = [delimiter.join(("email", "first_name", "last_name", "cohort"))]
    for i in range(start, start + count):
        lines.append(
            delimiter.join(
                (
                    f"learner{i:06d}@school.fr",
                    f"First{i}",
                    f"Last{i}",
                    f"Cohort {i % 3}",
                )
            )
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def roster():
    return roster_csv


@pytest.fixture
def run_job(sessions):
    """Import a job to the end, one transaction a batch; returns the batches."""

    def run(job_id: str, lease: timedelta = LEASE):
        batches = []
        while True:
            with sessions.begin() as session:
                batch = roster_jobs.import_next_batch(
                    session, job_id, lease, now=utcnow())
            batches.append(batch)
            if batch.done:
                return batches

    return run


@pytest.fixture
def new_job(sessions):
    """``new_job(institution_id, content)`` → job id of a queued import."""

    def make(institution_id: str, content: str, filename: str | None = "roster.csv"):
        with sessions.begin() as session:
            return roster_jobs.create_roster_job(
                session, institution_id, content, filename, now=utcnow()
            ).id

    return make
