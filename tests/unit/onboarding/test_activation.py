"""Activation when the licence is issued, and the admin's invitation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import func, select, update

from services.common.db import utcnow
from services.onboarding import activation, invitations
from services.onboarding.contracts.errors import InvitationUnusable, NotFound
from services.onboarding.models import Application, Institution, Member
from services.onboarding.service import OnboardingService


def test_activation_makes_the_institution_active_and_invites_its_admin(
    sessions,
    approved_institution,
):
    institution_id = approved_institution(
        contact={"email": "Head@School-A.fr"}, website="https://school-a.fr"
    )
    issued_at = utcnow()

    with sessions.begin() as session:
        institution, invite = activation.activate(
            session, institution_id, "lic-9", issued_at, now=utcnow()
        )

    assert invite is not None
    assert invite.email == "head@school-a.fr"
    assert invite.language == "fr"
    assert invite.token
    with sessions() as session:
        institution = session.get(Institution, institution_id)
        assert institution.status == "active"
        assert institution.licence_id == "lic-9"
        assert institution.licence_issued_at == issued_at
        assert session.get(Application, institution.application_id).status == "active"
        admin = session.get(Member, invite.member_id)
        assert (admin.role, admin.institution_id) == (
            "institution_admin",
            institution_id,
        )
        assert admin.invitation_hash is not None
        assert admin.invitation_hash not in invite.token  # only a hash is kept


@pytest.mark.parametrize(
    "languages, country, language",
    [
        (["en"], "FR", "en"),
        (["fr"], "GB", "fr"),
        (["fr", "en"], "BE", "fr"),
        (["fr", "en"], "GB", "en"),
    ],
)
def test_the_admin_is_invited_in_the_institution_language(
    sessions, approved_institution, languages, country, language
):
    institution_id = approved_institution(languages=languages, country=country)
    with sessions.begin() as session:
        _, invite = activation.activate(session, institution_id, "lic-1", utcnow(),
                                        now=utcnow())
    assert invite.language == language


def test_a_second_activation_changes_nothing_and_invites_no_one(
    sessions,
    approved_institution,
):
    institution_id = approved_institution()
    with sessions.begin() as session:
        activation.activate(session, institution_id, "lic-1", utcnow(), now=utcnow())

    with sessions.begin() as session:
        institution, invite = activation.activate(
            session, institution_id, "lic-2", utcnow(), now=utcnow()
        )

    assert invite is None
    assert institution.licence_id == "lic-1"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 1
        assert session.scalar(select(func.count()).select_from(Member).where(
            Member.invitation_hash.is_not(None))) == 1


def test_activating_an_unknown_institution_is_not_found(sessions):
    with pytest.raises(NotFound), sessions.begin() as session:
        activation.activate(
            session, "no-such-institution", "lic-1", utcnow(), now=utcnow())


def test_an_invitation_works_once(sessions, active_institution):
    _, invite = active_institution()

    with sessions.begin() as session:
        member = invitations.redeem_invitation(session, invite.token, now=utcnow())
    assert (member.id, member.email) == (invite.member_id, invite.email)

    with pytest.raises(InvitationUnusable), sessions.begin() as session:
        invitations.redeem_invitation(session, invite.token, now=utcnow())


def test_looking_an_invitation_up_leaves_it_usable(sessions, active_institution):
    """The gateway checks the invitation, makes the account, then uses it up."""
    _, invite = active_institution()

    for _ in range(2):
        with sessions.begin() as session:
            assert invitations.usable_invitation(session, invite.token,
                                                 now=utcnow()).email == invite.email
    with sessions.begin() as session:
        invitations.redeem_invitation(session, invite.token, now=utcnow())
    with pytest.raises(InvitationUnusable), sessions.begin() as session:
        invitations.usable_invitation(session, invite.token, now=utcnow())


def test_an_expired_invitation_is_unusable(sessions, active_institution):
    _, invite = active_institution()
    with sessions.begin() as session:
        session.execute(
            update(Member).values(
                invitation_expires_at=utcnow() - timedelta(minutes=1))
        )

    with (
        pytest.raises(InvitationUnusable, match="expired"),
        sessions.begin() as session,
    ):
        invitations.redeem_invitation(session, invite.token, now=utcnow())


def test_the_service_checks_an_invitation_at_its_clock_s_time(
    sessions, active_institution,
):
    """A service whose clock runs ahead (CLOCK_OFFSET_SECONDS) sees today's
    invitation as the invitee would then: still open on day 6, expired on day 8."""
    _, invite = active_institution()

    def service_in(days: int) -> OnboardingService:
        return worker_factory(OnboardingService, db=sessions,
                              clock=lambda: utcnow() + timedelta(days=days))

    assert service_in(6).get_invitation(invite.token)["email"] == invite.email
    with pytest.raises(InvitationUnusable, match="expired"):
        service_in(8).redeem_invitation(invite.token)
    assert service_in(0).redeem_invitation(invite.token)["email"] == invite.email


def test_an_unknown_invitation_is_unusable(sessions, active_institution):
    active_institution()
    with pytest.raises(InvitationUnusable), sessions.begin() as session:
        invitations.redeem_invitation(session, "made-up-token", now=utcnow())


def test_a_real_member_with_a_forged_secret_is_unusable(sessions, active_institution):
    """The link names its member: knowing a member's id is not enough to take it."""
    _, invite = active_institution()
    forged = invite.member_id + "x" * (len(invite.token) - len(invite.member_id))
    for token in (forged, invite.member_id, invite.token[:-1]):
        with pytest.raises(InvitationUnusable, match="unknown"), \
                sessions.begin() as session:
            invitations.redeem_invitation(session, token, now=utcnow())
    with sessions.begin() as session:  # the real one still works
        assert invitations.redeem_invitation(session, invite.token,
                                             now=utcnow()).id == invite.member_id


def test_an_invitation_lasts_seven_days(sessions, active_institution):
    before = utcnow()
    _, invite = active_institution()
    with sessions() as session:
        admin = session.scalars(select(Member)).one()
    assert (
        before + timedelta(days=7)
        <= admin.invitation_expires_at
        <= utcnow() + timedelta(days=7)
    )
