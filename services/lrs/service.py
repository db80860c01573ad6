"""The lrs: xAPI statements stored, voided and queried (decision 0051).

The gateway's ``/xapi/`` routes check the requests' form and credentials and make one
RPC each; the statements' rules are checked here, once (``contracts.statements``).
"""

from __future__ import annotations

import base64
import logging
from datetime import timedelta

from nameko.timer import timer
from sqlalchemy.exc import OperationalError

from services.common.clock import Clock, now_in
from services.common.database import Database
from services.common.observability import EntrypointMetrics
from services.common.outage import serialize_error
from services.common.registry import ProcessFacts
from services.common.relay import Outbox
from services.common.rpc import register_errors
from services.common.rpc import rpc as nameko_rpc
from services.common.validation import load_or_raise

from . import attachments, documents, metrics, partitions, queries, store
from .bound import bound
from .contracts import rpc as schemas
from .contracts.errors import Invalid, LrsError
from .contracts.events import STATEMENTS_STORED_V1
from .contracts.statements import Part
from .models import Base, outbox_table

register_errors(LrsError)  # an RPC caller gets them back as themselves

# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=LrsError)

# a store transaction's statements each end within this on PostgreSQL, so every
# statement stored more than STORE_BOUND ago is committed (or never will be): the
# X-Experience-API-Consistent-Through of an answer
STATEMENT_TIMEOUT_MS = 2000
STORE_BOUND = timedelta(seconds=10)
# the statements one statements.stored.v1 carries at most, as stored: a quarter of
# RabbitMQ's default max_message_size
EVENT_MAX_BYTES = 4 * 1024 * 1024

STORE = schemas.StoreStatements()
GET = schemas.GetStatement()
QUERY = schemas.QueryStatements()
GET_ACTIVITY = schemas.GetActivity()
STORED = schemas.StoredStatements()
STORE_EACH = schemas.StoreEach()
ONE = schemas.OneStatement()
PAGE = schemas.StatementPage()
WRITE_DOCUMENT = schemas.WriteDocument()
ADDRESS = schemas.DocumentAddress()
LIST_DOCUMENTS = schemas.ListDocuments()
DELETE_DOCUMENTS = schemas.DeleteDocuments()
DOCUMENT = schemas.DocumentOut()
GET_ATTACHMENTS = schemas.GetAttachments()
ATTACHMENT = schemas.AttachmentOut(many=True)


# the months ahead are made at start and checked this often after (decision 0061)
PARTITION_CHECK_SECONDS = 3600


log = logging.getLogger(__name__)


def partitions_at_start(sessions, config) -> None:
    """At start, once the schema is at its head: this month's partitions and the
    next ones (``partitions.ensure``, under the schema's lock). Other copies may be
    storing meanwhile: a lock not had in time leaves it to the timer (the months
    are made two ahead of need), rather than hold their inserts up."""
    try:
        with sessions.begin() as session:
            partitions.ensure(session.connection(), now_in(config),
                              lock_timeout=partitions.LOCK_TIMEOUT)
    except OperationalError as busy:
        if getattr(busy.orig, "pgcode", None) != partitions.LOCK_NOT_AVAILABLE:
            raise
        log.warning("months ahead not made at start (a lock was busy): "
                    "the hourly timer makes them")


def scope_of(request: dict) -> tuple[str, str, str]:
    """A document request's institution, kind and scope key (popped from it)."""
    kind = request.pop("kind")
    scope = documents.scope_key(kind, request.pop("activity_id"),
                                request.pop("agent"), request.pop("registration"))
    return request.pop("institution_id"), kind, scope


def with_parts(request: dict) -> dict:
    """A store request with its attachments' data decoded (``Part``s)."""
    return {**request, "attachments": [
        Part(a["sha2"], base64.b64decode(a["content"]), a["content_type"])
        for a in request.get("attachments") or ()]}


def announced(outcomes: list[store.Stored],
              max_bytes: int = EVENT_MAX_BYTES) -> list[dict]:
    """The ``statements.stored.v1`` of one store transaction: one per institution
    whose statements it stored, in the order the requests came, none for a
    transaction that stored nothing new (decision 0064). One event rather than one
    per statement: tracking reads them to find the few about the catalogue.

    An institution's statements over ``max_bytes`` (as stored) go in several events:
    a combined call's statements, near RabbitMQ's 16 MiB message limit, would
    otherwise make an event the relay could never publish (decision 0065)."""
    events: list[dict] = []
    current: dict[str, tuple[dict, int]] = {}  # an institution's event being filled
    for outcome in outcomes:
        for fact in outcome.new:
            institution = fact["institution_id"]
            event, size = current.get(institution, (None, 0))
            if event is None or (event["statements"]
                                 and size + fact["size"] > max_bytes):
                event, size = {"institution_id": institution,
                               "stored": fact["stored"], "statements": []}, 0
                events.append(event)
            event["statements"].append(fact["statement"])
            current[institution] = (event, size + fact["size"])
    return events


def load(schema, payload) -> dict:
    try:
        return load_or_raise(schema, payload, Invalid)
    except Invalid as refused:  # marshmallow's messages, as violations
        raise Invalid([{"path": path, "rule": "request.field", "detail": str(detail)}
                       for path, detail in refused.violations.items()]) from None


