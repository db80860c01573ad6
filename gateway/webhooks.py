"""Partners, API keys and webhooks (Standard Webhooks), as plain code over a Session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.bulk import insert_ignore
from services.common.ids import new_id

from . import destinations
from .models import Delivery, EventLog, Partner, Webhook

KEY_PREFIX = "ck_"
SECRET_PREFIX = "whsec_"
RETRY_FOR = timedelta(hours=24)
ROTATION_GRACE = timedelta(hours=24)
DEFAULT_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000)  # seconds before each retry
KEEP_EVENTS = timedelta(days=30)


class WebhookError(Exception):
    """A request about partners or webhooks that cannot be honoured."""


class Invalid(WebhookError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class NotFound(WebhookError):
    pass


@dataclass(frozen=True)
class PartnerKey:
    partner: Partner
    api_key: str  # shown once


# -- keys and signatures ---------------------------------------------------------------
def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_api_key() -> tuple[str, str]:
    prefix = secrets.token_hex(6)
    return prefix, f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256>`` of ``{id}.{timestamp}.{body}`` (Standard Webhooks)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signature_header(webhook: Webhook, message_id: str, timestamp: int, body: bytes,
                     now: datetime) -> str:
    """Signed with the current secret, and the previous one during a rotation."""
    signatures = [sign(webhook.secret, message_id, timestamp, body)]
    if webhook.previous_secret and webhook.previous_secret_until and \
            webhook.previous_secret_until > now:
        signatures.append(sign(webhook.previous_secret, message_id, timestamp, body))
    return " ".join(signatures)


def matches(patterns: list[str], event_type: str) -> bool:
    """AMQP topic patterns: ``*`` one word, ``#`` any number of words."""
    for pattern in patterns:
        regex = "^" + re.escape(pattern).replace(r"\#", ".*").replace(r"\*", "[^.]+") + "$"
        if re.match(regex, event_type):
            return True
    return False


# -- partners --------------------------------------------------------------------------
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


def authenticate(session: Session, api_key: str) -> Partner | None:
    match = re.fullmatch(rf"{KEY_PREFIX}([0-9a-f]{{12}})_[A-Za-z0-9_-]+", api_key or "")
    if not match:
        return None
    partner = session.scalars(select(Partner).where(Partner.key_prefix == match.group(1))).first()
    if partner is None or partner.revoked_at is not None:
        return None
    if not hmac.compare_digest(partner.key_hash, hash_key(api_key)):
        return None
    return partner


def revoke_partner(session: Session, partner_id: str, now: datetime) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound("no such partner")
    partner.revoked_at = partner.revoked_at or now
    session.execute(update(Webhook).where(Webhook.partner_id == partner_id)
                    .values(status="disabled", disabled_at=now))
    return partner


# -- webhooks --------------------------------------------------------------------------
def check_url(url: str, allowed: tuple[destinations.Network, ...] = (),
              resolver: destinations.Resolver = destinations.resolve) -> None:
    """Only public addresses (destinations.py). A name that does not resolve yet is
    accepted: every delivery checks it again, and refuses it then if it must."""
    try:
        destinations.check(url, allowed, resolver)
    except destinations.Refused as exc:
        raise Invalid({"url": [str(exc)]}) from None
    except destinations.Unresolved:
        pass


def create_webhook(session: Session, partner: Partner, url: str, event_types: list[str],
                   known_types: set[str], now: datetime,
                   allowed: tuple[destinations.Network, ...] = (),
                   resolver: destinations.Resolver = destinations.resolve) -> Webhook:
    check_url(url, allowed, resolver)
    unknown = [t for t in event_types if not any(matches([t], k) for k in known_types)]
    if unknown:
        raise Invalid({"event_types": [f"no event matches {t!r}" for t in unknown]})
    outside = [t for t in event_types
               if not all(matches(partner.event_types, k)
                          for k in known_types if matches([t], k))]
    if outside:
        raise Invalid({"event_types": [f"{t!r} is outside your key's scope"
                                       for t in outside]})
    webhook = Webhook(id=new_id(), partner_id=partner.id, url=url,
                      event_types=event_types, secret=new_secret(), status="active",
                      created_at=now)
    session.add(webhook)
    return webhook


def own_webhook(session: Session, partner_id: str, webhook_id: str) -> Webhook:
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or webhook.partner_id != partner_id:
        raise NotFound("no such webhook")
    return webhook


def rotate_secret(webhook: Webhook, now: datetime) -> Webhook:
    webhook.previous_secret = webhook.secret
    webhook.previous_secret_until = now + ROTATION_GRACE
    webhook.secret = new_secret()
    return webhook


def enable(webhook: Webhook) -> Webhook:
    webhook.status, webhook.failing_since, webhook.disabled_at = "active", None, None
    return webhook


# -- fan-out and delivery --------------------------------------------------------------
def receives(webhook: Webhook, partner: Partner, event_type: str,
             institution_id: str | None) -> bool:
    """Whether an endpoint gets an event: the one rule for live fan-out and replays.

    A partner scoped to institutions sees their events and the public catalogue
    (``course.*`` events of no institution), nothing else: not another institution's,
    nor those of no institution yet (an application received).
    """
    if not (matches(webhook.event_types, event_type)
            and matches(partner.event_types, event_type)):
        return False
    if partner.institution_ids is None:
        return True
    if institution_id is None:
        return event_type.startswith("course.")
    return institution_id in partner.institution_ids


