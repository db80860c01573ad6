"""``/xapi/statements``: PUT one, POST one or a batch, GET one or a page of a query
(Communication 2.1)."""

from __future__ import annotations

import base64
import json

from nameko.exceptions import deserialize
from werkzeug.wrappers import Response

from services.common.jsoncodec import DocumentRefused, read_document
from services.lrs.contracts.errors import LrsError
from services.lrs.contracts.rpc import BATCH_MAX
from services.lrs.contracts.statements import Part, is_iri, referenced_hashes

from ...errors import ApiError
from ...http import json_response
from . import multipart
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
# requests of at least this many statements are combined among themselves, with
# calls in flight side by side: their call's own cost is small beside their
# statements' (decision 0065)
BULK_FROM = 10
# a multipart/mixed request: its statements (at most BODY_MAX_BYTES) and its
# attachments, read whole, base64 in one RPC (13.4 MiB at most: under RabbitMQ 4's
# default max_message_size of 16 MiB), stored in one transaction
MULTIPART_MAX_BYTES = 10 * 1024 * 1024
ONE = ("statementId", "voidedStatementId")
QUERY = ("agent", "verb", "activity", "registration", "since", "until", "limit",
         "format", "attachments", "ascending", "related_activities", "related_agents")


def statements_body(request) -> tuple[object, list[Part]]:
    """The body: a statement (a JSON object) or an array of them, and the
    attachments' parts of a multipart/mixed request (none for application/json)."""
    kind = (request.mimetype or "").lower()
    if kind not in ("application/json", "multipart/mixed"):
        raise refused("Content-Type", "request.content-type",
                      "send application/json, or multipart/mixed for statements "
                      "with their attachments")
    limit = BODY_MAX_BYTES if kind == "application/json" else MULTIPART_MAX_BYTES
    if (request.content_length or 0) > limit:
        raise too_large(kind, limit)
    raw = read_at_most(request.stream, limit + 1)  # never more than the limit held
    if len(raw) > limit:
        raise too_large(kind, limit)
    parts: list[Part] = []
    if kind == "multipart/mixed":
        raw, parts = attachment_parts(raw, request.mimetype_params.get("boundary"))
    try:
        return read_document(raw or b""), parts
    except DocumentRefused as exc:
        raise refused(exc.field or "body", "request.json",
                      f"the statements are not JSON xAPI can take: {exc.reason}") \
            from None


