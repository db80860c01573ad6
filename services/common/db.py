"""The database, plain: engines, the schema, column types, the time of day.

No nameko here: domain code and models import it. The dependency that injects a
session maker is :mod:`services.common.database`; bulk SQL is
:mod:`services.common.bulk`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import (
    DDL,
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

from . import jsoncodec

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
        # a mail row's first mails already sent, and the relay sending it until when
        # (a claim it renews): a relay killed mid-row leaves the rest to another,
        # which sends again only the mails that were in flight (decision 0057)
        Column("mails_sent", Integer, nullable=False, server_default="0"),
        Column("claimed_by", String(36)),
        Column("claimed_until", UTCDateTime),
    )
    # the relay's queue: only rows still to publish, in order; published rows (kept
    # for days) leave it, so each batch reads the pending rows and nothing else
    pending = outbox.c.published_at.is_(None)
    Index("ix_outbox_unpublished", outbox.c.kind, outbox.c.seq,
          postgresql_where=pending, sqlite_where=pending)
    # a roster batch's bodies are large and compressed as they are stored: lz4
    # stores and reads them for less CPU than PostgreSQL's default pglz (decision
    # 0015; a server built without lz4, or before PostgreSQL 14, keeps pglz)
    event.listen(outbox, "after_create", DDL(
        "DO $$ BEGIN ALTER TABLE outbox ALTER COLUMN body SET COMPRESSION lz4;"
        " EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL; END $$"
    ).execute_if(dialect="postgresql"))
    applied = Table(
        "applied_events",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("consumer", String(120), primary_key=True),
        Column("applied_at", UTCDateTime, nullable=False, default=utcnow),
    )
    return outbox, applied


# JSON columns (outbox bodies, job errors) through orjson
JSON_CODEC = {"json_serializer": jsoncodec.dumps, "json_deserializer": jsoncodec.loads}


def make_engine(url: str, workers: int = 10, pool_size: int = 0,
                max_overflow: int = 10) -> Engine:
    """An engine whose pool keeps a connection per worker (and the relay's): a
    connection made and dropped per transaction costs PostgreSQL a process fork.

    ``pool_size`` (0: that many) caps it where the server's ``max_connections`` is
    shared by more processes than it fits: a worker then waits for a connection (up
    to 30 s) instead of the server refusing one ("too many clients")."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **JSON_CODEC)

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
        # no pre-ping: a round trip per transaction costs a busy service much CPU
        # for a rare case (decision 0010). A connection the server dropped fails its
        # transaction once, SQLAlchemy discards the pool's stale connections, and the
        # work is retried: an event goes back to its queue, an HTTP caller gets a 503.
        url, pool_size=pool_size or max(10, workers + 2), max_overflow=max_overflow,
        pool_recycle=1800,
        executemany_mode="values_plus_batch",  # batches of rows in one statement
        **JSON_CODEC,
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
    """Bring the schema to the head of its history, once, even when several copies
    start together (``services.common.migrations``)."""
    from .migrations import migrate  # Alembic loads where a schema is made, only

    migrate(engine, metadata)

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
