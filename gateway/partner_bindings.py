"""The partner-events queue is bound only to what some partner key may receive.

Bound to every event with ``#``, the webhooks worker received each progress record,
seat and enrolment only to drop it when no partner wanted it (0.8 ms of CPU per
progress record). Now its bindings are the partners' own topic patterns: with no
partner, no event reaches it at all.

- creating a partner binds its patterns before the partner is committed, so no event
  of its types is missed;
- revoking one unbinds the patterns no other active key still uses (a leftover
  binding only costs CPU: the worker still drops what no key wants);
- the webhooks worker, on start, binds every active key's patterns and removes the
  catch-all binding older versions made.
"""

from __future__ import annotations

from collections.abc import Iterable

from kombu import Connection, Exchange, Queue
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.contracts import all_event_types

from . import webhooks

PARTNER_EVENTS = Queue("gateway-partner-events", durable=True)
CATCH_ALL = "#"


def exchanges() -> list[Exchange]:
    """Every producer's exchange: the producers of the registered event types."""
    names = sorted({event_type.exchange for event_type in all_event_types().values()})
    return [Exchange(name, type="topic", durable=True) for name in names]


def active_patterns(session: Session) -> list[str]:
    """The topic patterns of every key not revoked."""
    return sorted({p for (types,) in session.execute(
        select(webhooks.Partner.event_types)
        .where(webhooks.Partner.revoked_at.is_(None))) for p in types})


def sync(amqp_uri: str, wanted: Iterable[str], unwanted: Iterable[str] = ()) -> None:
    """Bind the queue to ``wanted`` on every service's exchange; unbind ``unwanted``
    patterns that are not wanted. Both are idempotent on the broker."""
    wanted = set(wanted)
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        PARTNER_EVENTS(channel).declare()
        for exchange in exchanges():
            exchange(channel).declare()
            for pattern in sorted(wanted):
                channel.queue_bind(PARTNER_EVENTS.name, exchange.name, pattern)
            for pattern in sorted(set(unwanted) - wanted):
                channel.queue_unbind(PARTNER_EVENTS.name, exchange.name, pattern)
