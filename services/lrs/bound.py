"""A store transaction's statements bounded in time without a round trip of their
own (decision 0068).

``SET LOCAL statement_timeout`` sent alone is one more round trip to PostgreSQL per
transaction: about a tenth of the lrs's CPU under single statements. Here it goes in
front of the transaction's first statement, in the same query string: psycopg2 sends
both in one message and PostgreSQL runs them in order, the bound first.

Plain SQLAlchemy events; SQLite has no statement timeout and is left alone.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

PENDING = "lrs.bound"  # on the pooled connection: the SET still to send


def bound(session: Session, milliseconds: int) -> None:
    """Each of the session's transaction's statements ends within ``milliseconds``
    (or fails, as a cancelled query)."""
    engine = session.get_bind()
    if engine.dialect.name != "postgresql":
        return
    # before the transaction's connection exists: a connection sees the engine's
    # listeners as they were when it was made
    if not event.contains(engine, "before_cursor_execute", _in_front):
        _listen(engine)
    session.connection().info[PENDING] = (
        f"SET LOCAL statement_timeout = {int(milliseconds)}; ")


def _listen(engine: Engine) -> None:
    event.listen(engine, "before_cursor_execute", _in_front, retval=True)
    # a transaction that ends before its first statement (a batch refused by its
    # checks) must not bound the next one on the same connection
    event.listen(engine, "checkin", _forget)


def _in_front(conn, cursor, statement, parameters, context, executemany):
    pending = conn.info.pop(PENDING, None)
    if pending is not None:
        statement = pending + statement
    return statement, parameters


def _forget(dbapi_connection, record) -> None:
    record.info.pop(PENDING, None)
