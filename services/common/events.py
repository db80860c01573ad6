"""Consuming events: nameko entrypoints, tolerant and idempotent.

The handler receives an :class:`~services.common.contracts.Event`; the event
types and the envelope are in :mod:`services.common.contracts`.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any

import eventlet
from kombu import Connection
from marshmallow import Schema, ValidationError
from nameko.events import BROADCAST, EventHandler
from nameko.exceptions import ContainerBeingKilled
from nameko.messaging import Consumer as NamekoConsumer

from .broker import SteadyQueueConsumer
from .contracts import Event, EventType, read_event
from .db import utcnow
from .outage import is_outage
from .queues import declare
from .topology import (
    ATTEMPTS,
    dead_letter_exchange,
    dead_letter_queue,
    dead_letter_routes,
    event_exchange,
    event_queue,
)

log = logging.getLogger(__name__)


class EventConsumer(EventHandler):
    """``@consume(LICENCE_ISSUED_V1)``: the handler receives an :class:`Event`.

    Queues are shared by every copy of the consuming service (competing consumers).
    A handler that raises puts the message back for another try, after a wait that
    doubles with each attempt (the worker is free meanwhile); the ATTEMPTS-th failure
    sets the event aside in the dead-letter queue, with its error, where an operator
    replays it (decision 0049). A failure because the database or the broker is away
    is no attempt: the event is held and tried again until the outage passes. A message that is not a valid envelope is logged and
    dropped, since no retry can fix it.
    """

    queue_consumer = SteadyQueueConsumer()  # rides out a broker restart (broker.py)

    def __init__(self, event_type: EventType, reader: type[Schema] | None = None,
                 **kwargs):
        self.event_type_def = event_type
        self.reader = reader  # see read_event
        kwargs.setdefault("requeue_on_error", True)
        super().__init__(event_type.producer, event_type.name, **kwargs)

    def setup(self) -> None:
        super().setup()
        self._outage_tries: dict[int, int] = {}  # id(message) → tries held here
        if self.reliable_delivery and self.handler_type != BROADCAST:
            # the one definition of the queue: producers declare it too (topology)
            self.queue = event_queue(self.source_service, self.event_type,
                                     self.container.service_name, self.method_name,
                                     self.handler_type)
            # declared now, before nameko's consumer declares it again: a queue of a
            # previous release's kind has its messages moved first (queues.py)
            with Connection(self.container.config["AMQP_URI"]) as connection:
                declare(connection, [event_exchange(self.source_service),
                                     *dead_letter_routes(), self.queue])

    def read(self, body, message) -> tuple[Event, dict] | None:
        """The event and its worker's context; None for a malformed one (dropped)."""
        consumer = f"{self.container.service_name}.{self.method_name}"
        try:
            event = read_event(self.event_type_def, body, consumer, self.reader)
        except ValidationError as exc:
            log.error(
                "dropping malformed %s: %s", self.event_type, exc.messages,
                extra={"event_type": self.event_type},
            )
            self.queue_consumer.ack_message(message)
            return None
        context_data = self.unpack_message_headers(message)
        if event.correlation_id and not context_data.get("correlation_id"):
            context_data["correlation_id"] = event.correlation_id
        return event, context_data

    def handle_message(self, body, message):
        read = self.read(body, message)
        if read is None:
            return
        event, context_data = read
        try:
            self.container.spawn_worker(
                self,
                (event,),
                {},
                context_data=context_data,
                handle_result=partial(self.handle_result, message),
            )
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_result(self, message, worker_ctx, result=None, exc_info=None):
        held = self._outage_tries.pop(id(message), 0)
        if exc_info is None or not self.requeue_on_error or not self.reliable_delivery:
            return super().handle_result(message, worker_ctx, result, exc_info)
        if is_outage(exc_info[1]):
            # the database or the broker is away: not the event's fault. It is held
            # here and tried again until the outage passes, never returned to the
            # queue, so no attempt is counted and it is never set aside for it
            self._outage_tries[id(message)] = held + 1
            wait = retry_wait(held + 1)
            log.warning("%s: a broker or database is away, the event is tried again "
                        "in %.1f s: %r", self.method_name, wait, exc_info[1],
                        extra={"event_type": self.event_type})
            self.container.spawn_managed_thread(
                partial(self._retry_held, message, worker_ctx, wait))
            return result, exc_info
        attempt = attempt_of(message)
        if attempt >= ATTEMPTS and self.dead_letter(message, attempt, exc_info[1]):
            self.queue_consumer.ack_message(message)
            return result, exc_info
        wait = retry_wait(attempt)
        log.warning("%s failed (attempt %d of %d), the event goes back to the queue "
                    "in %.1f s: %r", self.method_name, attempt, ATTEMPTS, wait,
                    exc_info[1], extra={"event_type": self.event_type})
        # the worker is freed now: other events of the queue flow meanwhile
        self.container.spawn_managed_thread(
            partial(self._requeue_after, message, wait))
        return result, exc_info

    def _retry_held(self, message, worker_ctx, wait: float) -> None:
        eventlet.sleep(wait)
        try:
            self.container.spawn_worker(
                self, worker_ctx.args, worker_ctx.kwargs,
                context_data=worker_ctx.data,
                handle_result=partial(self.handle_result, message))
        except ContainerBeingKilled:  # stopping: the next process takes it
            self._outage_tries.pop(id(message), None)
            self.queue_consumer.requeue_message(message)

    def _requeue_after(self, message, wait: float) -> None:
        eventlet.sleep(wait)
        self.queue_consumer.requeue_message(message)

    def dead_letter(self, message, attempt: int, error: BaseException) -> bool:
        """Publish the event, with why it failed, to the dead-letter exchange
        (confirmed); False when the broker is away (the event goes back instead)."""
        headers = {key: value for key, value in (message.headers or {}).items()
                   if not key.startswith("x-")}
        headers.update({
            DEAD_LETTER_ID: uuid.uuid4().hex,
            DEAD_QUEUE: self.queue.name,
            DEAD_ERROR: f"{error.__class__.__name__}: {error}"[:2000],
            DEAD_AT: utcnow().isoformat(),
            DEAD_ATTEMPTS: attempt,
        })
        try:
            with Connection(self.container.config["AMQP_URI"],
                            transport_options={"confirm_publish": True}) as conn:
                conn.Producer().publish(
                    message.body, exchange=dead_letter_exchange(),
                    routing_key=self.queue.name, headers=headers,
                    content_type=message.content_type,
                    content_encoding=message.content_encoding,
                    delivery_mode=2, declare=dead_letter_routes())
        except Exception as exc:
            if not is_outage(exc):
                raise
            log.warning("%s: the dead-letter queue is out of reach, the event goes "
                        "back to the queue: %r", self.method_name, exc)
            return False
        log.error("%s failed %d times: the event is set aside as a dead letter: %r",
                  self.method_name, attempt, error,
                  extra={"event_type": self.event_type})
        return True


