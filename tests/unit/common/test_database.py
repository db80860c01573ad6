"""Several copies of a service start at once against the same PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

from sqlalchemy import create_engine, text

from tests.conftest import PG_ADMIN, drop_databases

STARTER = """
import sys, time
from services.common.db import ensure_database, ensure_schema, make_engine
from sqlalchemy import MetaData, Table, Column, Integer
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start together
ensure_database(sys.argv[1])
metadata = MetaData()
Table("t", metadata, Column("id", Integer, primary_key=True))
ensure_schema(make_engine(sys.argv[1]), metadata)
"""


def test_copies_starting_together_all_find_their_database_and_schema():
    name = f"ct_{uuid.uuid4().hex[:10]}"
    url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    start_at = str(time.time() + 1.5)
    try:
        copies = [subprocess.Popen([sys.executable, "-c", STARTER, url, start_at],
                                   stderr=subprocess.PIPE, text=True)
                  for _ in range(8)]
        failures = [c.stderr.read() for c in copies if c.wait(timeout=60) != 0]
        assert failures == []
        engine = create_engine(PG_ADMIN)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_database WHERE datname = :n"),
                                {"n": name}).scalar() == 1
        engine.dispose()
    finally:
        drop_databases(name)


def test_insert_ignore_counts_the_rows_it_inserted(db_url):
    """Several rows at once, some already there: the count is the new ones (PostgreSQL
    batches used to report their last statement's count only)."""
    from sqlalchemy import Column, MetaData, String, Table

    from services.common.db import insert_ignore
    from tests.support.db import sessions_for

    metadata = MetaData()
    pairs = Table("pairs", metadata, Column("a", String, primary_key=True),
                  Column("b", String, primary_key=True))
    sessions = sessions_for(db_url, metadata)
    with sessions.begin() as session:
        assert insert_ignore(session, pairs, [{"a": "1", "b": "x"}]) == 1
        assert insert_ignore(session, pairs, [
            {"a": "1", "b": "x"}, {"a": "1", "b": "y"}, {"a": "2", "b": "x"},
            {"a": "1", "b": "x"}, {"a": "3", "b": "z"}]) == 3
        assert insert_ignore(session, pairs, [{"a": "3", "b": "z"}]) == 0
