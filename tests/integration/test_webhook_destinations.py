"""The webhooks worker delivers to public addresses only, checked at every delivery.

An endpoint can point inside our network although registration refuses that: it was
registered before the check existed, or its name resolved elsewhere then. The worker
checks again before each delivery and connects to the very address it checked.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nameko.testing.services import entrypoint_hook

from gateway.models import Base, Delivery, Webhook
from gateway.partners import bindings, deliveries, destinations, keys, sending, signing
from gateway.partners.service import WebhooksService
from services.common.db import ensure_database
from services.tracking.contracts.events import SKILL_ACQUIRED_V1
from tests.support.broker import publish_event
from tests.support.db import sessions_for
from tests.support.receiver import Receiver
from tests.support.waiting import wait_for

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
        partner = keys.create_partner(
            session, name="P", contact_email="p@x.org", event_types=["skill.#"],
            institution_ids=None, now=now).partner
        session.add(Webhook(id="hook-1", partner_id=partner.id, url=receiver.url,
                            event_types=["skill.acquired.v1"],
                            secret=signing.new_secret(), status="active",
                            created_at=now))
    bindings.sync(config["AMQP_URI"], ["skill.#"])
    container = container_factory(WebhooksService, config)
    container.start()
    publish_event(config["AMQP_URI"], SKILL_ACQUIRED_V1, SKILL)

    def waiting() -> int:  # the event reaches the worker, a delivery waits
        with sessions.begin() as session:
            return session.query(Delivery).count()

    wait_for(waiting, timeout=10)
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


# -- the connection: to the address checked, named as the URL names it -----------------
TLS_IDENTITY = Path(__file__).parents[1] / "support" / "tls" / "hooks.example.pem"


def outgoing(url: str) -> deliveries.Outgoing:
    return deliveries.Outgoing("d-1", url, b"{}", {"content-type": "application/json"})


def hooks_example_is(address: str):
    """A resolver for which hooks.example is ``address`` (the system knows no such
    name: a delivery that reaches it used the address checked, not a new lookup)."""

    def resolve(host, port):
        assert host == "hooks.example"
        return [ipaddress.ip_address(address)]

    return resolve


class Listener:
    """A TCP server on 127.0.0.1 that hands each connection to ``serve``."""

    def __init__(self, serve):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.seen: list = []

        def accept():
            with contextlib.suppress(OSError):
                while True:
                    connection, _ = self.socket.accept()
                    with connection:
                        serve(self, connection)

        threading.Thread(target=accept, daemon=True).start()

    def close(self):
        self.socket.close()


def test_https_goes_to_the_checked_address_with_the_host_named_for_tls():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS_IDENTITY)

    def serve(listener, connection):
        context.sni_callback = lambda sock, name, ctx: listener.seen.append(name)
        with contextlib.suppress(OSError), context.wrap_socket(connection,
                                                               server_side=True):
            pass

    listener = Listener(serve)
    try:
        status, error, final = sending.post(
            outgoing(f"https://hooks.example:{listener.port}/h"),
            destinations.parse_networks("127.0.0.1/32"), hooks_example_is("127.0.0.1"))
    finally:
        listener.close()
    assert listener.seen == ["hooks.example"]  # SNI: the name, though sent to 127.0.0.1
    # and its certificate is checked (this one is self-signed: refused, tried again)
    assert (status, final) == (None, False) and "CERTIFICATE_VERIFY_FAILED" in error


def test_an_egress_proxy_is_asked_for_the_checked_address(monkeypatch):
    def serve(listener, connection):
        listener.seen.append(connection.recv(4096).split(b"\r\n")[0].decode())
        connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    proxy = Listener(serve)
    for name in ("NO_PROXY", "no_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.port}")
    try:
        status, error, final = sending.post(
            outgoing("https://hooks.example/h"),
            destinations.parse_networks("10.9.8.7"), hooks_example_is("10.9.8.7"))
    finally:
        proxy.close()
    (request_line,) = proxy.seen
    assert request_line.startswith("CONNECT 10.9.8.7:443 ")  # not hooks.example
    assert (status, final) == (None, False) and error
