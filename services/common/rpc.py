"""RPC for answers-now: transient messages, no publisher confirms.

An RPC request or reply is worth nothing once its caller has given up (the gateway
waits RPC_TIMEOUT at most), so neither is written to disk nor confirmed by the broker:
nameko's defaults (persistent, confirmed) cost a broker round trip and a disk write on
each side of every call. Facts other services need travel as events, through the
outbox, persistent and confirmed.
"""

from __future__ import annotations

from nameko.amqp.publish import Publisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    NON_PERSISTENT,
    SERIALIZER_CONFIG_KEY,
)
from nameko.rpc import Responder, RpcConsumer, get_rpc_exchange
from nameko.rpc import Rpc as NamekoRpc
from nameko.rpc import RpcProxy as NamekoRpcProxy


class TransientPublisher(Publisher):
    use_confirms = False
    delivery_mode = NON_PERSISTENT


class TransientResponder(Responder):
    publisher_cls = TransientPublisher


class TransientRpcConsumer(RpcConsumer):
    def handle_result(self, message, result, exc_info):
        config = self.container.config
        responder = TransientResponder(
            config[AMQP_URI_CONFIG_KEY], get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER), message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        result, exc_info = responder.send_response(result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info


class Rpc(NamekoRpc):
    rpc_consumer = TransientRpcConsumer()


def rpc(expected_exceptions=()):
    """``rpc = rpc(expected_exceptions=DomainError)`` then ``@rpc`` on methods."""
    return Rpc.decorator(expected_exceptions=expected_exceptions)


def RpcProxy(target_service: str) -> NamekoRpcProxy:  # noqa: N802 - reads like nameko's
    return NamekoRpcProxy(target_service, use_confirms=False, delivery_mode=NON_PERSISTENT)
