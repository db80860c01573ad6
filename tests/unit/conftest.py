"""Fixtures shared by the unit tests: real sessions on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.support.db import sessions_for


@pytest.fixture
def make_sessions(db_url):
    """``make_sessions(metadata)``: a sessionmaker on a fresh database with the schema.

    Runs once per engine (``db_url`` is parametrised); the engines are disposed after
    the test so that the PostgreSQL database can be dropped.
    """
    made = []

    def make(metadata):
        sessions = sessions_for(db_url, metadata)
        made.append(sessions)
        return sessions

    yield make
    for sessions in made:
        sessions.kw["bind"].dispose()
