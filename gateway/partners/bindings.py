"""The partner-events queue is bound only to what some partner key may receive.

Bound to every event with ``#``, the webhooks worker would receive each progress
record, seat and enrolment only to drop it when no partner wanted it. So its bindings
are the partners' own topic patterns: with no partner, no event reaches it at all
(decision 0012).

- creating a partner binds its patterns before the partner is committed, so no event
  of its types is missed;
- revoking one unbinds the patterns no other active key still uses (a leftover
  binding only costs CPU: the worker still drops what no key wants);
- the webhooks worker, on start, binds every active key's patterns and removes a
  catch-all binding, should the queue still have one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from kombu import Connection, Exchange, Queue

from services.common.contracts import all_event_types

from .keys import Revoked

log = logging.getLogger(__name__)

PARTNER_EVENTS = Queue("gateway-partner-events", durable=True)
CATCH_ALL = "#"


def exchanges() -> list[Exchange]:
    """Every producer's exchange: the producers of the registered event types."""
    names = sorted({event_type.exchange for event_type in all_event_types().values()})
    return [Exchange(name, type="topic", durable=True) for name in names]


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


def unbind_revoked(amqp_uri: str, revoked: Revoked) -> None:
    """After a revocation is committed: unbind what no active key still wants."""
    try:
        sync(amqp_uri, revoked.still_wanted, unwanted=revoked.patterns)
    except Exception:  # the key is revoked; a leftover binding only costs CPU
        log.warning("could not unbind the patterns of partner %s", revoked.partner_id,
                    exc_info=True)
