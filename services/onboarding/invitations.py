"""Invitations: the token of a member's link, and whether it can still be used."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from services.common.ids import new_id

from .contracts.errors import Conflict, InvitationUnusable
from .contracts.events import primary_language
from .mails import LEARNER, invitation_mail
from .members import get_learner
from .models import Institution, Member

INVITATION_TTL = timedelta(days=7)


@dataclass(frozen=True)
class Invite:
    member_id: str
    email: str
    token: str
    language: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


ID_LENGTH = len(new_id())
SECRET_BYTES = 32


def new_invitation(member_id: str, now: datetime) -> tuple[str, dict]:
    """The token of a member's invitation link, and the columns its row keeps.

    The token is the member's id followed by a secret (URL-safe characters both): the
    link finds its member by primary key, and only the secret's hash is stored.
    """
    return new_invitations([member_id], now)[0]


def new_invitations(member_ids: list[str], now: datetime) -> list[tuple[str, dict]]:
    """``new_invitation`` for a batch: the secrets come from one read of the system's
    random source (``secrets.token_urlsafe(32)`` each, but not a system call each)."""
    raw = secrets.token_bytes(SECRET_BYTES * len(member_ids))
    expires_at = now + INVITATION_TTL
    invitations = []
    for at, member_id in zip(range(0, len(raw), SECRET_BYTES), member_ids, strict=True):
        secret = base64.urlsafe_b64encode(raw[at:at + SECRET_BYTES])
        secret = secret.rstrip(b"=").decode()
        invitations.append((member_id + secret, {
            "invitation_hash": token_hash(secret), "invitation_expires_at": expires_at,
        }))
    return invitations


def usable_invitation(
    session: Session, token: str, *, now: datetime, lock: bool = False
) -> Member:
    """The member whose invitation this is, if it can still be used."""
    member_id, secret = token[:ID_LENGTH], token[ID_LENGTH:]
    member = session.get(Member, member_id, with_for_update=lock) if secret else None
    if member is None or member.invitation_hash is None or not hmac.compare_digest(
            member.invitation_hash, token_hash(secret)):
        raise InvitationUnusable("unknown invitation")
    if member.invitation_accepted_at is not None:
        raise InvitationUnusable("this invitation has already been used")
    if member.invitation_expires_at < now:
        raise InvitationUnusable("this invitation has expired; ask for a new one")
    return member


def redeem_invitation(session: Session, token: str, *, now: datetime) -> Member:
    member = usable_invitation(session, token, now=now, lock=True)
    member.invitation_accepted_at = now
    return member



# a second "resend" within this long sends nothing: a double click, two tabs, two
# admins at once all get the one mail of the first (INVITATION_RESEND_QUIET_SECONDS)
RESEND_QUIET = timedelta(minutes=2)


@dataclass(frozen=True)
class Resent:
    """A learner's invitation sent again, or not (``mail`` None) because one went
    out less than the quiet time ago; ``sent_at`` is when the standing one went."""

    member_id: str
    email: str
    sent_at: datetime
    expires_at: datetime
    mail: dict | None


def resend_invitation(
    session: Session, institution_id: str, learner_id: str, *, public_url: str,
    now: datetime, quiet: timedelta = RESEND_QUIET,
) -> Resent:
    """A new link for a learner who has not set a password yet; the old link stops
    working. The member's row is locked, so twin requests send one mail."""
    member = get_learner(session, institution_id, learner_id, lock=True)
    if member.invitation_accepted_at is not None:
        raise Conflict("this learner has already set a password: no invitation to "
                       "send")
    sent_at = (member.invitation_expires_at - INVITATION_TTL
               if member.invitation_expires_at else None)
    if sent_at is not None and now - sent_at < quiet:
        return Resent(member.id, member.email, sent_at, member.invitation_expires_at,
                      None)
    institution = session.get(Institution, institution_id)
    token, columns = new_invitation(member.id, now)
    member.invitation_hash = columns["invitation_hash"]
    member.invitation_expires_at = columns["invitation_expires_at"]
    mail = invitation_mail(
        LEARNER, member.email,
        primary_language(institution.languages, institution.country), public_url,
        token, institution=institution.name, first_name=member.first_name)
    return Resent(member.id, member.email, now, member.invitation_expires_at, mail)
