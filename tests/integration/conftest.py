"""Services in nameko containers against the real RabbitMQ (own vhost) and PostgreSQL."""

from __future__ import annotations

import pytest

from services.common.config import load_config
from tests.support.broker import EventCollector

pytestmark = pytest.mark.integration


@pytest.fixture
def service_config(container_factory, rabbit_config, pg_base_url, tmp_path):
    """Config for one service process, as the runner builds it, on test resources.

    Depends on container_factory so containers stop before the databases are dropped.
    """

    def make(service: str, **overrides) -> dict:
        env = {
            "AMQP_URI": rabbit_config["AMQP_URI"],
            "DATABASE_URL": pg_base_url,
            "VAR_DIR": str(tmp_path / "var"),
            "METRICS_PORT": "0",
            "OUTBOX_POLL_SECONDS": "0.2",
            "TOKEN_SECRET": "integration-test-secret-" + "x" * 32,
            "RATE_LIMIT_STORAGE": "memory://",
            **{k: str(v) for k, v in overrides.items()},
        }
        return load_config(service, env)

    return make


@pytest.fixture
def collect(rabbit_config):
    collectors = []

    def make(producer: str, pattern: str = "#") -> EventCollector:
        collector = EventCollector(rabbit_config["AMQP_URI"], producer, pattern)
        collectors.append(collector)
        return collector

    yield make
    for collector in collectors:
        collector.close()
