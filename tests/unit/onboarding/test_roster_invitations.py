"""Each learner of a roster gets an invitation in the institution's language, with a
link that opens that learner's account and nobody else's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select

from services.common.db import utcnow
from services.common.outbox import BoundOutbox
from services.common.relay import Outbox
from services.onboarding import invitations
from services.onboarding.contracts.errors import InvitationUnusable
from services.onboarding.mails import MAIL_TEMPLATES
from services.onboarding.models import outbox_table
from services.onboarding.service import OnboardingService

PUBLIC_URL = "https://continuity.example"


@pytest.fixture
def service(sessions):
    return worker_factory(
        OnboardingService, db=sessions, clock=utcnow,
        outbox=BoundOutbox(Outbox(outbox_table, MAIL_TEMPLATES),
                           SimpleNamespace(context_data={})),
        config={"ROSTER_LEASE_SECONDS": 30, "PUBLIC_URL": PUBLIC_URL},
    )


def mails_sent(sessions) -> list[dict]:
    """The mails onboarding's outbox holds, as its relay sends them."""
    relay = Outbox(outbox_table, MAIL_TEMPLATES)
    with sessions() as session:
        bodies = session.scalars(select(outbox_table.c.body)
                                 .where(outbox_table.c.kind == "mail")
                                 .order_by(outbox_table.c.seq)).all()
    return [mail for body in bodies for mail in relay.mails_of(body)]


def token_in(mail: dict) -> str:
    link = next(line.strip() for line in mail["text"].splitlines()
                if line.strip().startswith(f"{PUBLIC_URL}/invitations/"))
    return link.rsplit("/", 1)[1]


def test_each_learner_is_invited_by_name_in_french_with_a_link_of_their_own(
        sessions, service, active_institution):
    institution_id, _ = active_institution(name="Lycée Victor Hugo", languages=["fr"])
    before = len(mails_sent(sessions))  # the admin's invitation
    service.start_roster_import(institution_id, (
        "email;first_name;last_name;cohort\r\n"
        "emma.petit@lycee.fr;Emma;Petit;2nde A\r\n"
        "leo.durand@lycee.fr;Léo;Durand;2nde B\r\n"), "classe.csv")

    mails = mails_sent(sessions)[before:]

    assert [m["to"] for m in mails] == ["emma.petit@lycee.fr", "leo.durand@lycee.fr"]
    assert {m["language"] for m in mails} == {"fr"}
    assert mails[0]["subject"] == (
        "Lycée Victor Hugo vous invite à apprendre sur Continuity")
    assert mails[1]["text"].startswith("Bonjour Léo,\n\nLycée Victor Hugo vous ouvre")
    for mail in mails:
        with sessions.begin() as session:
            member = invitations.redeem_invitation(
                session, token_in(mail), now=utcnow())
        assert member.email == mail["to"]
    with sessions.begin() as session, pytest.raises(InvitationUnusable):
        # once only
        invitations.redeem_invitation(session, token_in(mails[0]), now=utcnow())


def test_an_english_speaking_school_invites_its_learners_in_english(
        sessions, service, active_institution):
    institution_id, _ = active_institution(
        name="Hillside College", languages=["en"], country="GB")
    before = len(mails_sent(sessions))
    service.start_roster_import(institution_id, (
        "email,first_name,last_name,cohort\nann@hillside.ac.uk,Ann,Lee,Year 10\n"))

    mail, = mails_sent(sessions)[before:]

    assert mail["subject"] == "Hillside College invites you to learn on Continuity"
    assert mail["text"].startswith("Hello Ann,")
