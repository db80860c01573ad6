"""Monthly partitions of the statements and their links on PostgreSQL (decision 0061).

Both tables are partitioned by range of ``stored``, one partition a month, named
``<table>_YYYY_MM``, plus ``<table>_default`` for a row no month holds yet. Months
are made ahead: by revision 0003, at every start (``ensure``, under the schema's
advisory lock) and by the service's hourly timer, always ``AHEAD`` months past the
current one, so the default partition is a safety net that stays empty. Should a
row land there anyway (a clock far ahead, a timer stopped for months), ``ensure``
moves its month's rows into the month's partition as it makes it: PostgreSQL would
refuse to make a partition whose range the default partition holds rows of.

SQLite (``make run``, the tests) has one plain table: ``ensure`` does nothing there.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection

from services.common.migrations import SCHEMA_LOCK

TABLES = ("statements", "statement_links")
AHEAD = 2  # months made past the current one
# making a month waits this long for its locks, then gives up until the next tick:
# while it waits, the stores queue behind it (their statements hold the default
# partition's lock, which attaching a month takes alone), and each of their
# statements gives up after 2 s (service.STATEMENT_TIMEOUT_MS)
LOCK_TIMEOUT = "1s"
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's error when lock_timeout runs out


def month_of(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    return start.replace(year=start.year + start.month // 12,
                         month=start.month % 12 + 1)


def months(first: datetime, last: datetime) -> list[datetime]:
    """The first instant of every month from ``first``'s to ``last``'s."""
    found, month = [], month_of(first)
    while month <= last:
        found.append(month)
        month = next_month(month)
    return found


def name_of(table: str, month: datetime) -> str:
    return f"{table}_{month:%Y_%m}"


def ensure(conn: Connection, now: datetime, ahead: int = AHEAD,
           lock_timeout: str | None = None,
           since: datetime | None = None) -> list[str]:
    """Make the partitions of ``now``'s month and the ``ahead`` next ones that are
    missing (and from ``since``'s month on, if given: rows loaded from the past),
    in the caller's transaction; the names of those made."""
    if conn.dialect.name != "postgresql":
        return []
    if lock_timeout is not None:
        conn.execute(text(f"SET LOCAL lock_timeout = '{lock_timeout}'"))
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    wanted = months(min(since or now, now), _add_months(month_of(now), ahead))
    return [name for table in TABLES for month in wanted
            if (name := make_month(conn, table, month))]


def make_month(conn: Connection, table: str, month: datetime) -> str | None:
    """The month's partition of ``table`` (its name), unless there is one already.

    Made apart then attached: ATTACH takes a lock that lets inserts into the table go
    on (CREATE ... PARTITION OF would stop them), and the rows of that month found
    in the default partition move into it first."""
    name = name_of(table, month)
    if _exists(conn, name):
        return None
    end = next_month(month)
    bounds = {"start": month, "end": end}
    conn.execute(text(f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS)"))
    default = f"{table}_default"
    if _exists(conn, default):
        conn.execute(text(
            f"WITH moved AS (DELETE FROM {default} WHERE stored >= :start"
            f" AND stored < :end RETURNING *) INSERT INTO {name} SELECT * FROM moved"),
            bounds)
    conn.execute(text(
        f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM"
        f" ('{month.isoformat()}') TO ('{end.isoformat()}')"))
    return name


def make_default(conn: Connection, table: str) -> None:
    conn.execute(text(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT"))


def partition_of(conn: Connection, table: str, where: str, values: dict) -> list[str]:
    """The partitions holding ``table``'s rows that match ``where`` (for tests and
    operators: ``tableoid``)."""
    return list(conn.execute(text(
        f"SELECT tableoid::regclass::text FROM {table} WHERE {where}"), values
    ).scalars())


def _exists(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT to_regclass(:name) IS NOT NULL"),
                        {"name": name}).scalar()


def _add_months(month: datetime, count: int) -> datetime:
    for _ in range(count):
        month = next_month(month)
    return month
