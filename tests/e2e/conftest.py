"""The platform as `make run` starts it, once on SQLite and once on PostgreSQL.

Modules that need another set-up (one shared platform, extra settings) define their
own ``platform`` fixture, which overrides this one.
"""

from __future__ import annotations

import pytest

from tests.support.platform import start_platform, stop_platform


@pytest.fixture(params=["sqlite", "postgresql"])
def platform(request, tmp_path, rabbit_config):
    database_url = None
    if request.param == "postgresql":
        database_url = request.getfixturevalue("pg_base_url")
    running = start_platform(tmp_path, rabbit_config["AMQP_URI"], database_url)
    yield running
    assert stop_platform(running) == 0, running.log()[-3000:]
