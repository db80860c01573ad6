"""The webhooks worker delivers to public addresses only, checked at every delivery.

An endpoint can point inside our network although registration refuses that: it was
registered before the check existed, or its name resolved elsewhere then. The worker
checks again before each delivery and connects to the very address it checked.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from nameko.testing.services import entrypoint_hook

from gateway import partner_bindings, webhooks
from gateway.models import Base, Delivery, Webhook
from gateway.webhook_service import WebhooksService
from services.common.db import ensure_database
from services.tracking.events import SKILL_ACQUIRED_V1
from tests.support.broker import publish_event
from tests.support.db import sessions_for
from tests.support.receiver import Receiver

SKILL = {"learner_id": "l-1", "skill_id": "fr.reading", "institution_id": "i-1",
         "course_id": "c-1", "acquired_at": "2026-12-02T09:00:00+00:00"}


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


def deliver_one(service_config, container_factory, receiver, allowed: str) -> Delivery:
    """An endpoint at ``receiver`` (on 127.0.0.1), one event, one delivery round."""
    config = service_config("webhooks", WEBHOOK_POLL_SECONDS=3600,
                            WEBHOOK_ALLOWED_NETWORKS=allowed)
    ensure_database(config["DATABASE_URL"])
    sessions = sessions_for(config["DATABASE_URL"], Base.metadata)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        partner = webhooks.create_partner(
            session, name="P", contact_email="p@x.org", event_types=["skill.#"],
            institution_ids=None, now=now).partner
        session.add(Webhook(id="hook-1", partner_id=partner.id, url=receiver.url,
                            event_types=["skill.acquired.v1"],
                            secret=webhooks.new_secret(), status="active",
                            created_at=now))
    partner_bindings.sync(config["AMQP_URI"], ["skill.#"])
    container = container_factory(WebhooksService, config)
    container.start()
    publish_event(config["AMQP_URI"], SKILL_ACQUIRED_V1, SKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the event reaches the worker, a delivery waits
        with sessions.begin() as session:
            if session.query(Delivery).count():
                break
        time.sleep(0.1)
    with entrypoint_hook(container, "deliver_webhooks") as deliver:
        deliver()
    with sessions.begin() as session:
        return session.query(Delivery).one()


def test_a_delivery_inside_is_refused_recorded_and_not_retried(
        service_config, container_factory, receiver):
    delivery = deliver_one(service_config, container_factory, receiver, allowed="")
    assert receiver.requests == []
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        "failed", 1, None)
    assert delivery.last_error == ("refused: 127.0.0.1 is not on the public internet "
                                   "(loopback)")


def test_an_allowed_network_is_delivered_to_the_address_checked(
        service_config, container_factory, receiver):
    delivery = deliver_one(service_config, container_factory, receiver,
                           allowed="127.0.0.1/32")
    assert (delivery.status, delivery.last_status_code) == ("delivered", 204)
    (request,) = receiver.requests
    assert request["headers"]["host"] == receiver.url.split("/")[2]
    assert request["headers"]["webhook-id"] == delivery.id
