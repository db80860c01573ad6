"""What an institution admin does to a roster and a webinar from the pages: send a
learner's invitation again (once per double click), move the webinar place."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select, update

from services.common.db import utcnow
from services.onboarding import invitations, webinars
from services.onboarding.contracts.errors import (
    Conflict,
    Invalid,
    InvitationUnusable,
    NotFound,
)
from services.onboarding.models import Member, Webinar, outbox_table
from services.onboarding.service import OnboardingService
from tests.support.outbox import table_outbox

from .test_roster_invitations import PUBLIC_URL, mails_sent, token_in


@pytest.fixture
def service(sessions):
    return worker_factory(
        OnboardingService, db=sessions, clock=utcnow, outbox=table_outbox(outbox_table),
        config={"ROSTER_LEASE_SECONDS": 30, "PUBLIC_URL": PUBLIC_URL})


def learner(sessions, institution_id: str, email: str) -> str:
    with sessions() as session:
        return session.scalars(select(Member.id).where(
            Member.institution_id == institution_id, Member.email == email)).one()


@pytest.fixture
def roster_of_two(service, active_institution, sessions):
    institution_id, _ = active_institution(name="Lycée Hugo", languages=["fr"])
    service.start_roster_import(institution_id, (
        "email,first_name,last_name,cohort\nemma@lycee.fr,Emma,Petit,A\nleo@lycee.fr,Léo,R,B\n"))
    return institution_id


def test_a_resent_invitation_is_one_mail_per_double_click_and_the_new_link_works(
        sessions, service, roster_of_two):
    emma = learner(sessions, roster_of_two, "emma@lycee.fr")
    first_link = token_in(mails_sent(sessions)[-2])
    before = len(mails_sent(sessions))

    # right after the import: the invitation just went, nothing is sent again
    assert service.resend_invitation(roster_of_two, emma)["sent"] is False
    assert len(mails_sent(sessions)) == before

    later = utcnow() + timedelta(minutes=3)
    service.clock = lambda: later
    answers = [service.resend_invitation(roster_of_two, emma) for _ in range(2)]

    assert [a["sent"] for a in answers] == [True, False]
    mail, = mails_sent(sessions)[before:]
    assert mail["to"] == "emma@lycee.fr"
    assert mail["subject"] == "Lycée Hugo vous invite à apprendre sur Continuity"
    with sessions.begin() as session, pytest.raises(InvitationUnusable):
        invitations.redeem_invitation(session, first_link, now=later)
    with sessions.begin() as session:
        assert invitations.redeem_invitation(
            session, token_in(mail), now=later).email == "emma@lycee.fr"
    # a learner with a password has no invitation to send
    with pytest.raises(Conflict):
        service.resend_invitation(roster_of_two, emma)


def test_another_institutions_learner_is_not_found(
        sessions, service, roster_of_two, active_institution):
    other, _ = active_institution()
    emma = learner(sessions, roster_of_two, "emma@lycee.fr")
    with pytest.raises(NotFound):
        service.resend_invitation(other, emma)
    with pytest.raises(NotFound):
        service.get_learner(other, emma)
    assert service.get_learner(roster_of_two, emma)["first_name"] == "Emma"


def test_the_webinar_place_moves_and_a_full_session_says_so(
        sessions, service, active_institution):
    institution_id, _ = active_institution()
    offered = service.webinar_choices(institution_id)
    assert not any(c["yours"] or c["full"] for c in offered)
    assert all(c["starts_at"] > utcnow().isoformat() for c in offered)
    service.book_webinar(institution_id, {"starts_at": offered[0]["starts_at"]})
    with sessions.begin() as session:
        booked = webinars.booking_of(session, institution_id)
        first = booked.starts_at
    offered = service.webinar_choices(institution_id)
    assert [c["starts_at"] for c in offered if c["yours"]] == [first.isoformat()]
    other = next(c for c in offered if not c["yours"])

    moved = service.book_webinar(institution_id, {"starts_at": other["starts_at"]})

    assert moved["starts_at"] == other["starts_at"]
    with sessions() as session:
        places = dict(session.execute(select(Webinar.starts_at, Webinar.booked)).all())
    assert places[first] == booked.booked - 1  # the old place went back
    assert places[datetime.fromisoformat(other["starts_at"])] == 1

    with sessions.begin() as session:
        session.execute(update(Webinar).where(Webinar.starts_at == first)
                        .values(booked=Webinar.capacity))
    full = next(c for c in service.webinar_choices(institution_id)
                if c["starts_at"] == first.isoformat())
    assert full["full"] is True
    with pytest.raises(Conflict):
        service.book_webinar(institution_id, {"starts_at": first.isoformat()})
    assert service.get_webinar(institution_id)["starts_at"] == other["starts_at"]

    with pytest.raises(Invalid):  # a Sunday night is not offered
        service.book_webinar(institution_id, {"starts_at": "2030-01-06T03:00:00+00:00"})
