"""Partners and their API keys: operators create and revoke them, requests present them.

The key ``ck_<12 hex>_<secret>`` is shown once and stored as a SHA-256 hash; its
prefix finds the row and a constant-time compare checks it (decision 0009).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.ids import new_id

from ..models import Partner, Webhook
from .errors import NotFound

KEY_PREFIX = "ck_"


@dataclass(frozen=True)
class PartnerKey:
    partner: Partner
    api_key: str  # shown once


@dataclass(frozen=True)
class Revoked:
    """A partner just revoked: the patterns its key had, and those others still use."""

    partner_id: str
    patterns: tuple[str, ...]
    still_wanted: tuple[str, ...]


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_api_key() -> tuple[str, str]:
    prefix = secrets.token_hex(6)
    return prefix, f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def create_partner(session: Session, *, name: str, contact_email: str,
                   event_types: list[str], institution_ids: list[str] | None,
                   now: datetime) -> PartnerKey:
    prefix, api_key = new_api_key()
    partner = Partner(
        id=new_id(), name=name, contact_email=contact_email.lower(),
        key_prefix=prefix, key_hash=hash_key(api_key), event_types=event_types,
        institution_ids=institution_ids, created_at=now,
    )
    session.add(partner)
    return PartnerKey(partner, api_key)


def list_partners(session: Session, limit: int = 200) -> list[Partner]:
    """Newest first (ids are time-ordered), revoked ones too."""
    return list(session.scalars(
        select(Partner).order_by(Partner.id.desc()).limit(limit)))


def authenticate(session: Session, api_key: str) -> Partner | None:
    match = re.fullmatch(rf"{KEY_PREFIX}([0-9a-f]{{12}})_[A-Za-z0-9_-]+", api_key or "")
    if not match:
        return None
    partner = session.scalars(
        select(Partner).where(Partner.key_prefix == match.group(1))).first()
    if partner is None or partner.revoked_at is not None:
        return None
    if not hmac.compare_digest(partner.key_hash, hash_key(api_key)):
        return None
    return partner


def partner_of(session: Session, partner_id: str) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound("no such partner")
    return partner


def revoke_partner(session: Session, partner_id: str, now: datetime) -> Partner:
    partner = partner_of(session, partner_id)
    partner.revoked_at = partner.revoked_at or now
    session.execute(update(Webhook).where(Webhook.partner_id == partner_id)
                    .values(status="disabled", disabled_at=now))
    return partner


def revoke(session: Session, partner_id: str, now: datetime) -> Revoked:
    """Revoke a partner (its key stops working, its webhooks are disabled), with its
    patterns and those the keys still active use, for the queue's bindings."""
    revoked = revoke_partner(session, partner_id, now)
    patterns = tuple(revoked.event_types)
    still_wanted = tuple(active_patterns(session))  # after the flush
    return Revoked(partner_id, patterns, still_wanted)


def active_patterns(session: Session) -> list[str]:
    """The topic patterns of every key not revoked."""
    return sorted({p for (types,) in session.execute(
        select(Partner.event_types)
        .where(Partner.revoked_at.is_(None))) for p in types})
