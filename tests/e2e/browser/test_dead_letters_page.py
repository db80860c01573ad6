"""The operator's dead letters page, in headless Chromium: a dead letter is listed with
why, put back in its queue by its button, handled there; in both languages."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
import requests
from kombu import Connection

from services.common.contracts import envelope, serialize
from services.common.topology import dead_letter_exchange, dead_letter_routes
from services.licensing.contracts.events import LICENCE_REVOKED_V1
from tests.support.waiting import wait_for

from .conftest import check, sign_in

pytestmark = pytest.mark.e2e

QUEUE = "evt-licensing-licence.revoked.v1--gateway.on_licensing_licence_revoked"
OPERATOR = {"email": "ops@continuity.test", "password": "operator-secret-1"}


def dead_letter(amqp_uri: str) -> str:
    """A revocation the gateway's handler failed 5 times, as its consumer sets it
    aside (services/common/events.py): the event id."""
    event_id = str(uuid.uuid4())
    data = LICENCE_REVOKED_V1.schema().load({
        "licence_id": str(uuid.uuid4()), "institution_id": str(uuid.uuid4()),
        "reason": "unpaid", "revoked_at": datetime.now(UTC).isoformat()})
    body = envelope(LICENCE_REVOKED_V1, serialize(LICENCE_REVOKED_V1, data), None,
                    event_id)
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(
            body, exchange=dead_letter_exchange(), routing_key=QUEUE,
            serializer="json", delivery_mode=2, declare=dead_letter_routes(),
            headers={"continuity-dead-letter-id": uuid.uuid4().hex,
                     "continuity-dead-queue": QUEUE,
                     "continuity-dead-error": "OperationalError: the database is "
                                              "read-only",
                     "continuity-dead-at": datetime.now(UTC).isoformat(),
                     "continuity-dead-attempts": 5})
    return event_id


def messages_in(amqp_uri: str, queue: str) -> int:
    vhost = quote(amqp_uri.rsplit("/", 1)[1], safe="")
    answer = requests.get(f"http://127.0.0.1:15672/api/queues/{vhost}/{quote(queue)}",
                          auth=("guest", "guest"), timeout=5).json()
    return answer.get("messages", 0) + answer.get("messages_unacknowledged", 0)


def test_an_operator_lists_a_dead_letter_and_puts_it_back(page, platform):
    page.goto("/ops/dead-letters")
    page.wait_for_url(re.compile(r"/sign-in\?next=/ops/dead-letters"))
    sign_in(page, OPERATOR["email"], OPERATOR["password"], "/ops/dead-letters")
    assert "No dead letters" in page.locator("main").inner_text()

    amqp_uri = platform.env["AMQP_URI"]
    event_id = dead_letter(amqp_uri)
    wait_for(lambda: page.reload() and event_id in page.locator("main").inner_text(),
             timeout=15, interval=0.3)
    row = page.locator("tr", has_text=event_id)
    assert "OperationalError: the database is read-only" in row.inner_text()
    assert "licence.revoked.v1" in row.inner_text()
    check(page, "dead-letters")

    row.get_by_role("button", name="Put back").click()
    page.wait_for_url("**/ops/dead-letters?replayed=1")
    assert "1 event put back in its queue." in page.locator(".notice").inner_text()
    assert "Put back on" in page.locator("tr", has_text=event_id).inner_text()
    wait_for(lambda: messages_in(amqp_uri, QUEUE) == 0, timeout=10)  # handled
    check(page, "dead-letters-replayed")

    page.get_by_role("button", name="Français").click()
    page.wait_for_url("**/ops/dead-letters*")
    assert "Lettres mortes" in page.locator("h1").inner_text()
    assert "Remis le" in page.locator("tr", has_text=event_id).inner_text()
    check(page, "dead-letters-replayed")


def test_the_page_is_not_there_for_anyone_but_an_operator(platform):
    answer = requests.get(f"{platform.url}/ops/dead-letters", timeout=10,
                          allow_redirects=False)
    assert answer.status_code == 303 or answer.status_code == 302
    api = requests.get(f"{platform.url}/api/v1/dead-letters", timeout=10)
    assert api.status_code == 401
