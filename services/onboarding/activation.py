"""Activation: the licence is issued, the institution gets its webinar place, becomes
active, and its admin is invited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from services.common.ids import new_id

from . import webinars
from .contracts.events import primary_language
from .contracts.errors import NotFound
from .invitations import Invite, new_invitation
from .mails import ADMIN, invitation_mail, local_time
from .models import Application, Institution, Member


@dataclass(frozen=True)
class Scheduled:
    """``webinar.scheduled.v1``: the institution's place in an onboarding webinar."""

    institution_id: str
    webinar_id: str
    language: str
    starts_at: datetime


@dataclass(frozen=True)
class Activated:
    """``institution.activated.v1``, with what the activation announces besides:
    the webinar place booked for it and its admin's invitation e-mail."""

    institution_id: str
    licence_id: str
    admin_member_id: str
    applied_at: datetime
    activated_at: datetime
    scheduled: Scheduled
    invitation: dict

    @property
    def seconds_to_active(self) -> float:
        return (self.activated_at - self.applied_at).total_seconds()


def book_webinar(session: Session, institution_id: str, *, now: datetime) -> Scheduled:
    """The institution's place in a webinar of its language, in its working hours.

    Booked once: a redelivered ``licence.issued.v1`` finds the same place. Run in a
    short transaction of its own (``autocommit_session``): the webinar's row stays
    locked until commit, and in a surge every activation wants the same webinar.
    """
    institution = get_institution(session, institution_id)
    booked, _ = webinars.book(
        session, institution.id,
        primary_language(institution.languages, institution.country),
        institution.timezone, now,
    )
    return Scheduled(institution.id, booked.id, booked.language, booked.starts_at)


def activate_institution(
    session: Session, institution_id: str, licence_id: str, issued_at: datetime,
    scheduled: Scheduled, public_url: str, *, now: datetime,
) -> Activated | None:
    """Licence issued (its webinar place booked): the institution becomes active and
    its admin is invited; None when it was active already."""
    institution, invite = activate(session, institution_id, licence_id, issued_at,
                                   now=now)
    if invite is None:
        return None
    invitation = invitation_mail(
        ADMIN, invite.email, invite.language, public_url, invite.token,
        institution=institution.name,
        webinar=local_time(scheduled.starts_at, institution.timezone),
    )
    return Activated(
        institution.id, institution.licence_id, invite.member_id,
        institution.applied_at, institution.activated_at, scheduled, invitation,
    )


def activate(
    session: Session, institution_id: str, licence_id: str, issued_at: datetime,
    *, now: datetime,
) -> tuple[Institution, Invite | None]:
    """Licence issued: the institution becomes active and its admin is invited."""
    institution = session.get(Institution, institution_id, with_for_update=True)
    if institution is None:
        raise NotFound(f"institution {institution_id} unknown")
    if institution.status == "active":
        return institution, None
    admin_id = new_id()
    token, invitation = new_invitation(admin_id, now)
    # plain statements: in a surge the ORM's unit of work cost more than the SQL
    session.execute(insert(Member.__table__).values(
        id=admin_id, institution_id=institution.id, role="institution_admin",
        email=institution.admin_email, first_name="", last_name="", created_at=now,
        **invitation,
    ))
    applications = Application.__table__
    session.execute(update(applications).where(
        applications.c.id == institution.application_id).values(status="active"))
    institution.status = "active"
    institution.licence_id = licence_id
    institution.licence_issued_at = issued_at
    institution.activated_at = now
    language = primary_language(institution.languages, institution.country)
    return institution, Invite(admin_id, institution.admin_email, token, language)


def get_institution(session: Session, institution_id: str) -> Institution:
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise NotFound("institution not found")
    return institution

