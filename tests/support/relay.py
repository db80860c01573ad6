"""A service with nothing but a database and its outbox relay, for relay tests."""

from __future__ import annotations

from sqlalchemy import MetaData, func, select

from services.common.database import Database
from services.common.db import infrastructure_tables
from services.common.relay import Outbox

metadata = MetaData()
outbox_table, _applied = infrastructure_tables(metadata)


class RelayOnly:
    """A service with nothing but a database and its outbox relay."""

    name = "relaytest"
    db = Database(metadata)
    outbox = Outbox(outbox_table)


def pending(container) -> int:
    """Outbox rows the container's relay has not published yet."""
    db = next(d for d in container.extensions if isinstance(d, Database))
    with db.sessions.begin() as session:
        return session.scalar(select(func.count()).where(
            outbox_table.c.published_at.is_(None)))
