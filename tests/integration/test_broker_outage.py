"""A service whose broker goes away while it works lives on and answers again.

On a RabbitMQ node of the test's own (tests/support/rabbit_node.py): the machine's
broker serves every other test.
"""

from __future__ import annotations

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.common.rpc import rpc as make_rpc
from tests.support import rabbit_node
from tests.support.waiting import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not rabbit_node.available(), reason="RabbitMQ is not installed"),
]


rpc = make_rpc()


class Echo:
    name = "echo"
    node: rabbit_node.RabbitNode | None = None
    answered = 0

    @rpc
    def stop_broker_then_answer(self, value):
        """The reply to this call cannot be published: the broker is gone."""
        Echo.node.stop()
        Echo.answered += 1
        return value

    @rpc
    def echo(self, value):
        return value


def test_a_reply_that_cannot_be_sent_does_not_end_the_service(node, container_factory):
    Echo.node, Echo.answered = node, 0
    config = {"AMQP_URI": node.amqp_uri, "serializer": "json"}
    container = container_factory(Echo, config)
    container.start()
    try:
        with ServiceRpcProxy("echo", config) as echo:
            echo.stop_broker_then_answer.call_async("lost")
            wait_for(  # until the worker has tried to reply, and given up
                lambda: Echo.answered and not container._worker_threads,
                timeout=30, interval=0.2)
        node.start()

        with ServiceRpcProxy("echo", config, timeout=30) as echo:
            assert echo.echo("still here") == "still here"
    finally:
        container.kill()  # while its broker is still there
