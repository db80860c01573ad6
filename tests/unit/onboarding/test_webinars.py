"""Webinar booking: working hours of each institution, 24 h ahead, 50 a session."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from services.onboarding import webinars
from services.onboarding.models import Application, Base, Institution, Webinar
from tests.support.db import sessions_for

FRIDAY_NOON = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # 12:00 in Paris


@pytest.fixture
def sessions(db_url):
    return sessions_for(db_url, Base.metadata)


def institution(session, timezone="Europe/Paris") -> str:
    iid, aid = str(uuid.uuid4()), str(uuid.uuid4())
    session.add(
        Application(
            id=aid,
            status="active",
            status_token="t",
            name="X",
            type="university",
            country="FR",
            city="Paris",
            website=f"https://{aid}.fr",
            website_domain=f"{aid}.fr",
            contact_name="A",
            contact_email="a@x.fr",
            contact_role="r",
            expected_learners=10,
            languages=["fr"],
            timezone=timezone,
            reasons=[],
            received_at=FRIDAY_NOON,
        )
    )
    session.flush()
    session.add(
        Institution(
            id=iid,
            application_id=aid,
            name="X",
            type="university",
            country="FR",
            city="Paris",
            languages=["fr"],
            timezone=timezone,
            status="active",
            admin_email="a@x.fr",
            expected_learners=10,
            applied_at=FRIDAY_NOON,
            approved_at=FRIDAY_NOON,
        )
    )
    session.flush()
    return iid


def test_a_session_is_a_weekday_working_hour_at_least_a_day_ahead(sessions):
    with sessions.begin() as session:
        webinar, booked = webinars.book(
            session, institution(session), "fr", "Europe/Paris", FRIDAY_NOON
        )
    local = webinar.starts_at.astimezone(ZoneInfo("Europe/Paris"))
    assert booked
    assert (local.weekday(), local.hour) == (0, 9)  # Monday 09:00, not the weekend
    assert (webinar.starts_at - FRIDAY_NOON).total_seconds() >= 24 * 3600


def test_fifty_institutions_a_session_then_a_new_one_opens(sessions):
    with sessions.begin() as session:
        starts = [
            webinars.book(
                session, institution(session), "fr", "Europe/Paris", FRIDAY_NOON
            )[0].starts_at
            for _ in range(120)
        ]
    fill = Counter(starts)
    assert sorted(fill.values(), reverse=True) == [50, 50, 20]
    with sessions.begin() as session:
        assert all(w.booked <= w.capacity for w in session.query(Webinar))


def test_a_booking_behind_many_full_sessions_does_not_visit_each_of_them(sessions):
    """A surge fills session after session; the next booking stays a few statements."""
    from sqlalchemy import event

    with sessions.begin() as session:
        for n in range(12):  # twelve full sessions, Monday 09:00 onwards
            session.add(Webinar(id=f"full-{n}", language="fr",
                                starts_at=next_working_hour(n), minutes=60,
                                capacity=50, booked=50))
        session.flush()
        statements = []
        event.listen(session.connection(), "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
        webinar, booked = webinars.book(
            session, institution(session), "fr", "Europe/Paris", FRIDAY_NOON)
    assert booked and webinar.starts_at == next_working_hour(12)
    assert len(statements) <= 10, statements


def next_working_hour(n: int) -> datetime:
    slots = webinars.next_slots(FRIDAY_NOON + webinars.LEAD, "Europe/Paris")
    for _ in range(n):
        next(slots)
    return next(slots)


def test_booking_twice_keeps_the_first_session(sessions):
    with sessions.begin() as session:
        iid = institution(session)
        first, _ = webinars.book(session, iid, "fr", "Europe/Paris", FRIDAY_NOON)
        again, booked = webinars.book(session, iid, "fr", "Europe/Paris", FRIDAY_NOON)
    assert (again.id, booked) == (first.id, False)
    assert again.booked == 1


def test_a_paris_session_outside_montreal_hours_is_not_shared(sessions):
    with sessions.begin() as session:
        paris, _ = webinars.book(
            session, institution(session), "fr", "Europe/Paris", FRIDAY_NOON
        )
        montreal, _ = webinars.book(
            session,
            institution(session, "America/Montreal"),
            "fr",
            "America/Montreal",
            FRIDAY_NOON,
        )
    assert paris.id != montreal.id  # 09:00 in Paris is 03:00 in Montreal
    local = montreal.starts_at.astimezone(ZoneInfo("America/Montreal"))
    assert local.weekday() < 5 and 9 <= local.hour <= 16


def test_languages_have_separate_sessions(sessions):
    with sessions.begin() as session:
        fr, _ = webinars.book(
            session, institution(session), "fr", "Europe/Paris", FRIDAY_NOON
        )
        en, _ = webinars.book(
            session, institution(session), "en", "Europe/Paris", FRIDAY_NOON
        )
    assert fr.id != en.id and (fr.language, en.language) == ("fr", "en")


BOOKER = """
import sys, time
from datetime import datetime
from services.common.db import autocommit_session
from services.onboarding import webinars
from tests.support.db import sessions_for
from services.onboarding.models import Base
sessions = sessions_for(sys.argv[1], Base.metadata)
now = datetime.fromisoformat(sys.argv[3])
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start together
for iid in sys.argv[4:]:
    with autocommit_session(sessions) as session:  # as the activation does
        webinars.book(session, iid, "fr", "Europe/Paris", now)
"""


def test_activations_booking_at_once_fill_sessions_in_order_each_once(db_url, sessions):
    """Four processes book 120 institutions at the same moment (PostgreSQL)."""
    import subprocess
    import sys
    import time

    from sqlalchemy import func, select

    from services.onboarding.models import WebinarBooking

    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: nothing to race")
    with sessions.begin() as session:
        ids = [institution(session) for _ in range(120)]
    start_at = str(time.time() + 1.5)
    bookers = [subprocess.Popen(
        [sys.executable, "-c", BOOKER, db_url, start_at, FRIDAY_NOON.isoformat(),
         *ids[k::4]], stderr=subprocess.PIPE, text=True) for k in range(4)]
    assert [b.stderr.read() for b in bookers if b.wait(timeout=120) != 0] == []

    with sessions() as session:
        fill = sorted((w.booked for w in session.scalars(select(Webinar))),
                      reverse=True)
        per_webinar = dict(session.execute(select(
            WebinarBooking.webinar_id, func.count()).group_by(WebinarBooking.webinar_id)
        ).all())
        booked = set(session.scalars(select(WebinarBooking.institution_id)))
        counters = {w.id: w.booked for w in session.scalars(select(Webinar))}
    assert fill == [50, 50, 20]
    assert booked == set(ids)
    assert per_webinar == {k: v for k, v in counters.items() if v}
