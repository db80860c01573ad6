"""Passwords (argon2id) and short-lived signed bearer tokens (HS256, pinned).

Each token names the key that signed it (its ``kid`` header), so the signing key can
rotate while tokens of the previous keys still work; and an account's tokens issued
before its "valid after" moment stop working (``revoke_account``), checked against a
per-process copy of those moments (``Revocations``) rather than the database on every
request (docs/decisions/0040-token-key-rotation-and-revocation.md).
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.db import utcnow

from .limits import lock_seconds
from .models import Account, LoginFailures, WebSession

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


def key_id(secret: str) -> str:
    """The public name of a signing key: derived from it, so every gateway process
    names it alike and an operator has nothing more to configure."""
    return hashlib.sha256(b"continuity-kid|" + secret.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class TokenKeys:
    """The key tokens are signed with, and the previous ones still accepted."""

    current: str
    previous: tuple[str, ...] = ()
    by_kid: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        for secret in (*self.previous, self.current):  # current wins a clash
            self.by_kid[key_id(secret)] = secret

    @classmethod
    def from_config(cls, config) -> TokenKeys:
        previous = config.get("TOKEN_PREVIOUS_SECRETS") or ()
        if isinstance(previous, str):
            previous = split_secrets(previous)
        return cls(config["TOKEN_SECRET"], tuple(previous))


def split_secrets(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _keys(keys: TokenKeys | str) -> TokenKeys:
    return TokenKeys(keys) if isinstance(keys, str) else keys


def issue_token(secret: TokenKeys | str, principal: Principal, ttl_seconds: int) -> str:
    signing = _keys(secret).current
    now = utcnow()
    claims = {
        "sub": principal.subject, "role": principal.role,
        "inst": principal.institution_id, "email": principal.email,
        # to the microsecond: a token issued just after a revocation outlives it
        "aud": AUDIENCE, "iss": ISSUER, "iat": now.timestamp(),
        "exp": now + timedelta(seconds=ttl_seconds), "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, signing, algorithm=ALGORITHM,
                      headers={"kid": key_id(signing)})


# tokens already verified: a learner posts many records with the same token, and
# checking its signature and claims costs much of the gateway's CPU per request.
# Keyed by secret and token; the expiry is checked on every use; bounded.
_VERIFIED: dict[tuple[str, str], tuple[Principal, float, float]] = {}
VERIFIED_MAX = 50_000


def read_token(secret: TokenKeys | str, token: str) -> Principal:
    return read_token_issued(secret, token)[0]


def read_token_issued(keys: TokenKeys | str, token: str) -> tuple[Principal, float]:
    """Who the token names and when it was issued (a POSIX time), or Unauthenticated."""
    secret = _signing_key(_keys(keys), token)
    known = _VERIFIED.get((secret, token))
    if known is not None:
        principal, expires, issued = known
        if time.time() < expires:
            return principal, issued
        del _VERIFIED[(secret, token)]
    principal, expires, issued = _verify(secret, token)
    if len(_VERIFIED) >= VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[(secret, token)] = (principal, expires, issued)
    return principal, issued


def _signing_key(keys: TokenKeys, token: str) -> str:
    """The key the token's ``kid`` names; a token without one (issued before key
    ids) is checked against the current key only."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"invalid token: {exc}") from None
    kid = header.get("kid")
    if kid is None:
        return keys.current
    secret = keys.by_kid.get(kid) if isinstance(kid, str) else None
    if secret is None:
        raise Unauthenticated("invalid token: unknown signing key")
    return secret


def _verify(secret: str, token: str) -> tuple[Principal, float, float]:
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
    return principal, float(claims["exp"]), float(claims["iat"])


# -- revocation ----------------------------------------------------------------------
def revoke_account(session: Session, account_id: str, now: datetime) -> None:
    """The account's tokens issued before ``now`` stop working, and its web sessions
    end. Moments only move forward: a late or repeated trigger undoes nothing."""
    session.execute(
        update(Account)
        .where(Account.id == account_id,
               or_(Account.valid_after.is_(None), Account.valid_after < now))
        .values(valid_after=now))
    session.execute(
        update(WebSession)
        .where(WebSession.account_id == account_id, WebSession.ended_at.is_(None))
        .values(ended_at=now))


def remove_account(session: Session, account_id: str, now: datetime) -> bool:
    """An account taken away (an admin removed by an operator): its tokens and web
    sessions end now and it signs in no more. False when there was none (an admin
    invited who never set a password)."""
    revoke_account(session, account_id, now)
    removed = session.execute(
        update(Account).where(Account.id == account_id, Account.removed_at.is_(None))
        .values(removed_at=now))
    return bool(removed.rowcount)


def revoke_institution(session: Session, institution_id: str, now: datetime) -> None:
    """``revoke_account`` for every account of the institution (admins, learners)."""
    for account_id in session.scalars(
            select(Account.id).where(Account.institution_id == institution_id)):
        revoke_account(session, account_id, now)


def revocation_moments(session: Session, since: datetime) -> dict[str, float]:
    """Accounts revoked after ``since`` (older revocations concern only tokens that
    have expired anyway): account id -> valid-after as a POSIX time."""
    return {account_id: moment.timestamp() for account_id, moment in session.execute(
        select(Account.id, Account.valid_after).where(Account.valid_after > since))}


class Revocations:
    """This process's copy of the accounts' valid-after moments, reloaded in one
    query at most every ``refresh_seconds``: a revocation reaches every gateway
    process within that bound, without a query per request."""

    def __init__(self, load: Callable[[], dict[str, float]], refresh_seconds: float,
                 clock: Callable[[], float] = time.monotonic):
        self.load, self.refresh_seconds, self.clock = load, refresh_seconds, clock
        self.moments: dict[str, float] = {}
        self.loaded_at: float | None = None
        self.lock = threading.Lock()

    def revoked(self, account_id: str, issued_at: float) -> bool:
        self.refresh()
        moment = self.moments.get(account_id)
        return moment is not None and issued_at < moment

    def refresh(self) -> None:
        now = self.clock()
        if self.loaded_at is not None and now - self.loaded_at < self.refresh_seconds:
            return
        if not self.lock.acquire(blocking=self.loaded_at is None):
            return  # another request reloads it: this one uses the copy as it is
        try:
            age = None if self.loaded_at is None else self.clock() - self.loaded_at
            if age is None or age >= self.refresh_seconds:
                self.moments = self.load()
                self.loaded_at = self.clock()
        finally:
            self.lock.release()


class SlowDown(Exception):
    """Too many failed logins for this account from this address: wait
    ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def login(session: Session, email: str, password: str, client: str,
          now: datetime) -> Principal | None:
    """The principal, or None for a wrong password (recorded: commit the session).

    Failures in a row lock the e-mail for longer and longer (SlowDown), for the
    address they came from only: whoever guesses from one place does not lock the
    owner out of the account from another."""
    email = email.lower()
    client = client[:64]
    record = session.get(LoginFailures, (email, client), with_for_update=True)
    if record is not None and record.locked_until and record.locked_until > now:
        raise SlowDown(max(1, int((record.locked_until - now).total_seconds()) + 1))
    account = session.scalars(select(Account).where(
        Account.email == email, Account.removed_at.is_(None))).first()
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


def change_password(session: Session, account_id: str, new_password: str,
                    now: datetime) -> None:
    """A new password; every token and web session of the account made before
    ``now`` ends (the caller signs the person in again, with a new one)."""
    account = session.get(Account, account_id, with_for_update=True)
    if account is None:
        raise Unauthenticated("no such account")
    account.password_hash = hash_password(new_password)
    revoke_account(session, account_id, now)


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
