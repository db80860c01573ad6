"""Who may use the xAPI LRS: operators' clients (HTTP Basic) and learners (the
platform's bearer tokens), each bound to one institution (decision 0052).

A client's key is its Basic user name (``lrs_<24 hex>``) and its secret the password:
the secret is shown once and stored as a SHA-256 hash (a random 256-bit secret needs
no slow hash), checked in constant time. Plain code on a Session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.ids import new_id

from .models import LrsClient

WRITE, READ_MINE, READ = "statements/write", "statements/read/mine", "statements/read"
SCOPES = (WRITE, READ_MINE, READ)
KEY_PREFIX = "lrs_"


@dataclass(frozen=True)
class Caller:
    """Who sends an xAPI request: its institution, scopes, the owner its statements
    are stored under, and the authority the LRS writes into them."""

    institution_id: str
    scopes: frozenset[str]
    owner: str
    authority: dict

    def may_read_all(self) -> bool:
        return READ in self.scopes


@dataclass(frozen=True)
class Issued:
    client: LrsClient
    secret: str  # shown once


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(session: Session, *, institution_id: str, name: str, scopes: list[str],
          now: datetime) -> Issued:
    secret = secrets.token_urlsafe(32)
    client = LrsClient(id=new_id(), institution_id=institution_id, name=name,
                       key=KEY_PREFIX + secrets.token_hex(12),
                       secret_hash=hash_secret(secret), scopes=sorted(set(scopes)),
                       created_at=now)
    session.add(client)
    session.flush()
    return Issued(client, secret)


def clients_of(session: Session, institution_id: str | None) -> list[LrsClient]:
    query = select(LrsClient).order_by(LrsClient.created_at, LrsClient.id)
    if institution_id is not None:
        query = query.where(LrsClient.institution_id == institution_id)
    return list(session.scalars(query))


def revoke(session: Session, client_id: str, now: datetime) -> LrsClient | None:
    """The client, revoked (its first revocation's time stays); None: no such one."""
    client = session.get(LrsClient, client_id)
    if client is not None and client.revoked_at is None:
        client.revoked_at = now
    return client


def authority_of(public_url: str, name: str, account: str) -> dict:
    return {"objectType": "Agent", "name": name,
            "account": {"homePage": public_url, "name": account}}


def client_caller(client: LrsClient, public_url: str) -> Caller:
    return Caller(client.institution_id, frozenset(client.scopes),
                  f"client:{client.id}",
                  authority_of(public_url, client.name, f"lrs-client:{client.id}"))


def learner_caller(learner_id: str, institution_id: str, public_url: str) -> Caller:
    """A learner writes statements and reads only their own."""
    return Caller(institution_id, frozenset({WRITE, READ_MINE}),
                  f"learner:{learner_id}",
                  authority_of(public_url, "Continuity", learner_id))


class Clients:
    """The clients' credentials, each read from the database at most every
    ``refresh`` seconds: a request does not pay a query, and a revocation takes
    effect within that time in every gateway process."""

    def __init__(self, sessions: Callable[[], Session], refresh: float = 5.0):
        self.sessions = sessions
        self.refresh = refresh
        self.known: dict[str, tuple[float, str | None, Caller | None]] = {}

    def authenticate(self, key: str, secret: str, public_url: str) -> Caller | None:
        now = time.monotonic()
        seen = self.known.get(key)
        if seen is None or now - seen[0] > self.refresh:
            seen = (now, *self._read(key, public_url))
            if len(self.known) > 10_000:  # unknown keys must not fill the memory
                self.known.clear()
            self.known[key] = seen
        _, secret_hash, caller = seen
        if secret_hash is None or not hmac.compare_digest(secret_hash,
                                                          hash_secret(secret)):
            return None
        return caller

    def _read(self, key: str, public_url: str) -> tuple[str | None, Caller | None]:
        if not key.startswith(KEY_PREFIX) or len(key) > 32:
            return None, None
        with self.sessions() as session:
            client = session.scalars(select(LrsClient).where(
                LrsClient.key == key)).first()
            if client is None or client.revoked_at is not None:
                return None, None
            return client.secret_hash, client_caller(client, public_url)
