"""Catalog fixtures: a database loaded with the shipped seed."""

from __future__ import annotations

import json

import pytest

from services.catalog import domain
from services.catalog.models import Base
from services.common.db import utcnow


@pytest.fixture
def sessions(make_sessions):
    return make_sessions(Base.metadata)


@pytest.fixture
def seed():
    """The shipped seed as data (courses, paths, skills, topics)."""
    return json.loads(domain.SEED.read_text(encoding="utf-8"))


@pytest.fixture
def seeded(sessions):
    with sessions.begin() as session:
        domain.load_seed(session, utcnow())
    return sessions


@pytest.fixture
def search(seeded):
    def run(**kwargs):
        with seeded() as session:
            return domain.search(session, **kwargs)

    return run