def subscribers(session: Session, event_type: str, institution_id: str | None):
    rows = session.execute(
        select(Webhook, Partner).join(Partner, Partner.id == Webhook.partner_id)
        .where(Webhook.status == "active", Partner.revoked_at.is_(None))
    ).all()
    return [webhook for webhook, partner in rows
            if receives(webhook, partner, event_type, institution_id)]


def record_event(session: Session, envelope: dict, now: datetime) -> int:
    """Keep the event for replays and queue one delivery per subscribed endpoint."""
    data = envelope.get("data") or {}
    institution_id = data.get("institution_id") if isinstance(data, dict) else None
    insert_ignore(session, EventLog.__table__, [{
        "event_id": envelope["event_id"], "event_type": envelope["event_type"],
        "institution_id": institution_id,
        "occurred_at": datetime.fromisoformat(envelope["occurred_at"]),
        "body": envelope,
    }])
    rows = [{"id": new_id(), "webhook_id": w.id, "event_id": envelope["event_id"],
             "event_type": envelope["event_type"], "replay": 0, "status": "pending",
             "attempts": 0, "created_at": now, "next_attempt_at": now}
            for w in subscribers(session, envelope["event_type"], institution_id)]
    return insert_ignore(session, Delivery.__table__, rows) if rows else 0


@dataclass(frozen=True)
class Outgoing:
    delivery_id: str
    url: str
    body: bytes
    headers: dict


def claim_due(session: Session, now: datetime, limit: int = 50) -> list[Outgoing]:
    """Deliveries due now, leased for a minute so copies of the gateway share them."""
    import json

    rows = session.execute(
        select(Delivery, Webhook, EventLog)
        .join(Webhook, Webhook.id == Delivery.webhook_id)
        .join(EventLog, EventLog.event_id == Delivery.event_id)
        .where(Delivery.status == "pending", Delivery.next_attempt_at <= now,
               Webhook.status == "active")
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
        .with_for_update(of=Delivery, skip_locked=True)
    ).all()
    outgoing = []
    for delivery, webhook, logged in rows:
        delivery.next_attempt_at = now + timedelta(minutes=1)  # the lease
        envelope = logged.body
        body = json.dumps({"type": envelope["event_type"],
                           "timestamp": envelope["occurred_at"], **envelope},
                          ensure_ascii=False).encode()
        timestamp = int(now.timestamp())
        outgoing.append(Outgoing(delivery.id, webhook.url, body, {
            "content-type": "application/json",
            "webhook-id": delivery.id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header(webhook, delivery.id, timestamp, body, now),
            "user-agent": "Continuity-Webhooks/1",
        }))
    return outgoing


def record_attempt(session: Session, delivery_id: str, status_code: int | None,
                   error: str | None, now: datetime,
                   schedule: tuple[float, ...] = DEFAULT_SCHEDULE,
                   final: bool = False) -> Webhook | None:
    """Log one attempt; returns the webhook if this failure just disabled it.

    A ``final`` failure (a refused destination) is not retried: trying again would
    only be refused again, or reach what was refused.
    """
    delivery = session.get(Delivery, delivery_id, with_for_update=True)
    webhook = session.get(Webhook, delivery.webhook_id, with_for_update=True)
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = status_code, (error or "")[:500] or None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
        webhook.failing_since = None
        return None
    webhook.failing_since = webhook.failing_since or now
    deadline = delivery.created_at + RETRY_FOR  # retries span 24 hours, the last at 24 h
    wait = timedelta(seconds=schedule[min(delivery.attempts - 1, len(schedule) - 1)])
    if now < deadline and not final:
        delivery.next_attempt_at = min(now + wait, deadline)
    else:
        delivery.status, delivery.next_attempt_at = "failed", None
    if webhook.status == "active" and now - webhook.failing_since >= RETRY_FOR:
        webhook.status, webhook.disabled_at = "disabled", now
        return webhook
    return None


def replay(session: Session, webhook: Webhook, since: datetime, now: datetime) -> int:
    """Deliver again every kept event of the endpoint's types since ``since``."""
    partner = session.get(Partner, webhook.partner_id)
    events = session.scalars(
        select(EventLog).where(EventLog.occurred_at >= since).order_by(EventLog.occurred_at)
    ).all()
    rows = []
    for logged in events:
        if not receives(webhook, partner, logged.event_type, logged.institution_id):
            continue
        previous = session.scalar(
            select(Delivery.replay).where(Delivery.webhook_id == webhook.id,
                                          Delivery.event_id == logged.event_id)
            .order_by(Delivery.replay.desc()).limit(1))
        rows.append({"id": new_id(), "webhook_id": webhook.id,
                     "event_id": logged.event_id, "event_type": logged.event_type,
                     "replay": (previous if previous is not None else -1) + 1,
                     "status": "pending", "attempts": 0, "created_at": now,
                     "next_attempt_at": now})
    return insert_ignore(session, Delivery.__table__, rows) if rows else 0


def list_deliveries(session: Session, webhook_id: str, limit: int,
                    before: str | None) -> list[Delivery]:
    query = select(Delivery).where(Delivery.webhook_id == webhook_id)
    if before:
        anchor = session.get(Delivery, before)
        if anchor is not None:
            query = query.where((Delivery.created_at < anchor.created_at) | (
                (Delivery.created_at == anchor.created_at) & (Delivery.id < anchor.id)))
    return list(session.scalars(
        query.order_by(Delivery.created_at.desc(), Delivery.id.desc()).limit(limit)))


def purge_events(session: Session, now: datetime) -> None:
    from sqlalchemy import delete

    session.execute(delete(EventLog).where(EventLog.occurred_at < now - KEEP_EVENTS))
