"""``continuity-rebuild CONSUMER``: rebuild a service's read models from the events
its producers kept in their outboxes.

A consumer's read models (tracking's courses, licences, learners and seats;
licensing's enrolments) are made of other services' events. When its database is
lost, or made new on purpose, each producer still holds what it published in its
outbox table (published rows stay ``OUTBOX_KEEP_DAYS``). This command reads them, in
the order each producer wrote them, and publishes each event again to the consumer's
own queues only (the broker's default exchange, by queue name), with publisher
confirms. The consumer applies each event once (its ``applied_events``): replayed to
a consumer that already had them, they change nothing; to a new database, they make
the read models again. The consumer may be running or not: the events wait in its
durable queues.

A service's own records (tracking's progress, onboarding's applications) are not
made of events: they are backed up, not rebuilt.

    continuity-rebuild tracking                  # from every producer it hears
    continuity-rebuild tracking --from catalog   # from one

The producers' databases and the broker are found as the processes find them
(``DATABASE_URL``, ``<PROCESS>_DATABASE_URL``, ``VAR_DIR``, ``AMQP_URI``).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import amqp
from kombu import Connection
from sqlalchemy import Table, Text, cast, create_engine, func, select

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from .config import DEFAULT_AMQP_URI, database_url  # noqa: E402
from .registry import facts, process_class  # noqa: E402
from .relay import CONFIRM_TIMEOUT, Confirms, Outbox  # noqa: E402
from .topology import Subscription, subscriptions  # noqa: E402

BATCH = 500  # events published between two waits for the broker's confirms


@dataclass(frozen=True)
class Replayed:
    """What was published again from one producer's outbox."""

    producer: str
    events: int  # outbox rows replayed
    messages: int  # copies published (an event heard by two handlers: two)
    first_seq: int | None  # the oldest outbox row kept (events and mails)


def outbox_of(producer: str) -> Table:
    """The outbox table of a producer, as its nameko class declares it."""
    cls = process_class(producer)
    for value in vars(cls).values():
        if isinstance(value, Outbox):
            return value.table
    raise LookupError(f"{producer} has no outbox")


def handlers_of(consumer: str, producers: Iterable[str] = ()) -> list[Subscription]:
    """The consumer's durable handlers, of the given producers (all when empty)."""
    wanted = set(producers)
    found = [s for s in subscriptions() if s.service == consumer
             and (not wanted or s.producer in wanted)]
    if not found:
        raise LookupError(f"{consumer} has no handler of the events of "
                          f"{', '.join(sorted(wanted)) or 'any service'}")
    return found


def rebuild(consumer: str, producers: Iterable[str] = (),
            env: Mapping[str, str] | None = None) -> list[Replayed]:
    """Publish again, to ``consumer``'s queues, every event its producers kept."""
    env = os.environ if env is None else env
    var_dir = Path(env.get("VAR_DIR", "var")).resolve()
    queues: dict[tuple[str, str], list] = {}
    for handler in handlers_of(consumer, producers):
        queues.setdefault((handler.producer, handler.event_type), []).append(
            handler.queue)
    done = []
    with Connection(env.get("AMQP_URI", DEFAULT_AMQP_URI)) as connection:
        channel = connection.channel()
        for group in queues.values():
            for queue in group:  # declared as the consumer and producers declare it
                queue(channel).declare()
        confirms = Confirms(connection, channel)
        for producer in sorted({producer for producer, _ in queues}):
            types = {t: q for (p, t), q in queues.items() if p == producer}
            url = database_url(facts(producer).database_of or producer, env, var_dir)
            done.append(_replay(producer, url, types, confirms))
    return done


def _replay(producer: str, url: str, types: dict[str, list],
            confirms: Confirms) -> Replayed:
    t = outbox_of(producer)
    engine = create_engine(url)
    events = messages = 0
    try:
        with engine.connect() as connection:
            first_seq = connection.execute(select(func.min(t.c.seq))).scalar()
            rows = connection.execution_options(yield_per=BATCH).execute(
                select(t.c.topic, cast(t.c.body, Text).label("body"), t.c.message_id,
                       t.c.correlation_id)
                .where(t.c.kind == "event", t.c.topic.in_(sorted(types)))
                .order_by(t.c.seq))
            for row in rows:
                headers = ({"nameko.correlation_id": row.correlation_id}
                           if row.correlation_id else {})
                for queue in types[row.topic]:
                    confirms.channel.basic_publish(
                        amqp.Message(row.body.encode("utf-8"),
                                     content_type="application/json",
                                     content_encoding="utf-8", delivery_mode=2,
                                     message_id=row.message_id,
                                     application_headers=headers),
                        exchange="", routing_key=queue.name)
                    confirms.published()
                    messages += 1
                events += 1
                if messages % BATCH == 0:
                    confirms.wait(CONFIRM_TIMEOUT)
        confirms.wait(CONFIRM_TIMEOUT)
    finally:
        engine.dispose()
    return Replayed(producer, events, messages, first_seq)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="continuity-rebuild",
        description="Publish again, to a consumer's queues only, the events its "
                    "producers kept in their outboxes: a consumer on a new database "
                    "makes its read models again.")
    parser.add_argument("consumer", help="the service to rebuild, e.g. tracking")
    parser.add_argument("--from", dest="producers", action="append", default=[],
                        metavar="PRODUCER", help="only this producer's events "
                        "(repeatable; default: every producer the consumer hears)")
    args = parser.parse_args(argv)
    try:
        replayed = rebuild(args.consumer, args.producers)
    except LookupError as exc:
        print(f"continuity-rebuild: {exc.args[0]}", file=sys.stderr)
        return 2
    for r in replayed:
        print(f"{r.producer}: {r.events} events replayed to {args.consumer} "
              f"({r.messages} messages)")
        if r.first_seq is not None and r.first_seq > 1:
            print(f"{r.producer}: its oldest outbox row is #{r.first_seq}: the rows "
                  "before it were purged (OUTBOX_KEEP_DAYS) or never committed; what "
                  "purged events announced is not rebuilt", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
