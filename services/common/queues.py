"""Declaring exchanges and queues, and moving a queue declared otherwise before.

RabbitMQ refuses to redeclare a queue with other arguments (PRECONDITION_FAILED, and
the channel closes): a classic queue left by a previous release cannot become a
quorum queue in place, nor can a quorum queue gain a delivery limit. Deleting it
would lose the events waiting in it. So :func:`declare` moves them:

1. a holding queue ``<name>.moving`` (classic, durable) is bound as the old queue
   is, then the old one is unbound: what is published meanwhile waits there;
2. every message of the old queue is copied into the holding queue (publisher
   confirms) and only then acked; the old queue is deleted once empty and without
   consumers (a consumer of the previous release may hold unacked messages: a
   process of this release waits MOVE_WAIT for them to stop, then fails to start);
3. the queue is declared anew, and the holding queue drained into it the same way,
   unbound and deleted.

Each step can be cut (a process killed, the broker gone): a message is acked only
once its copy is confirmed, so it is at worst in two queues for a moment, and the
consumers' ``first_delivery`` makes a second copy change nothing. The next declare
finishes the move (a holding queue left over is drained into its queue). Two
processes starting together take turns: the move holds an exclusive queue of the
broker's, ``continuity.moving-lock.<name>``, which goes away with its connection.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

import amqp
from amqp.exceptions import NotFound, PreconditionFailed, ResourceLocked
from kombu import Connection, Exchange, Queue

log = logging.getLogger(__name__)

LOCK_WAIT = 30.0  # seconds a start waits for another process's move of the same queue
MOVE_WAIT = 60.0  # seconds a move waits for the previous release's consumers to go


def declare(connection: Connection, entities: Iterable[Exchange | Queue]) -> None:
    """Declare each exchange and queue (and its binding); a queue that exists with
    other arguments is moved to the new ones without losing a message."""
    for entity in entities:
        if isinstance(entity, Queue):
            ensure_queue(connection, entity)
        else:
            with _channel(connection) as channel:
                entity(channel).declare()


def ensure_queue(connection: Connection, queue: Queue) -> None:
    try:
        with _channel(connection) as channel:
            queue(channel).declare()
    except PreconditionFailed as exc:
        log.warning("queue %s exists with other arguments (%s): moving its messages",
                    queue.name, exc.reply_text)
        with _lock(connection, queue.name):
            _move_queue(connection, queue)
        return
    if _exists(connection, holding_name(queue.name)):  # a move cut short
        with _lock(connection, queue.name):
            _finish(connection, queue)


def holding_name(name: str) -> str:
    return f"{name}.moving"


def _move_queue(connection: Connection, queue: Queue) -> None:
    try:  # another process may have moved it while this one waited for the lock
        with _channel(connection) as channel:
            queue(channel).declare()
        _finish(connection, queue)
        return
    except PreconditionFailed:
        pass
    holding = _holding(queue)
    with _channel(connection) as channel:
        holding(channel).declare()
        if queue.exchange and queue.exchange.name:
            channel.queue_unbind(queue.name, queue.exchange.name, queue.routing_key)
    moved = _drain(connection, queue.name, holding.name)
    deadline = time.monotonic() + MOVE_WAIT
    while True:  # a consumer of the previous release may still hold some unacked
        with _channel(connection) as channel:
            _, ready, consumers = channel.queue_declare(queue.name, passive=True)
        if not ready and not consumers:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"queue {queue.name} still has {consumers} consumers of the previous "
                "release after its messages were moved: stop them, then start again")
        moved += _drain(connection, queue.name, holding.name)
        time.sleep(0.5)
    with _channel(connection) as channel:  # quorum queues know no if_empty
        channel.queue_delete(queue.name)
    log.warning("queue %s: %d messages set aside in %s", queue.name, moved,
                holding.name)
    with _channel(connection) as channel:
        queue(channel).declare()
    _finish(connection, queue)


def _finish(connection: Connection, queue: Queue) -> None:
    """Drain a holding queue into its (newly declared) queue, then remove it."""
    name = holding_name(queue.name)
    while _exists(connection, name):
        moved = _drain(connection, name, queue.name)
        with _channel(connection) as channel:
            if queue.exchange and queue.exchange.name:
                channel.queue_unbind(name, queue.exchange.name, queue.routing_key)
        moved += _drain(connection, name, queue.name)
        try:
            with _channel(connection) as channel:
                channel.queue_delete(name, if_empty=True)
        except PreconditionFailed:
            continue
        log.warning("queue %s: %d messages moved back from %s; the move is done",
                    queue.name, moved, name)


def _holding(queue: Queue) -> Queue:
    # classic, said so (a vhost may default to quorum): it is deleted if_empty
    return Queue(holding_name(queue.name), exchange=queue.exchange,
                 routing_key=queue.routing_key, durable=True, auto_delete=False,
                 queue_arguments={"x-queue-type": "classic"})


def _drain(connection: Connection, source: str, target: str) -> int:
    """Copy every message of ``source`` to ``target`` (confirmed), acking each once
    its copy is confirmed."""
    moved = 0
    with _channel(connection) as channel:
        channel.confirm_select()
        while (message := channel.basic_get(source, no_ack=False)) is not None:
            properties = dict(message.properties)
            headers = dict(properties.pop("application_headers", None) or {})
            headers.pop("x-delivery-count", None)  # the new queue counts afresh
            copy = amqp.Message(message.body, application_headers=headers,
                                **properties)
            channel.basic_publish_confirm(copy, exchange="", routing_key=target)
            channel.basic_ack(message.delivery_tag)
            moved += 1
    return moved


def _exists(connection: Connection, name: str) -> bool:
    try:
        with _channel(connection) as channel:
            channel.queue_declare(name, passive=True)
    except NotFound:
        return False
    return True


class _lock:  # noqa: N801 - used as a context manager, reads as one
    """An exclusive queue of the broker's: one move of a queue at a time."""

    def __init__(self, connection: Connection, name: str):
        self.connection, self.name = connection, f"continuity.moving-lock.{name}"

    def __enter__(self):
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            self.channel = self.connection.channel()
            try:
                self.channel.queue_declare(self.name, exclusive=True, auto_delete=True,
                                           arguments={"x-queue-type": "classic"})
                return self
            except ResourceLocked:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def __exit__(self, *exc_info):
        try:
            self.channel.queue_delete(self.name)
            self.channel.close()
        except Exception:  # noqa: BLE001 - the broker drops it with the connection
            pass


class _channel:  # noqa: N801
    """A channel of its own for each step: a refused declare closes its channel."""

    def __init__(self, connection: Connection):
        self.connection = connection

    def __enter__(self):
        self.channel = self.connection.channel()
        return self.channel

    def __exit__(self, *exc_info):
        try:
            self.channel.close()
        except Exception:  # noqa: BLE001 - already closed by the broker's refusal
            pass
