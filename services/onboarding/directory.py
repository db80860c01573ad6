"""Institutions as operators find them, and their admins: listed, invited, removed.

The list is keyset-paged, newest first (ids are time-ordered): a page is the
institutions older than the last one of the page before, so a surge's new arrivals
never shift the pages an operator walks through."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services.common.ids import new_id

from .contracts.errors import Conflict, LastAdmin, NotFound
from .contracts.events import primary_language
from .invitations import Invite, new_invitation
from .members import list_members
from .models import Institution, Member

ADMIN = "institution_admin"


def list_institutions(
    session: Session, *, text: str | None = None, country: str | None = None,
    status: str | None = None, ids: Collection[str] | None = None, limit: int = 50,
    before: str | None = None,
) -> list[Institution]:
    """Newest first; ``text`` finds a part of the name or city, any case; ``ids``
    keeps only those institutions (the ones on a plan, as licensing says)."""
    query = select(Institution).order_by(Institution.id.desc()).limit(limit)
    if text:
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        query = query.where(func.lower(Institution.name).like(pattern, escape="\\")
                            | func.lower(Institution.city).like(pattern, escape="\\"))
    if country:
        query = query.where(Institution.country == country.upper())
    if status:
        query = query.where(Institution.status == status)
    if ids is not None:
        query = query.where(Institution.id.in_(list(ids)))
    if before:
        query = query.where(Institution.id < before)
    return list(session.scalars(query))


def admins_of(session: Session, institution_id: str) -> list[Member]:
    if session.get(Institution, institution_id) is None:
        raise NotFound("institution not found")
    return list_members(session, institution_id, ADMIN)


def invite_admin(session: Session, institution_id: str, email: str, *,
                 now: datetime) -> tuple[Member, Invite]:
    """Another admin for an active institution: a member invited to set a password."""
    institution = session.get(Institution, institution_id, with_for_update=True)
    if institution is None:
        raise NotFound("institution not found")
    if institution.status != "active":
        raise Conflict("the institution is not active yet: its first admin is "
                       "invited when its licence is issued")
    email = email.lower()
    taken = session.scalars(select(Member.id).where(
        Member.institution_id == institution_id, func.lower(Member.email) == email,
    )).first()
    if taken is not None:
        raise Conflict("this address is a member of the institution already")
    member_id = new_id()
    token, invitation = new_invitation(member_id, now)
    member = Member(id=member_id, institution_id=institution_id, role=ADMIN,
                    email=email, first_name="", last_name="", created_at=now,
                    **invitation)
    session.add(member)
    language = primary_language(institution.languages, institution.country)
    return member, Invite(member_id, email, token, language)


@dataclass(frozen=True)
class AdminRemoved:
    """An admin taken off the institution: the gateway ends their account."""

    institution_id: str
    member_id: str
    email: str
    admins_left: int


def remove_admin(session: Session, institution_id: str, member_id: str) -> AdminRemoved:
    """Take an admin off the institution; its last admin stays (Conflict), so that
    someone can always manage it. The institution's row is locked, so two removals
    at once cannot leave it with none."""
    if session.get(Institution, institution_id, with_for_update=True) is None:
        raise NotFound("institution not found")
    admins = list_members(session, institution_id, ADMIN)
    member = next((m for m in admins if m.id == member_id), None)
    if member is None:
        raise NotFound("no such admin in this institution")
    if len(admins) == 1:
        raise LastAdmin("this is the institution's last admin: invite another admin "
                       "first, then remove this one")
    session.execute(delete(Member).where(Member.id == member_id))
    return AdminRemoved(institution_id, member_id, member.email, len(admins) - 1)
