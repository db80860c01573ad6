"""``/xapi/statements``: PUT one, POST one or a batch, GET one or a page of a query
(Communication 2.1)."""

from __future__ import annotations

from nameko.exceptions import deserialize
from werkzeug.wrappers import Response

from services.common.jsoncodec import DocumentRefused, read_document
from services.lrs.contracts.errors import Invalid, LrsError
from services.lrs.contracts.rpc import BATCH_MAX
from services.lrs.contracts.statements import (
    StatementInvalid,
    check_statements,
    is_iri,
    violations,
)

from ...errors import ApiError
from ...http import json_response
from .common import (
    BODY_MAX_BYTES,
    CONSISTENT,
    XapiBase,
    agent_param,
    boolean_param,
    check_one_id,
    format_param,
    http_date,
    languages_of,
    only_params,
    refused,
    timestamp_param,
    xapi,
)

# requests of up to this many statements share a call with those arriving meanwhile
# (at most GATEWAY_BATCH_MAX requests: 6,400 statements in one transaction)
COMBINED_MAX = 100
ONE = ("statementId", "voidedStatementId")
QUERY = ("agent", "verb", "activity", "registration", "since", "until", "limit",
         "format", "attachments", "ascending", "related_activities", "related_agents")


def statements_body(request):
    """The body: a statement (a JSON object) or an array of them."""
    kind = (request.mimetype or "").lower()
    if kind != "application/json":
        rule = ("request.attachments-not-yet" if kind == "multipart/mixed"
                else "request.content-type")
        raise refused("Content-Type", rule, "send application/json (statements with "
                      "attachments in multipart/mixed are not taken yet)"
                      if kind == "multipart/mixed" else "send application/json")
    if (request.content_length or 0) > BODY_MAX_BYTES:
        raise ApiError(413, "payload-too-large",
                       f"the body exceeds {BODY_MAX_BYTES} bytes")
    raw = request.get_data(cache=False)
    if len(raw) > BODY_MAX_BYTES:
        raise ApiError(413, "payload-too-large",
                       f"the body exceeds {BODY_MAX_BYTES} bytes")
    try:
        return read_document(raw or b"")
    except DocumentRefused as exc:
        raise refused(exc.field or "body", "request.json",
                      f"the body is not JSON xAPI can take: {exc.reason}") from None



def check_one(statement) -> None:
    found = violations(statement)
    if found:
        raise Invalid([v.as_dict() for v in found])



class XapiStatementRoutes(XapiBase):
    # -- writing ----------------------------------------------------------------------
    def _store(self, caller, statements: list) -> dict:
        self._writer(caller, "statements")
        request = {"institution_id": caller.institution_id,
                   "authority": caller.authority, "owner": caller.owner,
                   "statements": statements}
        if len(statements) > COMBINED_MAX:  # a transaction of its own already
            return self.call(self.lrs_rpc.store_statements, request)
        # requests arriving together go to the lrs as one call (gateway/combiner.py)
        return self.statement_batches.submit(request, self._store_each)

    def _store_each(self, requests: list[dict]) -> list:
        if len(requests) == 1:  # alone: no savepoint to pay
            try:
                return [self.call(self.lrs_rpc.store_statements, requests[0])]
            except LrsError as refused:
                return [refused]
        outcomes = self.call(self.lrs_rpc.store_statements_each,
                             {"requests": requests})
        return [deserialize(o["error"]) if "error" in o else o["stored"]
                for o in outcomes]

    @xapi("PUT", "/xapi/statements")
    def xapi_put_statement(self, request, caller):
        only_params(request, ("statementId",))
        ident = request.args.get("statementId")
        if ident is None:
            raise refused("statementId", "request.statement-id-required",
                          "PUT needs the statementId parameter")
        statement = statements_body(request)
        if not isinstance(statement, dict):
            raise refused("body", "request.one-statement", "PUT takes one statement")
        if str(statement.get("id", ident)).lower() != ident.lower():
            raise refused("id", "request.statement-id-matches",
                          "the statement's id differs from statementId")
        statement = {**statement, "id": ident}
        check_one(statement)
        stored = self._store(caller, [statement])
        return Response(status=204, headers={CONSISTENT: stored["consistent_through"]})

    @xapi("POST", "/xapi/statements")
    def xapi_post_statements(self, request, caller):
        only_params(request, ())
        body = statements_body(request)
        if isinstance(body, dict):
            check_one(body)
            statements = [body]
        elif isinstance(body, list) and 1 <= len(body) <= BATCH_MAX:
            try:
                check_statements(body)
            except StatementInvalid as exc:
                raise Invalid([v.as_dict() for v in exc.violations]) from None
            statements = body
        else:
            raise refused("body", "request.statements",
                          "send a statement or an array of 1 to "
                          f"{BATCH_MAX} statements")
        stored = self._store(caller, statements)
        return json_response(stored["ids"],
                             headers={CONSISTENT: stored["consistent_through"]})


    # -- reading ----------------------------------------------------------------------
    @xapi("GET", "/xapi/statements")
    def xapi_get_statements(self, request, caller):
        owner = self._reader(caller)
        given = [name for name in ONE if name in request.args]
        if given:
            return self._one(request, caller, owner, given)
        if "more" in request.args:
            only_params(request, ("more",))
            page = self.call(self.lrs_rpc.query_statements, {
                "institution_id": caller.institution_id, "owner": owner,
                "more": request.args["more"]})
        else:
            page = self.call(self.lrs_rpc.query_statements,
                             self._query(request, caller, owner))
        more = f"/xapi/statements?more={page['more']}" if page["more"] else ""
        return json_response({"statements": page["statements"], "more": more},
                             headers={CONSISTENT: page["consistent_through"]})

    def _one(self, request, caller, owner, given: list[str]):
        only_params(request, (*given, "format", "attachments"))
        if len(given) > 1:
            raise refused("voidedStatementId", "request.parameters",
                          "send statementId or voidedStatementId, not both")
        ident = request.args[given[0]]
        check_one_id(given[0], ident)
        boolean_param(request, "attachments")
        found = self.call(self.lrs_rpc.get_statement, {
            "institution_id": caller.institution_id, "statement_id": ident,
            "voided": given[0] == "voidedStatementId", "owner": owner,
            "format": format_param(request), "languages": languages_of(request)})
        return json_response(found["statement"], headers={
            CONSISTENT: found["consistent_through"],
            "Last-Modified": http_date(found["statement"]["stored"])})

    def _query(self, request, caller, owner) -> dict:
        only_params(request, QUERY)
        boolean_param(request, "attachments")
        query = {"institution_id": caller.institution_id, "owner": owner,
                 "format": format_param(request), "languages": languages_of(request),
                 "ascending": boolean_param(request, "ascending"),
                 "related_agents": boolean_param(request, "related_agents"),
                 "related_activities": boolean_param(request, "related_activities"),
                 "since": timestamp_param(request, "since"),
                 "until": timestamp_param(request, "until")}
        limit = request.args.get("limit", "0")
        if not limit.isdigit() or len(limit) > 9:
            raise refused("limit", "query.limit", "limit must be a whole number ≥ 0")
        query["limit"] = int(limit)
        if "agent" in request.args:
            query["agent"] = agent_param(request.args["agent"])
        for name, rule in (("verb", "query.verb-iri"),
                           ("activity", "query.activity-iri")):
            if name in request.args:
                value = request.args[name]
                if not is_iri(value):
                    raise refused(name, rule, f"{name} must be an absolute IRI")
                query[name] = value
        if "registration" in request.args:
            check_one_id("registration", request.args["registration"])
            query["registration"] = request.args["registration"]
        return query


