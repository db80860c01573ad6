"""Operator actions made safe to retry: the ``Idempotency-Key`` store.

A principal's key is claimed in a transaction of its own before the action runs, so
of two twins sent at once exactly one inserts the row; the other finds it and gets
the stored answer, or 409 while the first is still running. The answer is stored
once the action ends; an answer of 500 or more is not kept (the claim is dropped)
so the retry does the action. Keys are kept ``ttl`` long, then forgotten.

The database holds neither the raw key nor the answer in clear (decision 0066): a
row is found by ``sealing.key_digest`` of the principal and key, and the answer
(status, headers, body) is sealed with the raw key, which only the caller has. A
kept answer that fails its check (a row changed in the database) is not replayed:
the request is refused as a key used with another request, never done again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from .models import IdempotentRequest
from .sealing import Tampered, key_digest, seal, unseal

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
MAX_KEY = 200
# the headers of an answer a replay repeats; the others are the new request's own
KEPT_HEADERS = ("Location", "Content-Type")


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    headers: dict


class KeyReused(Exception):
    """The key came before with another request."""


class InProgress(Exception):
    """The key's first request has not ended yet."""


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def claim(sessions: sessionmaker, principal: str, key: str, print_: str,
          now: datetime, ttl: timedelta,
          abandoned_after: timedelta) -> Answer | None:
    """None: the caller does the action (then ``settle``). An Answer: the first
    answer, to give again. Raises KeyReused or InProgress.

    A claim still in progress after ``abandoned_after`` (longer than any request may
    run) was left by a process that died: the next request takes it over."""
    row_of = IdempotentRequest
    digest = key_digest(principal, key)
    owner = (row_of.principal == principal) & (row_of.key_digest == digest)
    with sessions.begin() as session:
        session.execute(delete(row_of).where(row_of.expires_at <= now))
        session.execute(delete(IdempotentRequest).where(
            owner, IdempotentRequest.status.is_(None),
            IdempotentRequest.created_at <= now - abandoned_after))
    try:
        with sessions.begin() as session:
            session.add(IdempotentRequest(
                principal=principal, key_digest=digest, fingerprint=print_,
                created_at=now, expires_at=now + ttl))
        return None
    except IntegrityError:
        pass
    with sessions.begin() as session:
        row = session.scalars(select(IdempotentRequest).where(owner)).first()
        if row is None:  # its first request failed meanwhile: this one is the first
            return claim(sessions, principal, key, print_, now, ttl, abandoned_after)
        if row.fingerprint != print_:
            raise KeyReused
        if row.status is None:
            raise InProgress
        try:
            return opened(key, principal, row.sealed_answer or "")
        except Tampered:
            log.warning("a kept answer of %s failed its check: not replayed", principal)
            raise KeyReused from None


def settle(sessions: sessionmaker, principal: str, key: str, answer: Answer) -> None:
    """Keep the action's answer for retries; forget the claim of one that failed."""
    with sessions.begin() as session:
        row = session.get(IdempotentRequest, (principal, key_digest(principal, key)))
        if row is None:
            return
        if answer.status >= 500:
            session.delete(row)
            return
        row.status, row.headers = answer.status, None
        row.sealed_answer = sealed(key, principal, answer)


def sealed(key: str, principal: str, answer: Answer) -> str:
    """The answer as the database keeps it: only the headers a replay repeats."""
    headers = {k: v for k, v in answer.headers.items() if k in KEPT_HEADERS}
    plain = json.dumps({"status": answer.status, "headers": headers,
                        "body": answer.body}, separators=(",", ":"))
    return seal(key, plain.encode(), principal)


def opened(key: str, principal: str, text: str) -> Answer:
    """The answer ``sealed`` kept; Tampered when it was changed."""
    kept = json.loads(unseal(key, text, principal))
    return Answer(kept["status"], kept["body"], kept["headers"])