class LrsService:
    name = "lrs"
    facts = ProcessFacts(ops_port=9106)

    db = Database(Base.metadata, on_ready=partitions_at_start)
    clock = Clock()
    # every store commits an event: relayed together, at most every 50 ms under load
    outbox = Outbox(outbox_table, event_pace=0.05)
    metrics = EntrypointMetrics()

    def _consistent_through(self):
        return self.clock() - STORE_BOUND

    @rpc
    def store_statements(self, payload: dict) -> dict:
        request = with_parts(load(STORE, payload))
        with self.db.begin() as session:
            bound(session, STATEMENT_TIMEOUT_MS)
            stored = store.store_statements(session, now=self.clock(), **request)
            self.outbox.add_many(session, STATEMENTS_STORED_V1, announced([stored]))
        self._count(stored)
        return STORED.dump({"ids": stored.ids,
                            "consistent_through": self._consistent_through()})

    @rpc
    def store_statements_each(self, payload: dict) -> list[dict]:
        """Callers' requests sent together: ``{"stored": …}`` or ``{"error": …}``
        (a serialized error) for each, in order. Written together when none is
        refused, else one by one in a new transaction (``store.write_together``):
        no savepoint to pay in the common case (decision 0065)."""
        requests = [with_parts(r) for r in load(STORE_EACH, payload)["requests"]]
        each = store.prepare_each(requests, self.clock())
        try:
            self._write_each(each, together=each.together)
        except LrsError:  # which came first matters: as if sent one after the other
            self._write_each(each, together=False)
        outcomes = each.outcomes
        through = self._consistent_through()
        answers = []
        for outcome in outcomes:
            if isinstance(outcome, store.Stored):
                self._count(outcome)
                answers.append({"stored": STORED.dump(
                    {"ids": outcome.ids, "consistent_through": through})})
            else:
                answers.append({"error": serialize_error(outcome)})
        return answers

    def _write_each(self, each: store.Each, together: bool) -> None:
        with self.db.begin() as session:
            bound(session, STATEMENT_TIMEOUT_MS)
            if together:
                store.write_together(session, each)
            else:
                store.write_one_by_one(session, each)
            self.outbox.add_many(session, STATEMENTS_STORED_V1,
                                 announced(each.stored()))

    @timer(interval=PARTITION_CHECK_SECONDS)
    def make_partitions(self) -> list[str]:
        """The months ahead, made before a statement needs them: the service's
        clock moves on while it runs. A lock held too long by another transaction
        makes it give up until the next tick rather than hold up the inserts."""
        with self.db.begin() as session:
            return partitions.ensure(session.connection(), self.clock(),
                                     lock_timeout=partitions.LOCK_TIMEOUT)

    @staticmethod
    def _count(stored: store.Stored) -> None:
        metrics.STATEMENTS_STORED.inc(len(stored.new))
        metrics.STATEMENTS_RESENT.inc(len(stored.ids) - len(stored.new))

    @rpc
    def get_statement(self, payload: dict) -> dict:
        request = load(GET, payload)
        request["languages"] = tuple(request["languages"])
        with self.db.begin() as session:
            found = queries.get_statement(session, **request)
        return ONE.dump({"statement": found,
                         "consistent_through": self._consistent_through()})

    @rpc
    def get_activity(self, payload: dict) -> dict:
        request = load(GET_ACTIVITY, payload)
        with self.db.begin() as session:
            return queries.activity(session, **request)

    @rpc
    def query_statements(self, payload: dict) -> dict:
        request = load(QUERY, payload)
        institution_id, more = request.pop("institution_id"), request.pop("more")
        with self.db.begin() as session:
            page = queries.query_statements(session, institution_id, request, more)
        return PAGE.dump({"statements": page.statements, "more": page.more,
                          "consistent_through": self._consistent_through()})

    @rpc
    def get_attachments(self, payload: dict) -> list[dict]:
        request = load(GET_ATTACHMENTS, payload)
        with self.db.begin() as session:
            found = attachments.read(session, request["institution_id"],
                                     request["sha2s"])
        return ATTACHMENT.dump([{**one, "content": base64.b64encode(
            one["content"]).decode()} for one in found])

    # -- documents: State, Activity Profile, Agent Profile ----------------------------
    @rpc
    def write_document(self, payload: dict) -> dict:
        request = load(WRITE_DOCUMENT, payload)
        institution_id, kind, scope = scope_of(request)
        content = base64.b64decode(request.pop("content"))
        with self.db.begin() as session:
            etag = documents.write(
                session, institution_id=institution_id, kind=kind, scope=scope,
                content=content, required=request.pop("precondition_required"),
                now=self.clock(), **request)
        return {"etag": etag}

    @rpc
    def get_document(self, payload: dict) -> dict:
        request = load(ADDRESS, payload)
        doc_id = request.pop("doc_id")
        with self.db.begin() as session:
            found = documents.read(session, *scope_of(request), doc_id)
        return DOCUMENT.dump({**found.__dict__,
                              "content": base64.b64encode(found.content).decode()})

    @rpc
    def list_documents(self, payload: dict) -> list[str]:
        request = load(LIST_DOCUMENTS, payload)
        since = request.pop("since")
        request.pop("doc_id")
        with self.db.begin() as session:
            return documents.ids(session, *scope_of(request), since)

    @rpc
    def delete_documents(self, payload: dict) -> None:
        request = load(DELETE_DOCUMENTS, payload)
        doc_id, if_match = request.pop("doc_id"), request.pop("if_match")
        with self.db.begin() as session:
            documents.remove(session, *scope_of(request), doc_id, if_match)
