"""The lrs in its nameko container against the real RabbitMQ and PostgreSQL: a batch
stored over RPC is announced once per new statement on lrs.events, a resend is not."""

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


def test_stored_statements_are_announced_once_each(container_factory, service_config,
                                                   collect):
    stored = collect("lrs", "statement.stored.v1")
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
    stored.wait(3, timeout=20)
    stored.drain(1.0)  # the outbox relay polls every 0.2 s: a fourth would be here
    events = stored.messages
    assert sorted(e["data"]["statement_id"] for e in events) == sorted(
        s["id"] for s in batch)
    assert all(e["data"]["statement"]["authority"] == AUTHORITY for e in events)
