"""The database dependency: one engine per process, the schema ensured at start.

Service code: ``with self.db.begin() as session:`` commits or rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache

from nameko.extensions import DependencyProvider
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on PostgreSQL and on SQLite alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def infrastructure_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The outbox and the applied-events table, in a service's own metadata."""
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("message_id", String(36), nullable=False, unique=True),
        Column("kind", String(16), nullable=False),  # "event" or "mail"
        Column("topic", String(120), nullable=False),  # event type or recipient
        Column("body", JSON, nullable=False),
        Column("correlation_id", String(64)),
        Column("created_at", UTCDateTime, nullable=False, default=utcnow),
        Column("published_at", UTCDateTime),
        Index("ix_outbox_pending", "kind", "published_at", "seq"),
    )
    applied = Table(
        "applied_events",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("consumer", String(120), primary_key=True),
        Column("applied_at", UTCDateTime, nullable=False, default=utcnow),
    )
    return outbox, applied


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    ensure_database(url)
    return create_engine(
        # no pre-ping: it was ~10% of a busy service's CPU (a round trip per
        # transaction). A connection the server dropped fails its transaction once,
        # SQLAlchemy discards the pool's stale connections, and the work is retried:
        # an event goes back to its queue, an HTTP caller gets a 503 to retry.
        url, pool_size=10, max_overflow=20, pool_recycle=1800,
        executemany_mode="values_plus_batch",  # batches of rows in one statement
    )


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of this service if it is missing."""
    parsed = make_url(url)
    admin = create_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"),
                {"n": parsed.database},
            ).scalar()
            if not exists:
                try:
                    conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
                except (ProgrammingError, IntegrityError):
                    pass  # another copy created it meanwhile (already exists, or
                    # the race lost on pg_database's unique index)
    finally:
        admin.dispose()


def ensure_schema(engine: Engine, metadata: MetaData) -> None:
    """Create missing tables, once, even when several copies start together."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(74201)"))
        metadata.create_all(conn)


def insert_ignore(session: Session, table: Table, rows: list[dict]) -> int:
    """INSERT … ON CONFLICT DO NOTHING on both dialects; returns rows inserted.

    Counted from RETURNING: with several rows psycopg2's batches report the rowcount
    of their last statement only. RETURNING also lets SQLAlchemy send the rows as
    multi-row VALUES statements instead of one statement per row.
    """
    if not rows:
        return 0
    key = next(iter(table.primary_key.columns))
    statement = insert_ignore_statement(session.get_bind().dialect.name, table)
    return len(session.execute(statement.returning(key), rows).all())


def insert_ignore_returning(
    session: Session, table: Table, rows: list[dict], column: str
) -> set:
    """Like insert_ignore, in batched statements; the ``column`` of the rows inserted."""
    if not rows:
        return set()
    statement = insert_ignore_statement(session.get_bind().dialect.name, table)
    return set(session.scalars(statement.returning(table.c[column]), rows))


@cache
def insert_ignore_statement(dialect: str, table: Table):
    """``INSERT … ON CONFLICT DO NOTHING`` into ``table`` for the dialect, built once
    (add ``.returning(…)`` to learn which rows went in)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing()


@contextmanager
def autocommit_session(sessions: sessionmaker) -> Iterator[Session]:
    """A session whose every statement commits at once on PostgreSQL (a plain
    transaction elsewhere): for a short write on a row everyone wants, so that its
    lock lasts one statement, not the round trips of a transaction."""
    engine = sessions.kw["bind"]
    if engine.dialect.name != "postgresql":
        with sessions.begin() as session:
            yield session
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        with Session(bind=conn, expire_on_commit=False) as session:
            yield session


class Database(DependencyProvider):
    """Injects a ``sessionmaker``; creates this service's database and schema."""

    def __init__(self, metadata: MetaData, on_ready: Callable | None = None):
        self.metadata = metadata
        self.on_ready = on_ready

    def setup(self) -> None:
        url = self.container.config["DATABASE_URL"]
        self.engine = make_engine(url)
        ensure_schema(self.engine, self.metadata)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.on_ready is not None:
            self.on_ready(self.sessions, self.container.config)

    def ready(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def stop(self) -> None:
        self.engine.dispose()

    def kill(self) -> None:
        self.engine.dispose()

    def get_dependency(self, worker_ctx) -> sessionmaker:
        return self.sessions


class DataFile(DependencyProvider):
    """Data operators edit (rules, plans): loaded at start from a path in config."""

    def __init__(self, loader: Callable, config_key: str):
        self.loader = loader
        self.config_key = config_key

    def setup(self) -> None:
        self.value = self.loader(self.container.config.get(self.config_key) or None)

    def get_dependency(self, worker_ctx):
        return self.value
