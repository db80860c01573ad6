"""Browser sessions and CSRF tokens: plain code over the gateway's tables.

A signed-in browser holds a random token in an HttpOnly cookie; the table keeps its
SHA-256 only. Every form carries a CSRF token: an HMAC, under the token secret, of a
random value in its own cookie and of the session token when there is one (a signed
double-submit cookie), so a page of another site can neither read nor forge it and
visitors who are not signed in need no row.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..auth import Principal
from ..models import Account, WebSession

SESSION_COOKIE = "continuity_session"
CSRF_COOKIE = "continuity_csrf"
LANGUAGE_COOKIE = "continuity_language"
SESSION_TTL = timedelta(hours=12)


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    language: str | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def open_session(session: Session, principal: Principal, *, now: datetime) -> str:
    """A new session for ``principal``: the token its cookie holds."""
    token = new_token()
    session.add(WebSession(id=digest(token), account_id=principal.subject,
                           created_at=now, expires_at=now + SESSION_TTL))
    return token


def read_session(session: Session, token: str, *, now: datetime) -> SignedIn | None:
    """Who holds this session token, if it names a live session."""
    row = session.execute(
        select(Account)
        .join(WebSession, WebSession.account_id == Account.id)
        .where(WebSession.id == digest(token), WebSession.ended_at.is_(None),
               Account.removed_at.is_(None),
               WebSession.expires_at > now)
    ).scalar_one_or_none()
    if row is None:
        return None
    return SignedIn(Principal(row.id, row.role, row.institution_id, row.email),
                    row.language)


def end_session(session: Session, token: str, *, now: datetime) -> None:
    session.execute(update(WebSession).where(WebSession.id == digest(token))
                    .values(ended_at=now))


def set_language(session: Session, account_id: str, language: str) -> None:
    session.execute(update(Account).where(Account.id == account_id)
                    .values(language=language))


def csrf_token(secret: str, anchor: str, session_token: str | None) -> str:
    message = f"csrf|{anchor}|{session_token or ''}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def csrf_valid(secret: str, anchor: str | None, session_token: str | None,
               sent: str | None) -> bool:
    if not anchor or not sent:
        return False
    return hmac.compare_digest(csrf_token(secret, anchor, session_token), sent)
