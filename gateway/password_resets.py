"""Forgotten passwords: a single-use link by e-mail, plain code over the tables.

A request for an address with an account makes a random token, keeps its SHA-256
only, and voids the account's earlier tokens that are still unused: the newest
e-mail is the one that works. A token is good for an hour and once. An address
without an account makes nothing; the caller answers the same either way.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .auth import hash_password
from .models import Account, PasswordReset

TOKEN_TTL = timedelta(hours=1)
LANGUAGES = ("en", "fr")


class ResetUnusable(Exception):
    """A link that sets no password: ``why`` is "used", "expired" or "unknown"."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class ResetRequested:
    """What the e-mail needs: who, in which language, and the token of the link."""

    account_id: str
    email: str
    language: str
    token: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(session: Session, email: str, *, now: datetime,
                  language: str = "en") -> ResetRequested | None:
    """A new token for the account at ``email`` (the earlier ones void), or None when
    no account has that address. ``language`` is the mail's when the account chose
    none."""
    account = session.scalars(
        select(Account).where(Account.email == email.strip().lower(),
                              Account.removed_at.is_(None))).first()
    if account is None:
        return None
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.account_id == account.id, PasswordReset.used_at.is_(None))
        .values(used_at=now, voided=True))
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(id=digest(token), account_id=account.id, created_at=now,
                              expires_at=now + TOKEN_TTL))
    chosen = account.language if account.language in LANGUAGES else language
    return ResetRequested(account.id, account.email, chosen, token)


def check_reset(session: Session, token: str, *, now: datetime,
                lock: bool = False) -> PasswordReset:
    """The usable reset this token names, else ResetUnusable saying why."""
    row = session.get(PasswordReset, digest(token), with_for_update=lock)
    if row is None:
        raise ResetUnusable("unknown")
    if row.used_at is not None:
        raise ResetUnusable("used")
    if row.expires_at <= now:
        raise ResetUnusable("expired")
    return row


def reset_password(session: Session, token: str, password: str, *,
                   now: datetime) -> Account:
    """Set the account's password from this token, which is then used."""
    row = check_reset(session, token, now=now, lock=True)
    account = session.get(Account, row.account_id)
    account.password_hash = hash_password(password)
    row.used_at = now
    return account


# the e-mail, in the account's language; the link's host is the platform's public URL
MAILS = {
    "en": (
        "Choose a new Continuity password",
        "Hello,\n\nSomeone (you, we hope) asked to choose a new password for the "
        "Continuity account of {email}. Choose it here (the link works once, for one "
        "hour):\n\n  {url}\n\nIf you did not ask, ignore this e-mail: your password "
        "stays as it is.\n\nThe Continuity team\n",
    ),
    "fr": (
        "Choisissez un nouveau mot de passe Continuity",
        "Bonjour,\n\nQuelqu'un (vous, espérons-le) a demandé à choisir un nouveau mot "
        "de passe pour le compte Continuity de {email}. Choisissez-le ici (lien à "
        "usage unique, valable une heure) :\n\n  {url}\n\nSi vous n'avez rien "
        "demandé, ignorez cet e-mail : votre mot de passe ne change pas.\n\n"
        "L'équipe Continuity\n",
    ),
}


def reset_mail(requested: ResetRequested, public_url: str) -> dict:
    subject, text = MAILS[requested.language if requested.language in MAILS else "en"]
    url = f"{public_url.rstrip('/')}/password-reset/{requested.token}"
    return {"to": requested.email, "subject": subject,
            "text": text.format(email=requested.email, url=url),
            "language": requested.language}
