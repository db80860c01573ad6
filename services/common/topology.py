"""Where events go: every consumer's queue, declared by whichever process starts first.

RabbitMQ drops a message that no queue is bound to, and confirms it all the same. If
a consumer's queue existed only once that consumer had started, an event published
before (catalog's seed, on new databases) would be lost for it, whatever the start
order an orchestrator happens to follow.

So the queue of every durable event consumer in the platform has one definition
(:func:`event_queue`), used both by the consumer (``@consume``) and by the outbox
relay of each producer, which declares the queues of all its events' consumers
before it publishes. The consumers are read from the services' own handler
declarations: each process type registers its nameko class under the
``continuity.processes`` entry points (pyproject.toml), and the kit imports what is
registered, never a service by name.

Every such queue is a **quorum** queue (replicated on a majority of the broker's
nodes) with a delivery limit and a dead-letter exchange (decision 0049): a handler
that keeps failing does not hold its message for ever, nor does it lose it; the
message ends in the one dead-letter queue, where an operator sees why and replays it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import cache

from kombu import Exchange, Queue
from nameko.constants import PERSISTENT
from nameko.events import BROADCAST, SINGLETON, EventHandler
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from .registry import process_class, process_names

# How many times a handler is tried with one event before the event is set aside as
# a dead letter (the consumer does it, with the error: events.py). The broker's own
# limit is the same count: it acts only for a message whose handler never answered
# that many times (the process died with it), one delivery after the consumer would.
ATTEMPTS = 5
DEAD_LETTER_EXCHANGE = "continuity.dead-letters"
DEAD_LETTER_QUEUE = "continuity.dead-letters"


def quorum_arguments() -> dict:
    """The arguments of every durable event queue (and of the dead-letter queue's
    kind): RabbitMQ refuses to redeclare a queue with other ones (queues.py moves the
    messages of a queue declared otherwise before)."""
    return {"x-queue-type": "quorum", "x-delivery-limit": ATTEMPTS,
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE}


def dead_letter_exchange() -> Exchange:
    """Where a message that failed ATTEMPTS times goes, routed by its queue's name."""
    return Exchange(DEAD_LETTER_EXCHANGE, type="fanout", durable=True,
                    delivery_mode=PERSISTENT)


def dead_letter_queue() -> Queue:
    """The one queue of dead letters, a quorum queue without a dead-letter exchange
    of its own; the gateway records each (gateway/dead_letters.py)."""
    return Queue(DEAD_LETTER_QUEUE, exchange=dead_letter_exchange(), durable=True,
                 auto_delete=False, exclusive=False,
                 queue_arguments={"x-queue-type": "quorum"})


def dead_letter_routes() -> list[Exchange | Queue]:
    """Declared with any queue that names the exchange: a message dead-lettered into
    an exchange with no queue would be lost."""
    return [dead_letter_exchange(), dead_letter_queue()]


def event_exchange(producer: str) -> Exchange:
    """A producer's topic exchange, as nameko declares it (keep them equal: RabbitMQ
    refuses to redeclare an exchange with other arguments)."""
    return Exchange(f"{producer}.events", type="topic", durable=True,
                    delivery_mode=PERSISTENT)


def event_queue(producer: str, event_type: str, service: str, method: str,
                handler_type: str) -> Queue:
    """The durable queue a consumer reads ``event_type`` from, named as nameko names
    it. Whoever declares it first, consumer or producer, declares it with these same
    arguments (another set makes RabbitMQ answer PRECONDITION_FAILED)."""
    name = (f"evt-{producer}-{event_type}" if handler_type == SINGLETON
            else f"evt-{producer}-{event_type}--{service}.{method}")
    return Queue(name, exchange=event_exchange(producer), routing_key=event_type,
                 durable=True, auto_delete=False, exclusive=False,
                 queue_arguments=quorum_arguments())


@dataclass(frozen=True)
class Subscription:
    """One durable event handler: ``service.method`` hears ``producer``'s type."""

    service: str
    method: str
    producer: str
    event_type: str
    handler_type: str

    @property
    def queue(self) -> Queue:
        return event_queue(self.producer, self.event_type, self.service, self.method,
                           self.handler_type)


def subscriptions_of(service_cls: type) -> list[Subscription]:
    """The handlers of a nameko class whose events wait for them in a queue.

    A broadcast handler, or one without reliable delivery, has a queue of its own
    process that goes with it: nothing is kept for it while it is away.
    """
    found = []
    for method_name, method in inspect.getmembers(service_cls, inspect.isfunction):
        for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if (isinstance(entrypoint, EventHandler) and entrypoint.reliable_delivery
                    and entrypoint.handler_type != BROADCAST):
                found.append(Subscription(
                    service_cls.name, method_name, entrypoint.source_service,
                    entrypoint.event_type, entrypoint.handler_type))
    return found


@cache
def subscriptions() -> tuple[Subscription, ...]:
    """Every durable event handler of every registered process type."""
    classes = {process_class(name) for name in process_names()}
    return tuple(sorted(
        {s for cls in classes for s in subscriptions_of(cls)},
        key=lambda s: (s.producer, s.event_type, s.service, s.method)))


def consumer_queues(producer: str) -> list[Queue]:
    """The queues of every consumer of ``producer``'s events, one per queue name."""
    queues = {s.queue.name: s.queue for s in subscriptions() if s.producer == producer}
    return list(queues.values())


def routes(producer: str) -> list[Exchange | Queue]:
    """What a producer declares before it publishes: its exchange, the dead letters',
    and the queue of every consumer of its events, bound to it (a queue declares its
    binding).

    Idempotent on the broker, so declared on every new connection: what is published
    after it reaches each consumer, whether it has ever started or not.
    """
    return [event_exchange(producer), *dead_letter_routes(),
            *consumer_queues(producer)]