consume = EventConsumer.decorator

# what a dead letter carries besides the event (gateway/dead_letters.py reads them)
DEAD_LETTER_ID = "continuity-dead-letter-id"
DEAD_QUEUE = "continuity-dead-queue"
DEAD_ERROR = "continuity-dead-error"
DEAD_AT = "continuity-dead-at"
DEAD_ATTEMPTS = "continuity-dead-attempts"

RETRY_FIRST = 0.25  # seconds before the second attempt; doubles each time
RETRY_MAX = 8.0


@dataclass(frozen=True)
class Letter:
    """A message of the dead-letter queue, as the broker gave it."""

    body: bytes
    headers: dict
    content_type: str | None
    content_encoding: str | None


class DeadLetterConsumer(NamekoConsumer):
    """``@consume_dead_letters``: the handler receives each :class:`Letter` of the
    dead-letter queue; one that raises is given again (after a pause)."""

    queue_consumer = SteadyQueueConsumer()

    def __init__(self, **kwargs):
        super().__init__(dead_letter_queue(), requeue_on_error=True, **kwargs)

    def handle_message(self, body, message):
        raw = message.body
        letter = Letter(raw.encode() if isinstance(raw, str) else raw,
                        dict(message.headers or {}),
                        message.content_type, message.content_encoding)
        try:
            self.container.spawn_worker(
                self, (letter,), {}, context_data=self.unpack_message_headers(message),
                handle_result=partial(self.handle_result, message))
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_result(self, message, worker_ctx, result=None, exc_info=None):
        if exc_info is not None:
            log.warning("a dead letter could not be recorded, it goes back: %r",
                        exc_info[1])
            eventlet.sleep(0.5)  # a database away is not hammered
        return super().handle_result(message, worker_ctx, result, exc_info)


