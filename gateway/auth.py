"""Passwords (argon2id) and short-lived signed bearer tokens (HS256, pinned)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.db import utcnow

from .limits import lock_seconds
from .models import Account, LoginFailures

ALGORITHM = "HS256"
AUDIENCE = "continuity-api"
ISSUER = "continuity-gateway"
ROLES = ("operator", "institution_admin", "learner", "partner")

_hasher = PasswordHasher()
# verify against this when the account is unknown, so timing does not tell
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class Unauthenticated(Exception):
    """No usable credentials: 401."""


@dataclass(frozen=True)
class Principal:
    subject: str
    role: str
    institution_id: str | None
    email: str | None = None


def hash_password(password: str) -> str:
    return tpool.execute(_hasher.hash, password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return tpool.execute(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def issue_token(secret: str, principal: Principal, ttl_seconds: int) -> str:
    now = utcnow()
    claims = {
        "sub": principal.subject, "role": principal.role,
        "inst": principal.institution_id, "email": principal.email,
        "aud": AUDIENCE, "iss": ISSUER, "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds), "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


# tokens already verified: a learner posts many records with the same token, and
# checking its signature and claims is a tenth of the gateway's CPU per request.
# Keyed by secret and token; the expiry is checked on every use; bounded.
_VERIFIED: dict[tuple[str, str], tuple[Principal, float]] = {}
VERIFIED_MAX = 50_000


def read_token(secret: str, token: str) -> Principal:
    known = _VERIFIED.get((secret, token))
    if known is not None:
        principal, expires = known
        if time.time() < expires:
            return principal
        del _VERIFIED[(secret, token)]
    principal, expires = _verify(secret, token)
    if len(_VERIFIED) >= VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[(secret, token)] = (principal, expires)
    return principal


def _verify(secret: str, token: str) -> tuple[Principal, float]:
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"invalid token: {exc}") from None
    if claims.get("role") not in ROLES:
        raise Unauthenticated("invalid token: unknown role")
    principal = Principal(claims["sub"], claims["role"], claims.get("inst"),
                          claims.get("email"))
    return principal, float(claims["exp"])


class SlowDown(Exception):
    """Too many failed logins for this account from this address: wait
    ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def login(session: Session, email: str, password: str, client: str) -> Principal | None:
    """The principal, or None for a wrong password (recorded: commit the session).

    Failures in a row lock the e-mail for longer and longer (SlowDown), for the
    address they came from only: whoever guesses from one place does not lock the
    owner out of the account from another."""
    email = email.lower()
    client = client[:64]
    now = utcnow()
    record = session.get(LoginFailures, (email, client), with_for_update=True)
    if record is not None and record.locked_until and record.locked_until > now:
        raise SlowDown(max(1, int((record.locked_until - now).total_seconds()) + 1))
    account = session.scalars(select(Account).where(Account.email == email)).first()
    if account is not None and verify_password(account.password_hash, password):
        if record is not None:
            session.delete(record)
        return Principal(account.id, account.role, account.institution_id, account.email)
    if account is None:
        verify_password(_DUMMY_HASH, password)  # same time whether the account exists
    if record is None:
        record = LoginFailures(email=email, client=client, failures=0)
        session.add(record)
    record.failures += 1
    wait = lock_seconds(record.failures)
    record.locked_until = now + timedelta(seconds=wait) if wait else None
    return None


class EmailTaken(Exception):
    """Another account has this e-mail address: one address is one account."""


def create_account(
    session: Session, *, account_id: str, email: str, password: str, role: str,
    institution_id: str | None,
) -> Principal:
    account = session.get(Account, account_id)
    if account is None:
        account = Account(id=account_id, email=email.lower(), role=role,
                          institution_id=institution_id, password_hash="")
        session.add(account)
        try:  # now: a twin with the same address waits here, then fails
            session.flush()
        except IntegrityError:
            raise EmailTaken(
                "an account with this e-mail address exists already (another "
                "institution invited it): one address is one account; ask the "
                "institution to invite you at another address") from None
    account.password_hash = hash_password(password)
    return Principal(account.id, role, institution_id, account.email)


def ensure_operator(sessions, config) -> None:
    """The operator account named by OPERATOR_EMAIL/OPERATOR_PASSWORD exists."""
    email, password = config.get("OPERATOR_EMAIL"), config.get("OPERATOR_PASSWORD")
    if not (email and password):
        return
    with sessions.begin() as session:
        account = session.scalars(select(Account).where(Account.email == email.lower())).first()
        if account is not None and verify_password(account.password_hash, password):
            return
        create_account(
            session, account_id=account.id if account else str(uuid.uuid5(uuid.NAMESPACE_URL, email)),
            email=email, password=password, role="operator", institution_id=None,
        )
