"""Bulk SQL: many rows in one statement, on PostgreSQL and on SQLite alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def insert_ignore(session: Session, table: Table, rows: list[dict]) -> int:
    """INSERT … ON CONFLICT DO NOTHING on both dialects; returns rows inserted.

    Counted from RETURNING: with several rows psycopg2's batches report the rowcount
    of their last statement only.
    """
    key = next(iter(table.primary_key.columns)).name
    return len(bulk_insert(session.connection(), table, rows, ignore_conflicts=True,
                           returning=(key,)))


def insert_ignore_returning(
    session: Session, table: Table, rows: list[dict], column: str,
    expect_new: bool = False,
) -> set:
    """Like insert_ignore; the ``column`` of the rows inserted (``expect_new``: see
    ``bulk_insert``)."""
    inserted = bulk_insert(session.connection(), table, rows, ignore_conflicts=True,
                           returning=(column,), expect_new=expect_new)
    return {row[0] for row in inserted}


UNIQUE_VIOLATION = "23505"
# below, the savepoint's two round trips cost more than the clause they spare;
# class-sized rosters are above it and still gain (decision 0018)
EXPECT_NEW_ROWS = 50


def bulk_insert(
    conn: Connection, table: Table, rows: list[dict], *,
    ignore_conflicts: bool = False, update: tuple[str, ...] = (),
    update_where: str | None = None, returning: tuple = (),
    expect_new: bool = False,
) -> list[tuple]:
    """Insert ``rows`` (dicts with the same keys) in one statement; the ``returning``
    columns of the rows written (names, or SQL expressions such as a
    ``literal_column``). With ``ignore_conflicts``, a row already there is
    skipped; with ``update``, a row whose primary key is there already sets those
    columns instead, where ``update_where`` holds (SQL; ``excluded`` is the new row).

    On PostgreSQL several rows go in as one array per column
    (``INSERT … SELECT * FROM unnest(…)``): one text parameter per column instead
    of thousands of bound values, planned in a fraction of a millisecond. A roster batch
    of 1,000 learners costs SQLAlchemy's multi-row VALUES about twice as much CPU,
    most of it compiling and binding parameters, plus the server's planning of the
    constants. Elsewhere, and for one row, SQLAlchemy's own insert.

    ``expect_new`` (with ``ignore_conflicts``): the rows are new but for a rare
    conflict (a learner's first seat, a file's new members), so a batch of
    ``EXPECT_NEW_ROWS`` or more goes in by a plain INSERT in a savepoint; at a
    conflict it is rolled back and the batch goes in with ``ON CONFLICT DO
    NOTHING``. That clause checks every key before and after its row is written,
    the dearest part of a batch's insert for the server (decision 0018).
    """
    if not rows:
        return []
    if conn.dialect.name == "postgresql" and len(rows) > 1:
        columns = _Columns.of(table, conn.dialect, tuple(rows[0]))
        try:
            same, parameters = (None, None) if columns is None else (
                columns.parameters(rows))
        except TypeError:  # a value with no array literal: SQLAlchemy binds it
            parameters = None
        if parameters is not None:
            if (ignore_conflicts and expect_new and not update
                    and len(rows) >= EXPECT_NEW_ROWS):
                # every row goes in, or none: what the rows give is what they wrote
                given = all(isinstance(name, str) and name in columns.keys
                            for name in returning)
                plain = columns.statement(False, (), None, () if given else returning,
                                          same)
                try:
                    with conn.begin_nested():
                        result = conn.exec_driver_sql(plain, tuple(parameters))
                        if given:
                            return [tuple(row[key] for key in returning)
                                    for row in rows] if returning else []
                        return _returned(result, returning)
                except IntegrityError as error:
                    if getattr(error.orig, "pgcode", None) != UNIQUE_VIOLATION:
                        raise  # a missing value, a bad reference: as before
            sql = columns.statement(ignore_conflicts, update, update_where, returning,
                                    same)
            return _returned(conn.exec_driver_sql(sql, tuple(parameters)), returning)
    if update:
        statement = dialect_insert(conn.dialect.name)(table)
        statement = statement.on_conflict_do_update(
            index_elements=list(table.primary_key.columns),
            set_={name: statement.excluded[name] for name in update},
            where=text(update_where) if update_where else None)
    elif ignore_conflicts:
        statement = insert_ignore_statement(conn.dialect.name, table)
    else:
        statement = table.insert()
    if returning:
        statement = statement.returning(*(
            table.c[name] if isinstance(name, str) else name for name in returning))
        return [tuple(row) for row in conn.execute(statement, rows)]
    conn.execute(statement, rows)
    return []


def _returned(result, returning: tuple) -> list[tuple]:
    """The rows a statement returned, from the driver's cursor: SQLAlchemy's row
    objects, one by one, cost twice as much for a batch of 1,000."""
    if not returning:
        return []
    rows = result.cursor.fetchall()
    result.close()
    return rows


def _text(value: object) -> str:
    """A value's text form, as PostgreSQL reads it for the column's type."""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime | date | int | float | Decimal):
        return value.isoformat() if isinstance(value, date) else str(value)
    raise TypeError(f"no array literal for {type(value).__name__}")


def _array_item(value: object) -> str:
    """One element of a PostgreSQL array literal (``NULL`` or a quoted text)."""
    if value is None:
        return "NULL"
    return '"' + _text(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _array_items(column: list, process: Callable | None) -> list[str]:
    """Each value's array item, made once per object: the rows of a batch of events
    share a few timestamps and states, which would otherwise be formatted once per
    row (decision 0018)."""
    made: dict[int, str] = {}
    items = []
    for value in column:
        item = made.get(id(value))
        if item is None:
            item = made[id(value)] = _array_item(
                value if process is None else process(value))
        items.append(item)
    return items


def _text_array(values: list) -> str | None:
    """The array literal of a column of strings, escaped in one pass over the whole
    column (a batch's ids, e-mails, names); None if one is not a string."""
    try:
        joined = "\x00".join(values)
    except TypeError:  # None, a number: item by item
        return None
    if joined.count("\x00") != len(values) - 1:
        return None  # a value holds NUL itself: item by item (PostgreSQL refuses it)
    if "\\" in joined or '"' in joined:
        joined = joined.replace("\\", "\\\\").replace('"', '\\"')
    return '{"' + joined.replace("\x00", '","') + '"}'


class _Columns:
    """How rows with given keys go into a table as arrays: the columns written (the
    keys, then columns with a Python-side default), their bind processors, the SQL."""

    _known: dict[tuple, _Columns | None] = {}

    @classmethod
    def of(cls, table: Table, dialect, keys: tuple[str, ...]) -> _Columns | None:
        """None when a default needs SQLAlchemy's execution context."""
        known = (table, dialect.name, keys)
        if known not in cls._known:
            try:
                cls._known[known] = cls(table, dialect, keys)
            except TypeError:
                cls._known[known] = None
        return cls._known[known]

    def __init__(self, table: Table, dialect, keys: tuple[str, ...]):
        self.table = table
        self.keys = keys
        self.defaults = []
        for column in table.columns:
            if column.name in keys or column.default is None:
                continue  # a value given, or NULL, a server default, a sequence
            default = column.default
            if not (default.is_scalar or default.is_callable):
                raise TypeError(f"{column.name}: default needs SQLAlchemy")
            self.defaults.append((column.name, default))
        names = [*keys, *(name for name, _ in self.defaults)]
        self.dialect = dialect
        self.quote = dialect.identifier_preparer.quote
        self.processors = [table.c[name].type._cached_bind_processor(dialect)
                           for name in names]
        self.casts = [table.c[name].type.compile(dialect=dialect) for name in names]
        written = [self.quote(table.c[name].name) for name in names]  # key → name
        self.into = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
                     f"({', '.join(written)}) ")
        self._statements: dict[tuple, str] = {}

    def _insert(self, same: tuple[bool, ...]) -> str:
        """The INSERT … SELECT: a column whose value is the same for every row (a
        batch's licence, time, status) is that one value, the others are arrays.

        unnest makes each array a temporary table of the batch's rows: a repeated
        value sent once spares the server unpacking it for every row, and the client
        writing it for every row (decision 0013).
        """
        varying = [n for n, one in enumerate(same) if not one]
        select = [f"%s::{cast}" if one else f"c{n}"
                  for n, (cast, one) in enumerate(zip(self.casts, same, strict=True))]
        return (self.into + f"SELECT {', '.join(select)} FROM unnest("
                + ", ".join(f"%s::{self.casts[n]}[]" for n in varying)
                + ") AS batch(" + ", ".join(f"c{n}" for n in varying) + ")")

    def statement(self, ignore_conflicts: bool, update: tuple[str, ...],
                  update_where: str | None, returning: tuple,
                  same: tuple[bool, ...]) -> str:
        key = (ignore_conflicts, update, update_where, returning, same)
        if key not in self._statements:
            sql = self._insert(same)
            if update:
                target = ", ".join(self.quote(c.name) for c in self.table.primary_key)
                names = [self.quote(self.table.c[key].name) for key in update]
                sql += f" ON CONFLICT ({target}) DO UPDATE SET " + ", ".join(
                    f"{name} = excluded.{name}" for name in names)
                if update_where:
                    sql += f" WHERE {update_where}"
            elif ignore_conflicts:
                sql += " ON CONFLICT DO NOTHING"
            if returning:
                sql += " RETURNING " + ", ".join(
                    self.quote(self.table.c[key].name) if isinstance(key, str)
                    else str(key.compile(dialect=self.dialect)) for key in returning)
            self._statements[key] = sql.replace("%", "%%").replace("%%s::", "%s::")
        return self._statements[key]

    def parameters(self, rows: list[dict]) -> tuple[tuple[bool, ...], list]:
        """Which columns hold the same value in every row, and the statement's
        parameters: those values (as text), then the other columns' arrays."""
        columns = [[row[key] for row in rows] for key in self.keys]
        for _name, default in self.defaults:
            if default.is_scalar:
                columns.append([default.arg] * len(rows))
            else:
                columns.append([default.arg(None) for _ in rows])
        same, values, arrays = [], [], []
        for column, process in zip(columns, self.processors, strict=True):
            first = column[0]
            if all(v is first for v in column):  # a batch's timestamp, its job id
                value = first if process is None else process(first)
                same.append(True)
                values.append(None if value is None else _text(value))
                continue
            literal = (_text_array(column) if isinstance(first, str) and process is None
                       else None)
            same.append(False)
            arrays.append(
                literal or "{" + ",".join(_array_items(column, process)) + "}")
        if not arrays:  # every row alike: one array says how many
            same[0] = False
            item = _array_item(values.pop(0))
            arrays.append("{" + ",".join([item] * len(rows)) + "}")
        return tuple(same), values + arrays


def dialect_insert(dialect: str):
    """The dialect's ``insert`` (the one that knows ``ON CONFLICT``)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


@cache
def insert_ignore_statement(dialect: str, table: Table):
    """``INSERT … ON CONFLICT DO NOTHING`` into ``table`` for a dialect, built once."""
    return dialect_insert(dialect)(table).on_conflict_do_nothing()
