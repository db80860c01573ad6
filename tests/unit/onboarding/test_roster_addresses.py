"""A roster row the ``learners.enrolled.v1`` event would refuse is refused at import,
with its line: one odd address never fails the whole file."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select

from services.common.db import utcnow
from services.common.outbox import BoundOutbox
from services.common.relay import Outbox
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1
from services.onboarding.mails import MAIL_TEMPLATES
from services.onboarding.models import outbox_table
from services.onboarding.service import OnboardingService

ODD = [  # (address, why), each on a row of its own
    ("x@r2.test.", "the domain ends with a dot"),
    ('a"b@x', "before the @"),
    ('a"b@x.test', "before the @"),
    ("zoe@localhost", "the domain has no dot"),
    ("élève@école.fr", "only ASCII"),
]


class UnitOutbox(Outbox):
    """The real outbox (each event checked against its schema as it is written),
    with no relay to wake after a commit."""

    def wake(self, kinds=None) -> None:
        pass


@pytest.fixture
def service(sessions):
    return worker_factory(
        OnboardingService, db=sessions, clock=utcnow,
        outbox=BoundOutbox(UnitOutbox(outbox_table, MAIL_TEMPLATES),
                           SimpleNamespace(context_data={})),
        config={"ROSTER_LEASE_SECONDS": 30, "PUBLIC_URL": "https://continuity.example"},
    )


def enrolled(sessions) -> list[str]:
    """The addresses announced in learners.enrolled.v1, each event loaded as its
    consumers load it."""
    with sessions() as session:
        bodies = session.scalars(select(outbox_table.c.body).where(
            outbox_table.c.topic == LEARNERS_ENROLLED_V1.name)).all()
    return [learner["email"] for body in bodies
            for learner in LEARNERS_ENROLLED_V1.schema().load(body["data"])["learners"]]


def roster(good: int, odd_after: int) -> tuple[str, dict[int, str]]:
    """``good`` learners, the odd addresses after the ``odd_after``-th: the file and
    the line of each odd address (the header is line 1)."""
    lines, odd_lines = ["email,first_name,last_name,cohort"], {}
    for n in range(good):
        lines.append(f"l{n}@lycee.fr,Léa,Roux,A")
        if n + 1 == odd_after:
            for address, why in ODD:
                lines.append(f"{address},Odd,Row,A")
                odd_lines[len(lines)] = why
    return "\n".join(lines) + "\n", odd_lines


def test_odd_addresses_in_a_small_file_are_rejected_with_their_lines(
        sessions, service, active_institution):
    institution_id, _ = active_institution()
    text, odd_lines = roster(20, odd_after=2)

    job = service.start_roster_import(institution_id, text, "classe.csv")

    assert (job["status"], job["imported"], job["rejected"]) == ("done", 20, len(ODD))
    assert [(e["line"], e["column"]) for e in job["errors"]] == [
        (line, "email") for line in odd_lines]
    for error in job["errors"]:
        assert odd_lines[error["line"]] in error["reason"]
    assert enrolled(sessions) == [f"l{n}@lycee.fr" for n in range(20)]


def test_odd_addresses_past_the_first_thousand_rows_do_not_fail_the_job(
        sessions, service, active_institution):
    institution_id, _ = active_institution(expected_learners=2000)
    text, odd_lines = roster(1500, odd_after=1200)

    queued = service.start_roster_import(institution_id, text, "lycee.csv")
    service.run_roster_job({"job_id": queued["id"]})
    job = service.get_roster_job(institution_id, queued["id"])

    assert (job["status"], job["imported"], job["rejected"]) == ("done", 1500, len(ODD))
    assert [e["line"] for e in job["errors"]] == list(odd_lines)
    assert sorted(enrolled(sessions)) == sorted(f"l{n}@lycee.fr" for n in range(1500))
