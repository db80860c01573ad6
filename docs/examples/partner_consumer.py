"""A partner's consumer of Continuity events, with pika, from a queue of its own.

Run it (Python 3.9+, ``pip install pika``)::

    python partner_consumer.py --queue acme.licences --events 'licence.*.v1' \\
        --asyncapi https://continuity.example/api/asyncapi.json

It reads the AsyncAPI document for the exchange each event type is published on,
declares a durable queue of its own bound to those exchanges, and handles each event:
it reads the envelope's fields it knows, ignores any others (additive fields arrive
without notice), skips an event_id it has seen (delivery is at least once) and acks
only after handling, so an event being handled when the consumer dies comes back.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import urllib.request
from collections.abc import Callable, Iterable

import pika

Handler = Callable[[dict], None]


def bindings(asyncapi: dict, patterns: Iterable[str]) -> set[tuple[str, str]]:
    """``(exchange, routing key)`` of every event type matching one of ``patterns``
    (``*`` any text), as the AsyncAPI document names them."""
    found = set()
    for event_type, channel in asyncapi["channels"].items():
        if any(fnmatch.fnmatchcase(event_type, p) for p in patterns):
            exchange = channel["bindings"]["amqp"]["exchange"]["name"]
            found.add((exchange, event_type))  # the routing key is the event type
    return found


def declare(channel, queue: str, routes: Iterable[tuple[str, str]]) -> None:
    """The partner's own durable queue, bound to each producer's topic exchange."""
    channel.queue_declare(queue, durable=True)
    for exchange, routing_key in routes:
        # passive: the producer owns its exchange; fail loudly on a wrong name
        channel.exchange_declare(exchange, exchange_type="topic", durable=True,
                                 passive=True)
        channel.queue_bind(queue, exchange, routing_key=routing_key)


def read(body: bytes) -> dict | None:
    """The envelope fields this consumer uses; ``None`` for what is not an event."""
    try:
        envelope = json.loads(body)
        return {"event_id": envelope["event_id"],
                "event_type": envelope["event_type"],
                "occurred_at": envelope["occurred_at"],
                "data": envelope.get("data") or {}}  # other fields: ignored
    except (ValueError, KeyError, TypeError):
        return None


def consume(channel, queue: str, handle: Handler, seen: set[str] | None = None,
            inactivity_timeout: float | None = None) -> int:
    """Handle events from ``queue`` until it stays empty ``inactivity_timeout``
    seconds (``None``: forever); returns how many were handled.

    ``seen`` stands for a durable record of handled event ids (a table with a
    unique key in a real consumer)."""
    seen = set() if seen is None else seen
    handled = 0
    channel.basic_qos(prefetch_count=10)
    for method, _properties, body in channel.consume(
            queue, inactivity_timeout=inactivity_timeout):
        if method is None:  # nothing came for inactivity_timeout seconds
            break
        event = read(body)
        if event is None:  # not an event: keeping it would block nothing but itself
            channel.basic_reject(method.delivery_tag, requeue=False)
            continue
        if event["event_id"] not in seen:
            try:
                handle(event)
            except Exception:
                channel.basic_nack(method.delivery_tag, requeue=True)  # try again
                raise
            seen.add(event["event_id"])
            handled += 1
        channel.basic_ack(method.delivery_tag)  # after handling, never before
    channel.cancel()
    return handled


def show(event: dict) -> None:
    print(event["occurred_at"], event["event_type"], json.dumps(event["data"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--asyncapi", required=True, help="URL of /api/asyncapi.json")
    parser.add_argument("--queue", required=True, help="your own queue's name")
    parser.add_argument("--events", nargs="+", default=["*"],
                        help="event type patterns, e.g. 'licence.*.v1'")
    parser.add_argument("--amqp", default=os.environ.get(
        "AMQP_URI", "amqp://guest:guest@localhost:5672/%2F"))
    args = parser.parse_args()
    with urllib.request.urlopen(args.asyncapi, timeout=10) as answer:
        document = json.load(answer)
    connection = pika.BlockingConnection(pika.URLParameters(args.amqp))
    try:
        channel = connection.channel()
        declare(channel, args.queue, bindings(document, args.events))
        consume(channel, args.queue, show)
    except KeyboardInterrupt:
        pass
    finally:
        connection.close()


if __name__ == "__main__":
    main()
