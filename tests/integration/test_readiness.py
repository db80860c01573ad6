"""/ready means it: it fails while the broker or the database is gone, and recovers
by itself when they return; a task that holds the event loop is seen and counted."""

from __future__ import annotations

import pytest
import requests
from eventlet.patcher import original
from prometheus_client import REGISTRY
from sqlalchemy import MetaData

from services.common.database import Database
from services.common.events import consume
from services.common.observability import EntrypointMetrics
from services.common.rpc import rpc
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1
from tests.support.ports import free_port
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import wait_for


class ReadyProbe:
    name = "readyprobe"
    db = Database(MetaData())
    metrics = EntrypointMetrics()

    @consume(LEARNERS_ENROLLED_V1)
    def on_enrolled(self, event):
        pass

    @rpc()
    def compute(self, seconds: float) -> None:
        original("time").sleep(seconds)  # holds the hub, as CPU-bound work would


@pytest.fixture
def proxies():
    with TcpProxy("127.0.0.1", 5432) as pg, TcpProxy("127.0.0.1", 5672) as broker:
        yield pg, broker


@pytest.fixture
def ready(container_factory, rabbit_config, pg_base_url, proxies):
    pg, broker = proxies
    port = free_port()
    base = pg_base_url.rsplit("/", 1)[1]
    config = {
        **rabbit_config,
        "AMQP_URI": rabbit_config["AMQP_URI"].replace(":5672/", f":{broker.port}/"),
        "DATABASE_URL": f"postgresql+psycopg2://postgres@127.0.0.1:{pg.port}/{base}",
        "METRICS_PORT": port,
    }
    container_factory(ReadyProbe, config).start()

    def get() -> tuple[int, dict]:
        answer = requests.get(f"http://127.0.0.1:{port}/ready", timeout=10)
        return answer.status_code, answer.json()["checks"]

    return get


def test_ready_fails_while_the_database_is_gone_and_recovers_by_itself(
        ready, proxies):
    pg, _ = proxies
    assert ready()[0] == 200
    pg.cut()
    status, checks = wait_for(lambda: (r := ready())[0] == 503 and r, timeout=10)
    assert checks["db"].startswith("failing") and checks["broker"] == "ok"
    pg.restore()
    wait_for(lambda: ready()[0] == 200, timeout=10)


def test_ready_fails_while_the_broker_is_gone_and_recovers_by_itself(
        ready, proxies):
    _, broker = proxies
    assert ready()[0] == 200
    broker.cut()
    status, checks = wait_for(
        lambda: (r := ready())[0] == 503 and r[1]["consumers"] != "ok" and r,
        timeout=10)
    assert checks["broker"].startswith("unreachable")
    assert checks["consumers"] == "reconnecting to the broker"
    assert checks["db"] == "ok"
    broker.restore()
    wait_for(lambda: ready() == (200, {**checks, "broker": "ok", "consumers": "ok"}),
             timeout=15)


def test_a_task_holding_the_event_loop_is_counted_and_reported(
        ready, rabbit_config, caplog):
    from nameko.standalone.rpc import ClusterRpcProxy

    blocked = REGISTRY.get_sample_value("continuity_event_loop_blocked_total") or 0
    with ClusterRpcProxy(rabbit_config) as cluster:
        cluster.readyprobe.compute(1.5)
    status, checks = ready()
    assert status == 200  # it answers again: nothing to restart
    assert checks["event_loop"].startswith("ok; last held 1.")
    assert REGISTRY.get_sample_value("continuity_event_loop_blocked_total") \
        == blocked + 1
    [stall] = [r.getMessage() for r in caplog.records if r.name == "continuity.hub"]
    assert stall.startswith("the event loop was held for 1.")
    assert "in compute" in stall  # the stack of the task that held it
