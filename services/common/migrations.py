"""Each database's schema, made and changed by its owner's Alembic history at start.

A service's models name their history: ``Base.metadata.info["migrations"]`` is the
package path of the folder holding its ``versions/`` (``"services.onboarding:
migrations"``). There is no ``env.py`` anywhere: this module runs every history with
a configuration built in code, on the connection that holds the start lock.

At start (``migrate``), under the lock:

- an empty database is brought to the head of its history;
- a database made by ``create_all`` before there were histories (its tables there,
  no version) is the schema of the history's first revision: it is stamped so, then
  upgraded;
- a database with a version is upgraded from it (nothing to do at the head).

A metadata with no history (a test's own tables) gets its missing tables made.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from alembic.autogenerate import (
    compare_metadata,
    produce_migrations,
    render_python_code,
)
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine

HISTORY_KEY = "migrations"  # the key of a metadata's ``info`` that names its history
FIRST = "0001"  # every history's first revision: the schema create_all made before
# the schema's lock on PostgreSQL (advisory, held to the end of the transaction):
# copies of a process starting together change it one at a time
SCHEMA_LOCK = 74201


def history_of(metadata: MetaData) -> str | None:
    return metadata.info.get(HISTORY_KEY)


def configuration(location: str) -> Config:
    """Alembic's configuration of one history, made in code (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", location)
    return config


def migrate(engine: Engine, metadata: MetaData) -> None:
    """Bring the database to its history's head, once, even when several copies
    start together; a failed revision leaves the database as it was."""
    with _locked(engine) as conn:
        location = history_of(metadata)
        if location is None:
            metadata.create_all(conn)
            return
        config = configuration(location)
        script = ScriptDirectory.from_config(config)
        if _made_before_histories(conn):
            _run(conn, config, script, metadata, stamp=FIRST)
        _run(conn, config, script, metadata,
             lambda rev, context: script._upgrade_revs("head", rev))


def _made_before_histories(conn: Connection) -> bool:
    context = MigrationContext.configure(conn)
    if context.get_current_revision() is not None:
        return False
    tables = set(inspect(conn).get_table_names())
    return bool(tables - {context.version_table})


def _run(conn: Connection, config: Config, script: ScriptDirectory,
         metadata: MetaData, steps: Callable | None = None,
         stamp: str | None = None) -> None:
    with EnvironmentContext(config, script, fn=steps) as env:
        env.configure(connection=conn, target_metadata=metadata,
                      render_as_batch=True)
        if stamp is not None:
            env.get_context().stamp(script, stamp)
            return
        with env.begin_transaction():
            env.run_migrations()


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that no other copy's schema change overlaps.

    PostgreSQL: the advisory lock, released at commit or rollback. SQLite: ``BEGIN
    IMMEDIATE`` (the file's one writer) said by us, with foreign keys off: a table
    rebuilt by a revision (SQLite changes a constraint that way) is dropped and
    renamed while rows of other tables refer to it; they are checked before the
    commit. pysqlite would neither begin before DDL nor let the pragma change inside
    a transaction, so the connection is in autocommit and the transaction is ours.
    """
    with engine.connect() as conn:
        if engine.dialect.name != "sqlite":
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                 {"key": SCHEMA_LOCK})
                yield conn
            return
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"rows refer to rows missing: {broken[:5]}")
            except BaseException:
                if conn.connection.dbapi_connection.in_transaction:
                    conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def differences(conn: Connection, metadata: MetaData) -> list:
    """What the database lacks or has more than ``metadata`` says (none: alike)."""
    context = MigrationContext.configure(conn, opts=_comparing(conn))
    return compare_metadata(context, metadata)


def _comparing(conn: Connection) -> dict:
    """Alembic's options to compare a database with models: types too, and the
    partitions of a PostgreSQL partitioned table left out (made at run time, by
    month: the models name the partitioned table alone, decision 0061)."""
    if conn.dialect.name != "postgresql":
        return {"compare_type": True}
    partitions = set(conn.execute(text(
        "SELECT relname FROM pg_class WHERE relispartition")).scalars())
    return {"compare_type": True, "include_name": lambda name, kind, _parent: not (
        kind == "table" and name in partitions)}


# -- revisions ----------------------------------------------------------------------


def create_infrastructure_tables() -> None:
    """The outbox and the applied-events table as every history's first revision
    made them (``services.common.db.infrastructure_tables``). Frozen: a change to
    them is a new revision in every history."""
    op.create_table(
        "applied_events",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("consumer", sa.String(length=120), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "consumer"),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("message_id"),
    )
    pending = sa.text("published_at IS NULL")
    op.create_index("ix_outbox_unpublished", "outbox", ["kind", "seq"],
                    postgresql_where=pending, sqlite_where=pending)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(  # as db.infrastructure_tables says why
            "DO $$ BEGIN ALTER TABLE outbox ALTER COLUMN body SET COMPRESSION lz4;"
            " EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL; END $$")


def add_mail_progress() -> None:
    """The outbox's mail rows record how far they are sent and which relay sends
    them (decision 0057); the same revision in every history."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("mails_sent", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("claimed_by", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True),
                                   nullable=True))


def drop_mail_progress() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
        batch.drop_column("mails_sent")


def drop_infrastructure_tables() -> None:
    op.drop_table("outbox")
    op.drop_table("applied_events")


# -- a new revision: ``make migration SERVICE=onboarding MESSAGE="..."`` ---------------

REVISION = '''"""{message}

Revision {revision} of {owner}'s history, after {down}.
"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"


def upgrade() -> None:
{upgrade}


def downgrade() -> None:
{downgrade}
'''


def new_revision(owner: str, message: str, url: str = "sqlite://") -> Path:
    """Write the next revision of ``owner``'s history (a registered process type
    that owns its database): what its models have that the head lacks, as Alembic
    sees it on the database at ``url`` (an empty one; PostgreSQL also sees unnamed
    constraints). To be read and completed by hand: the data to carry, the names
    SQLite needs."""
    from .registry import process_class

    metadata = next(  # the tables of its database dependency
        value.metadata for value in vars(process_class(owner)).values()
        if isinstance(getattr(value, "metadata", None), MetaData))
    location = history_of(metadata)
    script = ScriptDirectory.from_config(configuration(location))
    engine = sa.create_engine(url)
    try:
        migrate(engine, MetaData(info=metadata.info))  # the head's tables, no more
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts=_comparing(conn))
            ops = produce_migrations(context, metadata)
    finally:
        engine.dispose()
    head = script.get_current_head()
    revision = f"{int(head) + 1:04d}"
    slug = "_".join(message.lower().split())[:48]
    path = Path(script.versions) / f"{revision}_{slug}.py"
    path.write_text(REVISION.format(
        message=message, revision=revision, down=head, owner=owner,
        upgrade=_body(render_python_code(ops.upgrade_ops, render_as_batch=True)),
        downgrade=_body(render_python_code(ops.downgrade_ops, render_as_batch=True)),
    ))
    return path


def _body(code: str) -> str:
    lines = [line for line in code.splitlines() if not line.lstrip().startswith("#")]
    return "\n".join(lines).rstrip() or "    pass"


def main(argv: list[str] | None = None) -> None:
    """``python -m services.common.migrations OWNER MESSAGE [EMPTY_DATABASE_URL]``."""
    print(new_revision(*(argv if argv is not None else sys.argv[1:])))


if __name__ == "__main__":
    main()
