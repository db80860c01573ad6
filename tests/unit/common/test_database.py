"""Several copies of a service start at once against the same PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.support.db import PG_ADMIN, drop_databases

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
    """Several rows at once, some already there: the count is the new ones (a
    PostgreSQL batch reports its last statement's count only, not the sum)."""
    from sqlalchemy import Column, MetaData, String, Table

    from services.common.bulk import insert_ignore
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


def test_bulk_insert_stores_what_sqlalchemy_would_store(db_url):
    """Rows with awkward text (quotes, backslashes, braces, the word NULL, accents),
    None, booleans, numbers, aware datetimes, JSON and defaults: written with the
    array statement on PostgreSQL, they read back exactly as a plain insert's."""
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy import JSON, Boolean, Column, Integer, MetaData, String, Table

    from services.common.bulk import bulk_insert
    from services.common.db import UTCDateTime
    from tests.support.db import sessions_for

    metadata = MetaData()
    columns = lambda: [  # noqa: E731 - the same columns for both tables
        Column("id", String(36), primary_key=True), Column("name", String(120)),
        Column("note", String(120), nullable=True), Column("ok", Boolean),
        Column("n", Integer), Column("at", UTCDateTime), Column("body", JSON),
        Column("kind", String(8), default="learner"),
        Column("created_at", UTCDateTime, default=lambda: datetime.now(UTC)),
    ]
    plain = Table("plain", metadata, *columns())
    arrays = Table("arrays", metadata, *columns())
    paris = timezone(timedelta(hours=1))
    texts = ['Zoé "la" \\ {a,b}', "NULL", "", " espace ", "l'apostrophe", "a\nb", "ü,;"]
    rows = [{"id": f"r{i}", "name": name, "note": None if i % 2 else name,
             "ok": i % 3 == 0, "n": i - 3, "at": datetime(2026, 12, 2, 9, i, tzinfo=paris),
             "body": [{"k": name, "i": i}, None] if i % 2 else {"text": name}}
            for i, name in enumerate(texts)]
    sessions = sessions_for(db_url, metadata)
    with sessions.begin() as session:
        session.connection().execute(plain.insert(), rows)
        assert bulk_insert(session.connection(), arrays, rows) == []
    with sessions.begin() as session:
        def read(table):
            return [tuple(r)[:-1] for r in session.execute(
                table.select().order_by(table.c.id))]
        assert read(arrays) == read(plain)
        assert len(read(arrays)) == len(texts)
        stamped = session.execute(arrays.select().where(arrays.c.id == "r0")).one()
        assert stamped.kind == "learner" and stamped.created_at.tzinfo is not None
        assert stamped.at == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_a_nul_character_is_refused_never_split_into_another_value(db_url):
    """A column of strings is escaped in one pass; a value holding NUL must not
    shift the values after it: PostgreSQL refuses the row, as with a plain insert."""
    import pytest
    from sqlalchemy import Column, MetaData, String, Table

    from services.common.bulk import bulk_insert
    from tests.support.db import sessions_for

    metadata = MetaData()
    names = Table("names", metadata, Column("id", String, primary_key=True),
                  Column("name", String))
    sessions = sessions_for(db_url, metadata)
    rows = [{"id": "a", "name": "Zoé\x00Lou"}, {"id": "b", "name": "Noé"}]
    if db_url.startswith("sqlite"):  # SQLite keeps it as it is
        with sessions.begin() as session:
            bulk_insert(session.connection(), names, rows)
        expected = [("a", "Zoé\x00Lou"), ("b", "Noé")]
    else:
        with pytest.raises(ValueError), sessions.begin() as session:
            bulk_insert(session.connection(), names, rows)
        expected = []
    with sessions.begin() as session:
        assert session.execute(names.select().order_by(names.c.id)).all() == expected


def test_bulk_insert_ignoring_conflicts_returns_only_the_new_rows(db_url):
    from sqlalchemy import Column, MetaData, String, Table

    from services.common.bulk import bulk_insert
    from tests.support.db import sessions_for

    metadata = MetaData()
    learners = Table("learners", metadata, Column("id", String, primary_key=True),
                     Column("email", String, unique=True))
    sessions = sessions_for(db_url, metadata)
    with sessions.begin() as session:
        bulk_insert(session.connection(), learners, [{"id": "a", "email": "a@x.fr"}])
    with sessions.begin() as session:
        inserted = bulk_insert(session.connection(), learners, [
            {"id": "a", "email": "other@x.fr"},  # id already there
            {"id": "b", "email": "a@x.fr"},  # e-mail already there
            {"id": "c", "email": "c@x.fr"},
            {"id": "d", "email": "c@x.fr"},  # twin of a row of the same batch
            {"id": "e", "email": "e@x.fr"},
        ], ignore_conflicts=True, returning=("id", "email"))
        assert sorted(inserted) == [("c", "c@x.fr"), ("e", "e@x.fr")]
    with sessions.begin() as session:
        assert session.execute(learners.select().order_by(learners.c.id)).all() == [
            ("a", "a@x.fr"), ("c", "c@x.fr"), ("e", "e@x.fr")]


def test_bulk_insert_updating_on_conflict_sets_only_where_the_condition_holds(db_url):
    """A seat event for learners: new ones get a row, known ones are updated unless
    the row already holds a newer event."""
    from datetime import UTC, datetime

    from sqlalchemy import Boolean, Column, MetaData, String, Table

    from services.common.bulk import bulk_insert
    from services.common.db import UTCDateTime
    from tests.support.db import sessions_for

    metadata = MetaData()
    learners = Table("learners", metadata, Column("id", String, primary_key=True),
                     Column("name", String), Column("seated", Boolean),
                     Column("changed_at", UTCDateTime))
    sessions = sessions_for(db_url, metadata)
    at = [datetime(2026, 12, 2, h, tzinfo=UTC) for h in range(24)]
    with sessions.begin() as session:
        bulk_insert(session.connection(), learners, [
            {"id": "old", "name": "Ana", "seated": False, "changed_at": at[8]},
            {"id": "newer", "name": "Bo", "seated": False, "changed_at": at[12]}])
    for rows in ([("old", True), ("newer", True), ("new", True)], [("old", False)]):
        with sessions.begin() as session:
            bulk_insert(session.connection(), learners, [
                {"id": i, "name": "", "seated": s, "changed_at": at[10]} for i, s in rows
            ], update=("seated", "changed_at"), update_where=(
                "learners.changed_at IS NULL OR learners.changed_at <= excluded.changed_at"))
    with sessions.begin() as session:
        assert session.execute(learners.select().order_by(learners.c.id)).all() == [
            ("new", "", True, at[10]),  # inserted whole
            ("newer", "Bo", False, at[12]),  # a newer event was there: untouched
            ("old", "Ana", False, at[10]),  # updated twice (<=), its name kept
        ]


def test_values_repeated_in_every_row_are_stored_as_a_plain_insert_stores_them(db_url):
    """A batch's institution, time, status or NULL is sent once, not as an array: the
    rows read back as SQLAlchemy's own insert writes them, also when every column of
    every row is the same (the batch still writes each row)."""
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy import JSON, Boolean, Column, Integer, MetaData, String, Table

    from services.common.bulk import bulk_insert
    from services.common.db import UTCDateTime
    from tests.support.db import sessions_for

    metadata = MetaData()
    columns = lambda: [  # noqa: E731 - the same columns for both tables
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("who", String(36)), Column("name", String(120)),
        Column("note", String(120), nullable=True), Column("ok", Boolean),
        Column("at", UTCDateTime), Column("body", JSON),
    ]
    plain = Table("plain", metadata, *columns())
    arrays = Table("arrays", metadata, *columns())
    at = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    body = {"school": 'Lycée "Hugo" \\ {1,2}'}
    school = 'Lycée "Hugo" \\ {1,2}'
    mixed = [{"who": f"learner-{n}", "name": school, "note": None, "ok": True,
              "at": at, "body": body} for n in range(5)]
    alike = [{"who": "same", "name": school, "note": None, "ok": False, "at": at,
              "body": body}] * 3
    later = datetime(2026, 12, 3, 11, 0, tzinfo=timezone(timedelta(hours=1)))
    shared = [{"who": f"event-{n % 3}", "name": school, "note": None,  # a batch of
               "ok": n % 2 == 0, "at": (at, later, None)[n % 3],  # events: a few
               "body": body} for n in range(7)]  # times shared by many rows
    sessions = sessions_for(db_url, metadata)
    with sessions.begin() as session:
        for rows in (mixed, alike, shared):
            session.connection().execute(plain.insert(), rows)
            assert bulk_insert(session.connection(), arrays, rows) == []
    with sessions.begin() as session:
        def read(table):
            return [tuple(r)[1:] for r in session.execute(
                table.select().order_by(table.c.seq))]
        assert read(arrays) == read(plain)
        assert len(read(arrays)) == 15
        assert read(arrays)[0] == ("learner-0", school, None, True, at, body)
        assert [row[4] for row in read(arrays)[8:11]] == [at, later, None]


@pytest.mark.parametrize("tried_plain_from", [1, 50])  # rows (small: the clause)
def test_rows_expected_new_that_conflict_are_skipped_and_the_transaction_goes_on(
        db_url, tried_plain_from, monkeypatch):
    """``expect_new`` tries a plain insert first; a learner already there (a file sent
    twice) or twice in the batch sends the batch through ``ON CONFLICT DO NOTHING``:
    only the new rows are written and returned, and what the transaction did before
    and does after still commits."""
    from sqlalchemy import Column, MetaData, String, Table

    from services.common import bulk
    from services.common.bulk import bulk_insert
    from tests.support.db import sessions_for

    monkeypatch.setattr(bulk, "EXPECT_NEW_ROWS", tried_plain_from)
    metadata = MetaData()
    learners = Table("learners", metadata, Column("id", String, primary_key=True),
                     Column("email", String, unique=True))
    notes = Table("notes", metadata, Column("id", String, primary_key=True))
    sessions = sessions_for(db_url, metadata)
    with sessions.begin() as session:
        conn = session.connection()
        fresh = bulk_insert(conn, learners, [{"id": "a", "email": "a@x.fr"},
                                             {"id": "b", "email": "b@x.fr"}],
                            ignore_conflicts=True, returning=("id",), expect_new=True)
        assert sorted(fresh) == [("a",), ("b",)]
    with sessions.begin() as session:
        conn = session.connection()
        conn.execute(notes.insert(), [{"id": "before"}])
        inserted = bulk_insert(conn, learners, [
            {"id": "c", "email": "c@x.fr"},
            {"id": "d", "email": "a@x.fr"},  # e-mail already there
            {"id": "e", "email": "e@x.fr"},
            {"id": "f", "email": "e@x.fr"},  # twin of a row of the same batch
        ], ignore_conflicts=True, returning=("id", "email"), expect_new=True)
        assert sorted(inserted) == [("c", "c@x.fr"), ("e", "e@x.fr")]
        conn.execute(notes.insert(), [{"id": "after"}])
    with sessions.begin() as session:
        assert session.execute(learners.select().order_by(learners.c.id)).all() == [
            ("a", "a@x.fr"), ("b", "b@x.fr"), ("c", "c@x.fr"), ("e", "e@x.fr")]
        assert session.scalars(notes.select().order_by(notes.c.id)).all() == [
            "after", "before"]


def test_rows_expected_new_that_break_another_rule_still_fail(db_url, monkeypatch):
    """Only a conflict on a unique key is skipped: a missing required value fails
    the batch, as it did before."""
    from sqlalchemy import Column, MetaData, String, Table
    from sqlalchemy.exc import IntegrityError

    from services.common import bulk
    from services.common.bulk import bulk_insert
    from tests.support.db import sessions_for

    monkeypatch.setattr(bulk, "EXPECT_NEW_ROWS", 1)

    metadata = MetaData()
    learners = Table("learners", metadata, Column("id", String, primary_key=True),
                     Column("email", String, nullable=False))
    sessions = sessions_for(db_url, metadata)
    with pytest.raises(IntegrityError), sessions.begin() as session:
        bulk_insert(session.connection(), learners, [
            {"id": "a", "email": "a@x.fr"}, {"id": "b", "email": None}],
            ignore_conflicts=True, returning=("id",), expect_new=True)
    with sessions.begin() as session:
        assert session.execute(learners.select()).all() == []


def test_a_process_holds_no_more_connections_than_its_pool_allows():
    """DB_POOL_SIZE and DB_MAX_OVERFLOW bound what one process takes from the
    server's max_connections: a worker past them waits for a connection to come
    back instead of the server refusing it (docs/deploy.md)."""
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from services.common.config import load_config
    from services.common.db import make_engine

    name = f"ct_{uuid.uuid4().hex[:10]}"
    url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    config = load_config("onboarding", {"DB_POOL_SIZE": "3", "DB_MAX_OVERFLOW": "1",
                                        "DATABASE_URL": url})
    engine = make_engine(url, config["max_workers"], pool_size=config["DB_POOL_SIZE"],
                         max_overflow=config["DB_MAX_OVERFLOW"])
    engine.pool._timeout = 0.5
    held = []
    try:
        for _ in range(4):  # 3 kept and 1 at a peak: all granted
            held.append(engine.connect())
        with pytest.raises(PoolTimeout):  # the fifth waits, then gives up
            engine.connect()
        held.pop().close()
        with engine.connect() as conn:  # one came back: granted
            assert conn.execute(text("SELECT 1")).scalar() == 1
        admin = create_engine(PG_ADMIN)
        with admin.connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name}).scalar() <= 4
        admin.dispose()
    finally:
        for conn in held:
            conn.close()
        engine.dispose()
        drop_databases(name)
