"""Consuming events: nameko entrypoints, tolerant and idempotent.

The handler receives an :class:`~services.common.contracts.Event`; the event
types and the envelope are in :mod:`services.common.contracts`.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

import eventlet
from marshmallow import Schema, ValidationError
from nameko.events import BROADCAST, EventHandler
from nameko.exceptions import ContainerBeingKilled

from .broker import SteadyQueueConsumer
from .contracts import Event, EventType, read_event
from .topology import event_queue

log = logging.getLogger(__name__)


class EventConsumer(EventHandler):
    """``@consume(LICENCE_ISSUED_V1)``: the handler receives an :class:`Event`.

    Queues are shared by every copy of the consuming service (competing consumers).
    A handler that raises puts the message back for another try; a message that is
    not a valid envelope is logged and dropped, since no retry can fix it.
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
        if self.reliable_delivery and self.handler_type != BROADCAST:
            # the one definition of the queue: producers declare it too (topology)
            self.queue = event_queue(self.source_service, self.event_type,
                                     self.container.service_name, self.method_name,
                                     self.handler_type)

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
        if exc_info is not None and self.requeue_on_error:
            log.warning(
                "%s failed, the event goes back to the queue: %r",
                self.method_name, exc_info[1],
            )
            eventlet.sleep(0.5)  # a failing dependency is not hammered
        return super().handle_result(message, worker_ctx, result, exc_info)


consume = EventConsumer.decorator

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
