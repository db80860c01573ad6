"""The lrs in its nameko container against the real RabbitMQ and PostgreSQL: a batch
stored over RPC is announced in one statements.stored.v1 on lrs.events, a resend is
not, and statement.stored.v1 is no longer published (decision 0064)."""

from __future__ import annotations

import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.lrs.contracts.errors import Conflict
from services.lrs.service import LrsService

pytestmark = pytest.mark.integration

AUTHORITY = {"objectType": "Agent",
             "account": {"homePage": "https://lrs.example.org", "name": "client-1"}}


def statement(n: int) -> dict:
    return {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:jo@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": f"https://courses.example.org/c/{n}"}}


def test_a_stored_batch_is_announced_once_in_one_event(container_factory,
                                                      service_config, collect):
    stored = collect("lrs")  # every event type of the lrs
    config = service_config("lrs")
    container_factory(LrsService, config).start()
    batch = [statement(n) for n in range(3)]
    request = {"institution_id": "inst-1", "authority": AUTHORITY,
               "owner": "client:1", "statements": batch}
    with ClusterRpcProxy(config) as rpc:
        assert rpc.lrs.store_statements(request)["ids"] == [s["id"] for s in batch]
        rpc.lrs.store_statements(request)  # the same again: a no-op
        with pytest.raises(Conflict):
            rpc.lrs.store_statements({**request, "statements": [
                {**batch[0], "verb": {"id": "urn:x:other"}}]})
        page = rpc.lrs.query_statements({"institution_id": "inst-1"})
    assert [s["id"] for s in page["statements"]] == [s["id"] for s in batch[::-1]]
    stored.wait(1, timeout=20)
    stored.drain(1.0)  # the outbox relay polls every 0.2 s: a second would be here
    [event] = stored.messages
    assert event["event_type"] == "statements.stored.v1"
    assert event["data"]["institution_id"] == "inst-1"
    assert [s["id"] for s in event["data"]["statements"]] == [s["id"] for s in batch]
    assert all(s["authority"] == AUTHORITY for s in event["data"]["statements"])
