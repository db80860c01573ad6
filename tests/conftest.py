"""Shared fixtures. The suite runs under ``nameko test`` (eventlet monkey patched)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.support import rabbit_node
from tests.support.db import PG_ADMIN, drop_databases


@pytest.fixture
def pg_base_url():
    """A DATABASE_URL naming a fresh base; every database made from it is dropped."""
    base = f"ct_{uuid.uuid4().hex[:10]}"
    yield f"postgresql+psycopg2://postgres@127.0.0.1:5432/{base}"
    drop_databases(base)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Domain tests run on both engines the platform supports."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    name = f"ct_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    yield f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    drop_databases(name)


@pytest.fixture
def node(tmp_path):
    """A RabbitMQ node of the test's own, which it may stop and start."""
    with rabbit_node.RabbitNode(tmp_path) as running:
        yield running
