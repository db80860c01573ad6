"""Consuming from RabbitMQ across a broker restart: the process lives on, reconnects.

nameko runs every consumer of a process (RPC requests, RPC replies, events, work
queues) on one shared ``QueueConsumer``: a kombu consumer loop that reconnects after
a lost connection. Around it, two things killed the whole process when the broker
went away: an ack (or requeue) written to a socket that had just died raised past
the worker into the container, and an RPC reply that could not be published did the
same (see rpc.py). Neither is worth a process: a message not acked is redelivered by
the broker, a reply not sent makes its caller time out (503).

Every consumer of ours uses :class:`SteadyQueueConsumer` (it must be the same class
everywhere: nameko shares one instance per class and process).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from nameko.messaging import Consumer as NamekoConsumer
from nameko.messaging import QueueConsumer, QueueConsumerStopped

from .outage import is_outage

log = logging.getLogger(__name__)

# a restarted broker is found again within RECONNECT_MAX seconds (kombu's default
# waits grow to 30 s between attempts)
RECONNECT_START = 0.5
RECONNECT_STEP = 1.0
RECONNECT_MAX = 3.0


class SteadyQueueConsumer(QueueConsumer):
    # False from a lost connection until consuming again (/ready says so)
    connected = True

    def on_connection_error(self, exc, interval) -> None:
        self.connected = False
        super().on_connection_error(exc, interval)

    def on_consume_ready(self, connection, channel, consumers, **kwargs) -> None:
        self.connected = True
        super().on_consume_ready(connection, channel, consumers, **kwargs)
    def ack_message(self, message) -> None:
        self._unless_connection_lost("ack", super().ack_message, message)

    def requeue_message(self, message) -> None:
        self._unless_connection_lost("requeue", super().requeue_message, message)

    def _unless_connection_lost(self, what: str, settle, message) -> None:
        try:
            settle(message)
        except Exception as exc:
            if not is_outage(exc):
                raise
            log.warning("%s lost with the broker connection; the broker redelivers "
                        "the message: %r", what, exc)

    @contextmanager
    def establish_connection(self):
        with self.create_connection() as conn:
            conn.ensure_connection(
                self.on_connection_error, self.connect_max_retries,
                interval_start=RECONNECT_START, interval_step=RECONNECT_STEP,
                interval_max=RECONNECT_MAX, callback=self._give_up_if_stopping,
            )
            yield conn

    def _give_up_if_stopping(self) -> None:
        # a process killed while the broker is away ends, rather than retry forever
        if self.should_stop:
            raise QueueConsumerStopped()


class Consumer(NamekoConsumer):
    """nameko's ``@consume(queue)`` on the steady queue consumer."""

    queue_consumer = SteadyQueueConsumer()


consume = Consumer.decorator
