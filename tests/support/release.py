"""The databases the previous release (80c74a8) left, with their rows: to load into
a new database, and every row of a database to compare before and after an upgrade.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg2
from sqlalchemy import create_engine, inspect, make_url, text

RELEASE = Path(__file__).resolve().parent / "release_80c74a8"
OWNERS = ("catalog", "onboarding", "licensing", "tracking", "gateway")


def load_release(url: str, owner: str) -> None:
    """The database as the release at 80c74a8 left it, with its data."""
    parsed = make_url(url)
    dialect = parsed.get_backend_name()
    sql = (RELEASE / dialect / f"{owner}.sql").read_text()
    if dialect == "sqlite":
        with sqlite3.connect(parsed.database) as conn:
            conn.executescript(sql)
        return
    conn = psycopg2.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                            dbname=parsed.database)
    try:
        with conn, conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def every_row(url: str, columns: dict[str, list[str]] | None = None) -> dict:
    """Each table's rows, of the given columns (default: those it has), comparable."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if columns is None:
                columns = {table: [c["name"] for c in inspect(conn).get_columns(table)]
                           for table in inspect(conn).get_table_names()}
            return {table: (names, sorted(repr(tuple(row)) for row in conn.execute(
                        text("SELECT " + ", ".join(f'"{n}"' for n in names)
                             + f' FROM "{table}"'))))
                    for table, names in columns.items()}
    finally:
        engine.dispose()


def every_key(url: str) -> dict:
    """Each table's primary keys, comparable: which rows there are, whatever their
    values (an upgrade keeps every row; the platform may then update some)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            keys = {table: inspect(conn).get_pk_constraint(table)["constrained_columns"]
                    for table in inspect(conn).get_table_names()}
    finally:
        engine.dispose()
    return every_row(url, {table: names for table, names in keys.items() if names})


def load_release_walk(url: str, owner: str) -> None:
    """The database as the release left it on ``url``'s engine, holding the rows of
    its SQLite walk, whose ids ``journey.json`` holds: on PostgreSQL, the release's
    own schema (its dump, emptied) filled with those rows, so that one journey goes
    on from either engine."""
    if make_url(url).get_backend_name() == "sqlite":
        load_release(url, owner)
        return
    load_release(url, owner)  # the schema as that release made it on PostgreSQL
    walked = sqlite3.connect(":memory:")
    walked.executescript((RELEASE / "sqlite" / f"{owner}.sql").read_text())
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tables = inspect(conn).get_table_names()
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
            # the rows in any order: the foreign keys hold once they are all in
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in tables:
                columns = inspect(conn).get_columns(table)
                names = [c["name"] for c in columns]
                rows = walked.execute(
                    "SELECT " + ", ".join(f'"{n}"' for n in names)
                    + f' FROM "{table}"').fetchall()
                if not rows:
                    continue
                convert = [_from_sqlite(c["type"]) for c in columns]
                insert = text(f'INSERT INTO "{table}" ('
                              + ", ".join(f'"{n}"' for n in names) + ") VALUES ("
                              + ", ".join(f":c{i}" for i in range(len(names))) + ")")
                conn.execute(insert, [
                    {f"c{i}": convert[i](value) for i, value in enumerate(row)}
                    for row in rows])
                for column in names:  # a serial column goes on after its rows
                    sequence = conn.execute(text("SELECT pg_get_serial_sequence("
                                                 ":t, :c)"), {"t": table, "c": column}
                                            ).scalar()
                    if sequence:
                        conn.execute(text(f'SELECT setval(:s, (SELECT max("{column}")'
                                          f' FROM "{table}"))'), {"s": sequence})
    finally:
        engine.dispose()
        walked.close()


def _from_sqlite(column_type):
    """How a value SQLite stored becomes one of PostgreSQL's column's type."""
    name = type(column_type).__name__.upper()
    if "BOOL" in name:
        return lambda value: None if value is None else bool(value)
    if "TIMESTAMP" in name or "DATETIME" in name:  # naive UTC text → aware
        return lambda value: value if value is None or "+" in value[10:] \
            else value + "+00:00"
    if "BYTEA" in name:
        return lambda value: value if value is None else psycopg2.Binary(value)
    return lambda value: value
