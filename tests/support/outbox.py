"""The real outbox's writes for worker_factory tests: events serialised into the
same transaction as the change, into the service's own outbox table."""

from __future__ import annotations

from types import SimpleNamespace

from services.common.outbox import BoundOutbox


def table_outbox(table) -> BoundOutbox:
    return BoundOutbox(SimpleNamespace(table=table, wake=None),
                       SimpleNamespace(context_data={}))
