"""RPC for answers-now: transient messages, no publisher confirms.

An RPC request or reply is worth nothing once its caller has given up (the gateway
waits RPC_TIMEOUT at most), so neither is written to disk nor confirmed by the broker:
nameko's defaults (persistent, confirmed) cost a broker round trip and a disk write on
each side of every call. Facts other services need travel as events, through the
outbox, persistent and confirmed.

A broker or database outage crosses to the caller as ``Unavailable`` (outage.py), and
a reply that cannot be published is given up, not raised: nameko would end the whole
process for it (its container dies on an error from a worker's result handler).
"""

from __future__ import annotations

import logging

from nameko.amqp.publish import Publisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    NON_PERSISTENT,
    SERIALIZER_CONFIG_KEY,
)
from nameko.exceptions import deserialize_to_instance
from nameko.rpc import ReplyListener, Responder, RpcConsumer, get_rpc_exchange
from nameko.rpc import Rpc as NamekoRpc
from nameko.rpc import RpcProxy as NamekoRpcProxy

from .broker import SteadyQueueConsumer
from .outage import as_unavailable, is_outage

log = logging.getLogger(__name__)

# a request or reply is given up within about a second when the broker is away (the
# caller answers 503, a worker is not held), and a connection the broker closed is
# replaced on the first retry
CALL_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.3,
                     "interval_max": 0.5}


class TransientPublisher(Publisher):
    use_confirms = False
    delivery_mode = NON_PERSISTENT
    retry_policy = CALL_RETRY_POLICY


class TransientResponder(Responder):
    publisher_cls = TransientPublisher


class TransientRpcConsumer(RpcConsumer):
    queue_consumer = SteadyQueueConsumer()

    def handle_result(self, message, result, exc_info):
        config = self.container.config
        responder = TransientResponder(
            config[AMQP_URI_CONFIG_KEY], get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER), message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        answer = exc_info
        if exc_info is not None:
            error = as_unavailable(exc_info[1])
            answer = (type(error), error, exc_info[2])
        try:
            result, sent = responder.send_response(result, answer)
            exc_info = exc_info or sent  # a result that could not be serialized
        except Exception as exc:
            if not is_outage(exc):
                raise
            # the caller times out (503); the request is acked below if the
            # connection still lives, else the broker gives it again
            log.warning("reply to %s not sent, the broker is away: %r",
                        message.properties.get("reply_to"), exc)
        self.queue_consumer.ack_message(message)
        return result, exc_info


class Rpc(NamekoRpc):
    rpc_consumer = TransientRpcConsumer()


def rpc(expected_exceptions=()):
    """``rpc = rpc(expected_exceptions=DomainError)`` then ``@rpc`` on methods."""
    return Rpc.decorator(expected_exceptions=expected_exceptions)


class SteadyReplyListener(ReplyListener):
    queue_consumer = SteadyQueueConsumer()


class _RpcProxy(NamekoRpcProxy):
    rpc_reply_listener = SteadyReplyListener()


def RpcProxy(target_service: str) -> NamekoRpcProxy:  # noqa: N802 - reads like nameko's
    return _RpcProxy(target_service, use_confirms=False, delivery_mode=NON_PERSISTENT,
                     retry_policy=CALL_RETRY_POLICY)


def register_errors(base: type[Exception]) -> None:
    """Let an RPC caller get ``base`` and each of its subclasses back as themselves,
    not as a ``RemoteError``: nameko rebuilds only the classes in its registry.

    Called where the service is (its ``service.py``) and by a caller that maps the
    errors (the gateway), so that exception modules stay plain Python.
    """
    pending = [base]
    while pending:
        error = pending.pop()
        deserialize_to_instance(error)
        pending.extend(error.__subclasses__())
