"""Partners' webhook endpoints: registered, listed, deleted, re-enabled by their owner.

Every function that takes a ``partner_id`` answers only about that partner's own
endpoints: another partner's is ``NotFound``, like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.ids import new_id

from ..models import Partner, Webhook
from . import destinations
from .errors import Invalid, NotFound
from .scope import matches
from .signing import new_secret, rotate_secret


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


def register_webhook(session: Session, partner_id: str, url: str,
                     event_types: list[str], known_types: set[str], now: datetime,
                     allowed: tuple[destinations.Network, ...] = ()) -> Webhook:
    """``create_webhook`` for the partner an API key authenticated."""
    partner = session.get(Partner, partner_id)
    return create_webhook(session, partner, url, event_types, known_types, now, allowed)


def own_webhook(session: Session, partner_id: str, webhook_id: str) -> Webhook:
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or webhook.partner_id != partner_id:
        raise NotFound("no such webhook")
    return webhook


def list_webhooks(session: Session, partner_id: str) -> list[Webhook]:
    """A partner's endpoints, oldest first."""
    return list(session.scalars(select(Webhook).where(Webhook.partner_id == partner_id)
                                .order_by(Webhook.created_at)).all())


def delete_webhook(session: Session, partner_id: str, webhook_id: str,
                   now: datetime) -> Webhook:
    webhook = own_webhook(session, partner_id, webhook_id)
    webhook.status, webhook.disabled_at = "deleted", now
    return webhook


def rotate_webhook_secret(session: Session, partner_id: str, webhook_id: str,
                          now: datetime) -> Webhook:
    """A new secret; the previous one also signs for ``signing.ROTATION_GRACE``."""
    return rotate_secret(own_webhook(session, partner_id, webhook_id), now)


def enable(webhook: Webhook) -> Webhook:
    webhook.status, webhook.failing_since, webhook.disabled_at = "active", None, None
    return webhook


def enable_webhook(session: Session, partner_id: str, webhook_id: str) -> Webhook:
    """Re-enable an endpoint disabled after failing for a day; a deleted one stays
    deleted."""
    webhook = own_webhook(session, partner_id, webhook_id)
    if webhook.status == "deleted":
        raise NotFound("no such webhook")
    return enable(webhook)
