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
