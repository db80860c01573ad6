"""No event is lost to start order: whoever starts first, every consumer hears it.

Catalog announces its seed at start. Started alone on new databases, before tracking
ever ran, its events would go to an exchange with no queue bound unless the producer
declares its consumers' queues (decision 22): RabbitMQ would drop them, tracking would
know no course, and every progress record would be refused.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from kombu import Connection
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import create_engine, func, select

from services.catalog.domain import SEED
from services.catalog.models import outbox_table
from services.catalog.service import CatalogService
from services.common.contracts import REGISTRY, all_event_types
from services.common.database import Database
from services.common.outbox import enqueue_events
from services.common.topology import subscriptions
from services.tracking.service import TrackingService
from tests.support.broker import enrol_and_seat
from tests.support.relay import RelayOnly, pending
from tests.support.relay import outbox_table as relay_outbox
from tests.support.waiting import wait_for

SERVICES = {"catalog": CatalogService, "tracking": TrackingService}
SEEDED = [c for c in json.loads(SEED.read_text())["courses"]
          if c["status"] == "published"]
SAMPLES = Path(__file__).resolve().parents[1] / "contract" / "samples"


def seed_relayed(catalog_config: dict) -> bool:
    """Every seed event written by catalog and confirmed by the broker."""
    engine = create_engine(catalog_config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            t = outbox_table
            total, unpublished = connection.execute(select(
                func.count(), func.count().filter(t.c.published_at.is_(None))
            ).where(t.c.kind == "event")).one()
    finally:
        engine.dispose()
    return total >= len(SEEDED) and unpublished == 0


@pytest.mark.parametrize("first, database", [
    ("catalog", "postgresql"), ("catalog", "sqlite"), ("tracking", "postgresql"),
])
def test_every_seeded_course_reaches_tracking_whatever_starts_first(
    first, database, container_factory, service_config, rabbit_config, tmp_path
):
    on_db = {} if database == "postgresql" else {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'continuity.db'}"}
    configs = {name: service_config(name, **on_db) for name in SERVICES}
    container_factory(SERVICES[first], configs[first]).start()
    if first == "catalog":  # its whole seed is out before tracking ever ran
        wait_for(lambda: seed_relayed(configs["catalog"]), timeout=30)
    second = next(name for name in SERVICES if name != first)
    container_factory(SERVICES[second], configs[second]).start()

    learner = str(uuid.uuid4())
    enrol_and_seat(rabbit_config["AMQP_URI"], str(uuid.uuid4()), [learner], [learner])
    records = [(learner, {"id": f"p-{c['id']}", "course_id": c["id"],
                          "kind": "chapter_completed",
                          "chapter_id": c["chapters"][0]["id"]}) for c in SEEDED]
    with ClusterRpcProxy(configs["tracking"]) as rpc:
        def every_course_accepts_progress():
            outcomes = rpc.tracking.record_progress_batch(records)
            return all("recorded" in outcome for outcome in outcomes) and outcomes
        outcomes = wait_for(every_course_accepts_progress, timeout=20)
    assert len(outcomes) == len(SEEDED)


def test_an_event_published_before_any_consumer_ran_waits_for_each_of_them(
    container_factory, service_config, rabbit_config, tmp_path
):
    """Every event type that has consumers, from a relay of its producer alone on the
    broker: one copy waits in the queue of every handler declared for it (licence
    issued: onboarding's and tracking's), none of which has ever started."""
    all_event_types()
    heard = {}
    for s in subscriptions():
        heard.setdefault(s.event_type, []).append(s.queue.name)
    assert len(heard["licence.issued.v1"]) == 2  # two services, one copy each
    for producer in sorted({REGISTRY[name].producer for name in heard}):
        relay = type("Relay", (RelayOnly,), {"name": producer})
        container = container_factory(relay, service_config(
            producer, DATABASE_URL=f"sqlite:///{tmp_path / 'relay.db'}"))
        container.start()
        db = next(d for d in container.extensions if isinstance(d, Database))
        with db.sessions.begin() as session:
            for name in heard:
                event_type = REGISTRY[name]
                if event_type.producer == producer:
                    sample = json.loads((SAMPLES / f"{name}.json").read_text())
                    enqueue_events(session, relay_outbox, event_type,
                                   [event_type.schema().load(sample["data"])])
        wait_for(lambda: pending(container) == 0)  # noqa: B023 - waited here

    with Connection(rabbit_config["AMQP_URI"]) as connection:
        channel = connection.channel()
        waiting = {queue: channel.queue_declare(queue, passive=True).message_count
                   for queues in heard.values() for queue in queues}
    assert waiting == {queue: 1 for queues in heard.values() for queue in queues}
