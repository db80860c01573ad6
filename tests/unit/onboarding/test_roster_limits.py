"""A roster beyond 100,000 rows is refused whole, before anything is queued."""

from __future__ import annotations

import pytest

from services.common.db import utcnow
from services.onboarding import roster_jobs
from services.onboarding.contracts.errors import TooLarge
from services.onboarding.models import RosterJob

HEADER = "email,first_name,last_name,cohort\n"


def rows(count: int) -> str:
    return "".join(f"l{n}@x.fr,A,B,C\n" for n in range(count))


def test_a_file_over_100000_rows_is_refused_and_nothing_is_queued(
    sessions, active_institution
):
    institution_id, _ = active_institution()
    with pytest.raises(TooLarge, match="100,000"), sessions.begin() as session:
        roster_jobs.create_roster_job(
            session, institution_id, HEADER + rows(100_001), None, now=utcnow())
    with sessions.begin() as session:
        assert session.query(RosterJob).count() == 0
        roster_jobs.create_roster_job(
            session, institution_id, HEADER + rows(100_000), None, now=utcnow())
    with sessions.begin() as session:
        assert session.query(RosterJob).count() == 1
