"""Ceilings for bench/progress_ingest.py: what nameko itself does on this machine.

    python bench/ceiling_services.py http HOST:PORT AMQP_URI  # GET /hello, no RPC
    python bench/ceiling_services.py rpc HOST:PORT AMQP_URI   # GET /hello -> RPC

``http`` is a hello-world ``@http`` endpoint: the most a nameko HTTP process serves.
``rpc`` adds what every gateway route pays: one RPC over RabbitMQ to another nameko
service (run in the same process here, as its own container) that answers at once.
"""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import sys  # noqa: E402

from nameko.rpc import RpcProxy, rpc  # noqa: E402
from nameko.web.handlers import http  # noqa: E402


class HelloHttp:
    name = "bench_hello_http"

    @http("GET", "/hello")
    def hello(self, request):
        return 200, '{"hello": "world"}'


class HelloRpc:
    name = "bench_hello_rpc"

    @rpc
    def hello(self, who: str) -> dict:
        return {"hello": who}


class HelloHttpRpc:
    name = "bench_hello_http_rpc"

    hello_rpc = RpcProxy("bench_hello_rpc")

    @http("GET", "/hello")
    def hello(self, request):
        import json

        return 200, json.dumps(self.hello_rpc.hello("world"))


def main(argv: list[str]) -> int:
    kind, address, amqp_uri = argv
    from nameko.cli.run import run

    config = {"AMQP_URI": amqp_uri, "WEB_SERVER_ADDRESS": address,
              "max_workers": 10, "serializer": "json"}
    services = [HelloHttp] if kind == "http" else [HelloRpc, HelloHttpRpc]
    run(services, config)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
