"""The lrs: xAPI statements stored, voided and queried (decision 0051).

The gateway's ``/xapi/`` routes check the requests and credentials and make one RPC
each; the statements are checked here again (``contracts.statements``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from services.common.clock import Clock
from services.common.database import Database
from services.common.observability import EntrypointMetrics
from services.common.registry import ProcessFacts
from services.common.relay import Outbox
from services.common.rpc import register_errors
from services.common.rpc import rpc as nameko_rpc
from services.common.validation import load_or_raise

from . import metrics, queries, store
from .contracts import rpc as schemas
from .contracts.errors import Invalid, LrsError
from .contracts.events import STATEMENT_STORED_V1
from .models import Base, outbox_table

register_errors(LrsError)  # an RPC caller gets them back as themselves

# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=LrsError)

# a store transaction's statements each end within this on PostgreSQL, so every
# statement stored more than STORE_BOUND ago is committed (or never will be): the
# X-Experience-API-Consistent-Through of an answer
STATEMENT_TIMEOUT_MS = 2000
STORE_BOUND = timedelta(seconds=10)

STORE = schemas.StoreStatements()
GET = schemas.GetStatement()
QUERY = schemas.QueryStatements()
STORED = schemas.StoredStatements()
ONE = schemas.OneStatement()
PAGE = schemas.StatementPage()


def load(schema, payload) -> dict:
    try:
        return load_or_raise(schema, payload, Invalid)
    except Invalid as refused:  # marshmallow's messages, as violations
        raise Invalid([{"path": path, "rule": "request.field", "detail": str(detail)}
                       for path, detail in refused.violations.items()]) from None


class LrsService:
    name = "lrs"
    facts = ProcessFacts(ops_port=9106)

    db = Database(Base.metadata)
    clock = Clock()
    outbox = Outbox(outbox_table)
    metrics = EntrypointMetrics()

    def _consistent_through(self):
        return self.clock() - STORE_BOUND

    @rpc
    def store_statements(self, payload: dict) -> dict:
        request = load(STORE, payload)
        with self.db.begin() as session:
            if session.bind.dialect.name == "postgresql":
                session.execute(text(
                    f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"))
            stored = store.store_statements(session, now=self.clock(), **request)
            self.outbox.add_many(session, STATEMENT_STORED_V1, stored.new)
        metrics.STATEMENTS_STORED.inc(len(stored.new))
        metrics.STATEMENTS_RESENT.inc(len(stored.ids) - len(stored.new))
        return STORED.dump({"ids": stored.ids,
                            "consistent_through": self._consistent_through()})

    @rpc
    def get_statement(self, payload: dict) -> dict:
        request = load(GET, payload)
        request["languages"] = tuple(request["languages"])
        with self.db.begin() as session:
            found = queries.get_statement(session, **request)
        return ONE.dump({"statement": found,
                         "consistent_through": self._consistent_through()})

    @rpc
    def query_statements(self, payload: dict) -> dict:
        request = load(QUERY, payload)
        institution_id, more = request.pop("institution_id"), request.pop("more")
        with self.db.begin() as session:
            page = queries.query_statements(session, institution_id, request, more)
        return PAGE.dump({"statements": page.statements, "more": page.more,
                          "consistent_through": self._consistent_through()})