consume_dead_letters = DeadLetterConsumer.decorator


def attempt_of(message) -> int:
    """Which attempt this delivery is: a quorum queue counts the earlier ones."""
    return int((message.headers or {}).get("x-delivery-count") or 0) + 1


def retry_wait(attempt: int) -> float:
    """0.25 s after the first failure, then 0.5, 1, 2 … up to RETRY_MAX."""
    return min(RETRY_FIRST * 2 ** (attempt - 1), RETRY_MAX)

BATCH_EVENTS = 50  # events handed to one worker at most


class BatchEventConsumer(EventConsumer):
    """``@consume_batch(LEARNERS_ENROLLED_V1)``: the handler receives a list of
    :class:`Event` — those that reached this process while its previous batch was
    being handled (one, when the queue is quiet).

    In a surge a consumer's fixed cost per event (a transaction and its commit, the
    dedupe insert, the outbox insert, the worker, the ack) is paid once per batch;
    batches grow only when events arrive faster than they are handled, so a quiet
    queue adds no wait. One batch is in flight per process and entrypoint; the
    queue's prefetch (the process's ``max_workers``) bounds what waits in memory.

    A batch whose handler raises is handled again one event at a time, each in a
    worker of its own: one event that cannot be applied yet (it goes back to the
    queue, as with ``@consume``) never holds back the others.
    """

    def __init__(self, event_type: EventType, max_batch: int = BATCH_EVENTS, **kwargs):
        self.max_batch = max_batch
        super().__init__(event_type, **kwargs)

    def setup(self) -> None:
        super().setup()
        self._waiting: list[tuple[Event, Any, dict]] = []  # (event, message, context)
        self._in_flight = False

    def handle_message(self, body, message):
        read = self.read(body, message)
        if read is None:
            return
        event, context_data = read
        self._waiting.append((event, message, context_data))
        if not self._in_flight:
            self._next_batch()

    def _next_batch(self) -> None:
        batch = self._waiting[:self.max_batch]
        del self._waiting[:self.max_batch]
        if not batch:
            self._in_flight = False
            return
        self._in_flight = True
        self._spawn(batch, partial(self._batch_done, batch))

    def _spawn(self, batch: list, handle_result) -> None:
        try:
            self.container.spawn_worker(
                self, ([event for event, _, _ in batch],), {},
                context_data=batch[0][2], handle_result=handle_result,
            )
        except ContainerBeingKilled:
            for _, message, _ in batch:
                self.queue_consumer.requeue_message(message)

    def _batch_done(self, batch, worker_ctx, result=None, exc_info=None):
        if exc_info is not None and len(batch) > 1:
            log.warning("%s failed on a batch of %d events, each goes alone: %r",
                        self.method_name, len(batch), exc_info[1])
            alone = [([one], partial(self.handle_result, one[1])) for one in batch]
        else:
            alone = []
            for _, message, _ in batch:
                self.handle_result(message, worker_ctx, None, exc_info)
        # from a thread of its own: this worker's place in the pool is still taken
        self.container.spawn_managed_thread(partial(self._after_batch, alone))
        return result, exc_info

    def _after_batch(self, alone: list) -> None:
        for batch, handle_result in alone:
            self._spawn(batch, handle_result)
        self._next_batch()


consume_batch = BatchEventConsumer.decorator