def read_at_most(stream, size: int) -> bytes:
    """The body, up to ``size`` bytes: a read may return less than asked."""
    chunks, held = [], 0
    while held < size:
        chunk = stream.read(min(size - held, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        held += len(chunk)
    return b"".join(chunks)


def too_large(kind: str, limit: int) -> ApiError:
    return ApiError(413, "payload-too-large",
                    f"the body exceeds {limit} bytes, the most an {kind} request "
                    "may carry")


def attachment_parts(body: bytes, boundary: str | None) -> tuple[bytes, list[Part]]:
    """The statements' JSON (the first part) and the attachments (the others)."""
    first, *rest = multipart.split(body, boundary)
    if multipart.mimetype(first.headers) != "application/json":
        raise refused("body", "multipart.statements-first",
                      "the first part of a multipart/mixed request is the "
                      "statements, Content-Type: application/json")
    if len(first.content) > BODY_MAX_BYTES:
        raise ApiError(413, "payload-too-large",
                       f"the statements part exceeds {BODY_MAX_BYTES} bytes")
    parts = []
    for n, raw in enumerate(rest):
        where = f"attachments[{n}]"
        if multipart.HASH_HEADER.lower() not in raw.headers:
            raise refused(where, "multipart.hash-header",
                          f"each attachment's part has an {multipart.HASH_HEADER} "
                          "header: the SHA-2 of its content")
        if raw.headers.get("content-transfer-encoding", "").lower() != "binary":
            raise refused(where, "multipart.transfer-encoding-binary",
                          "each attachment's part has the header "
                          "Content-Transfer-Encoding: binary")
        parts.append(Part(raw.headers[multipart.HASH_HEADER.lower()], raw.content,
                          multipart.mimetype(raw.headers) or None))
    return first.content, parts


FIRST = "[0]."  # the first statement's paths, as the lrs names a batch's


def as_single(error: LrsError) -> None:
    """The lrs checks every request as a batch (``[0].actor.mbox``); a request of
    one statement hears of its rules as that statement's (``actor.mbox``)."""
    error.violations = [
        {**v, "path": v["path"][len(FIRST):]} if v["path"].startswith(FIRST) else v
        for v in error.violations]


class XapiStatementRoutes(XapiBase):
    # -- writing ----------------------------------------------------------------------
    def _store(self, caller, statements: list, parts: list[Part],
               single: bool = False) -> dict:
        """The statements stored; the lrs checks them (the rules of
        ``contracts.statements``), once, with those of the requests it writes with
        them (decision 0067)."""
        try:
            return self._send_to_store(caller, statements, parts)
        except LrsError as error:
            if single:
                as_single(error)
            raise

    def _send_to_store(self, caller, statements: list, parts: list[Part]) -> dict:
        self._writer(caller, "statements")
        request = {"institution_id": caller.institution_id,
                   "authority": caller.authority, "owner": caller.owner,
                   "statements": statements}
        if parts:  # up to MULTIPART_MAX_BYTES: a call of its own
            request["attachments"] = [
                {"sha2": p.sha2, "content_type": p.content_type,
                 "content": base64.b64encode(p.content).decode()} for p in parts]
            return self.call(self.lrs_rpc.store_statements, request)
        if len(statements) > COMBINED_MAX:  # a transaction of its own already
            return self.call(self.lrs_rpc.store_statements, request)
        # requests arriving together go to the lrs as one call (gateway/combiner.py)
        batches = self.statement_bulk if len(statements) >= BULK_FROM \
            else self.statement_batches
        return batches.submit(request, self._store_each)

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
        statement, parts = statements_body(request)
        if not isinstance(statement, dict):
            raise refused("body", "request.one-statement", "PUT takes one statement")
        if str(statement.get("id", ident)).lower() != ident.lower():
            raise refused("id", "request.statement-id-matches",
                          "the statement's id differs from statementId")
        stored = self._store(caller, [{**statement, "id": ident}], parts, single=True)
        return Response(status=204, headers={CONSISTENT: stored["consistent_through"]})

    @xapi("POST", "/xapi/statements")
    def xapi_post_statements(self, request, caller):
        only_params(request, ())
        body, parts = statements_body(request)
        if isinstance(body, dict):
            statements = [body]
        elif isinstance(body, list) and 1 <= len(body) <= BATCH_MAX:
            statements = body
        else:
            raise refused("body", "request.statements",
                          "send a statement or an array of 1 to "
                          f"{BATCH_MAX} statements")
        stored = self._store(caller, statements, parts, single=isinstance(body, dict))
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
            only_params(request, ("more", "attachments"))
            page = self.call(self.lrs_rpc.query_statements, {
                "institution_id": caller.institution_id, "owner": owner,
                "more": request.args["more"]})
        else:
            page = self.call(self.lrs_rpc.query_statements,
                             self._query(request, caller, owner))
        with_attachments = boolean_param(request, "attachments")
        more = ""
        if page["more"]:  # the next page of the same query, in the same form
            more = f"/xapi/statements?more={page['more']}" + (
                "&attachments=true" if with_attachments else "")
        return self._answer(caller, {"statements": page["statements"], "more": more},
                            page["statements"], with_attachments,
                            {CONSISTENT: page["consistent_through"]})

    def _answer(self, caller, result, statements: list, with_attachments: bool,
                headers: dict):
        """JSON, or with ``attachments=true`` multipart/mixed: the JSON, then the
        data of every attachment the statements name that the LRS holds (by sha2;
        one with a fileUrl whose data was never sent is not there)."""
        if not with_attachments:
            return json_response(result, headers=headers)
        hashes = referenced_hashes(statements)
        found = self.call(self.lrs_rpc.get_attachments, {
            "institution_id": caller.institution_id, "sha2s": hashes}) if hashes \
            else []
        body, content_type = multipart.join(
            json.dumps(result, ensure_ascii=False).encode(),
            [(a["sha2"], a["content_type"], base64.b64decode(a["content"]))
             for a in found])
        return Response(body, content_type=content_type, headers=headers)

    def _one(self, request, caller, owner, given: list[str]):
        only_params(request, (*given, "format", "attachments"))
        if len(given) > 1:
            raise refused("voidedStatementId", "request.parameters",
                          "send statementId or voidedStatementId, not both")
        ident = request.args[given[0]]
        check_one_id(given[0], ident)
        with_attachments = boolean_param(request, "attachments")
        found = self.call(self.lrs_rpc.get_statement, {
            "institution_id": caller.institution_id, "statement_id": ident,
            "voided": given[0] == "voidedStatementId", "owner": owner,
            "format": format_param(request), "languages": languages_of(request)})
        return self._answer(caller, found["statement"], [found["statement"]],
                            with_attachments, {
                                CONSISTENT: found["consistent_through"],
                                "Last-Modified": http_date(
                                    found["statement"]["stored"])})

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


