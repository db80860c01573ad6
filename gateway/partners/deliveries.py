"""Deliveries: claimed when due, signed, their outcomes logged, retried for a day.

Retries back off on ``WEBHOOK_RETRY_SECONDS`` and end with a last try when
``RETRY_FOR`` is up; an endpoint failing that long is disabled (decision 0009).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Delivery, EventLog, Partner, Webhook
from . import metrics
from .endpoints import own_webhook
from .signing import signature_header

RETRY_FOR = timedelta(hours=24)
DEFAULT_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000)  # seconds before each retry
BATCH = 50  # deliveries claimed at a time


@dataclass(frozen=True)
class Outgoing:
    delivery_id: str
    url: str
    body: bytes
    headers: dict


def claim_due(session: Session, now: datetime, limit: int = BATCH) -> list[Outgoing]:
    """Deliveries due now, leased for a minute so copies of the gateway share them."""
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
            "webhook-signature": signature_header(webhook, delivery.id, timestamp,
                                                  body, now),
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
    metrics.ATTEMPTS.inc()
    delivery.last_status_code = status_code
    delivery.last_error = (error or "")[:500] or None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at = "delivered", now
        delivery.next_attempt_at = None
        webhook.failing_since = None
        metrics.DELIVERIES.labels("delivered").inc()
        # a replay's lag is the partner's choice, not ours
        logged = None if delivery.replay else session.get(EventLog, delivery.event_id)
        if logged is not None:
            metrics.LAG.observe(max((now - logged.occurred_at).total_seconds(), 0))
        return None
    webhook.failing_since = webhook.failing_since or now
    deadline = delivery.created_at + RETRY_FOR  # the last try at RETRY_FOR
    wait = timedelta(seconds=schedule[min(delivery.attempts - 1, len(schedule) - 1)])
    if now < deadline and not final:
        delivery.next_attempt_at = min(now + wait, deadline)
        metrics.DELIVERIES.labels("retried").inc()
    else:
        delivery.status, delivery.next_attempt_at = "failed", None
        metrics.DELIVERIES.labels("refused" if final else "failed").inc()
    if webhook.status == "active" and now - webhook.failing_since >= RETRY_FOR:
        webhook.status, webhook.disabled_at = "disabled", now
        metrics.ENDPOINTS_DISABLED.inc()
        return webhook
    return None


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def count_due(session: Session, now: datetime) -> int:
    """Deliveries due now to an active endpoint and not leased: the backlog."""
    return session.scalar(
        select(func.count()).select_from(Delivery)
        .join(Webhook, Webhook.id == Delivery.webhook_id)
        .where(Delivery.status == "pending", Delivery.next_attempt_at <= now,
               Webhook.status == "active"))


def disabled_notice(session: Session, webhook: Webhook) -> Mail:
    """The mail to the owner of an endpoint ``record_attempt`` just disabled."""
    partner = session.get(Partner, webhook.partner_id)
    return Mail(
        partner.contact_email,
        "Continuity: your webhook endpoint was disabled",
        f"Deliveries to {webhook.url} have failed for 24 hours, so "
        f"the endpoint is disabled. Fix it, re-enable it (POST "
        f"/api/v1/webhooks/{webhook.id}/enable) and replay what you "
        f"missed (POST /api/v1/webhooks/{webhook.id}/replay).\n")


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


def own_deliveries(session: Session, partner_id: str, webhook_id: str, limit: int,
                   before: str | None) -> list[Delivery]:
    """``list_deliveries`` of one of the partner's own endpoints."""
    own_webhook(session, partner_id, webhook_id)
    return list_deliveries(session, webhook_id, limit, before)
