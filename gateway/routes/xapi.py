"""The xAPI 1.0.3 resources under ``/xapi/`` (decisions 0051, 0052): checked here,
stored and read by the lrs service, one RPC per request.

Every answer carries ``X-Experience-API-Version``; every request but ``/xapi/about``
must send it. Credentials are HTTP Basic (an operator's client) or the platform's
bearer token (a learner). Any refusal is a problem+json whose ``errors`` name each
broken rule (``rule``) and where (``field``). These routes are xAPI's, not part of
the OpenAPI document.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime

from nameko.exceptions import deserialize
from werkzeug.wrappers import Response

from services.common.jsoncodec import DocumentRefused, read_document
from services.lrs.contracts.errors import Forbidden, Invalid, LrsError
from services.lrs.contracts.rpc import BATCH_MAX, FORMATS
from services.lrs.contracts.statements import (
    IFIS,
    StatementInvalid,
    agent_violations,
    check_statements,
    is_iri,
    is_uuid,
    violations,
)

from .. import lrs_clients
from ..auth import Unauthenticated
from ..errors import ApiError
from ..http import Api, json_response
from .base import RouteBase

VERSION = "1.0.3"
VERSION_HEADER = "X-Experience-API-Version"
CONSISTENT = "X-Experience-API-Consistent-Through"
_ACCEPTED_VERSION = re.compile(r"^1\.0(\.\d+)?$")
BODY_MAX_BYTES = 8 * 1024 * 1024  # a batch of 1,000 statements of 8 KiB
# requests of up to this many statements share a call with those arriving meanwhile
# (at most GATEWAY_BATCH_MAX requests: 6,400 statements in one transaction)
COMBINED_MAX = 100
ONE = ("statementId", "voidedStatementId")
QUERY = ("agent", "verb", "activity", "registration", "since", "until", "limit",
         "format", "attachments", "ascending", "related_activities", "related_agents")
BOOLEAN = {"true": True, "false": False}
READS = ("GET", "HEAD")  # Werkzeug answers HEAD with a GET route, without the body


def refused(path: str, rule: str, detail: str) -> Invalid:
    return Invalid([{"path": path, "rule": rule, "detail": detail}])


class Xapi(Api):
    """An xAPI resource: the version header, the LRS's credentials, its headers."""

    documented = False

    def __init__(self, method: str, url: str, versioned: bool = True,
                 authenticated: bool = True, **kwargs):
        self.versioned = versioned
        self.authenticated = authenticated
        super().__init__(method, url, **kwargs)

    def principal(self, request) -> lrs_clients.Caller | None:
        if self.versioned:
            version = request.headers.get(VERSION_HEADER)
            if version is None:
                raise refused(VERSION_HEADER, "request.version-header",
                              f"send the {VERSION_HEADER} header (1.0.3)")
            if not _ACCEPTED_VERSION.match(version.strip()):
                raise refused(VERSION_HEADER, "request.version-header",
                              f"version {version!r} is not supported: send 1.0.3")
        if not self.authenticated:
            return None
        header = request.headers.get("Authorization", "")
        scheme, _, credential = header.partition(" ")
        public_url = self.container.config["PUBLIC_URL"]
        if scheme.lower() == "basic":
            key, secret = basic_credentials(credential.strip())
            caller = self.clients().authenticate(key, secret, public_url)
            if caller is None:
                raise Unauthenticated("unknown or revoked LRS client credentials")
            return caller
        if scheme.lower() == "bearer":
            principal = self.bearer(credential.strip())
            if principal.role != "learner" or principal.institution_id is None:
                raise Forbidden([{"path": "Authorization", "rule": "auth.learner-token",
                                  "detail": "only a learner's token or an LRS "
                                            "client's credentials may use the LRS"}])
            return lrs_clients.learner_caller(principal.subject,
                                              principal.institution_id, public_url)
        raise Unauthenticated("send an LRS client's credentials (Authorization: Basic) "
                              "or a learner's token (Authorization: Bearer)")

    def clients(self) -> lrs_clients.Clients:
        """The clients' credentials, shared by the xAPI routes of this process."""
        if getattr(self.server, "lrs_clients", None) is None:
            # a revoked client's credentials work this long at most, like a token's
            refresh = float(self.container.config.get("REVOCATION_REFRESH_SECONDS", 5))
            self.server.lrs_clients = lrs_clients.Clients(self.sessions(), refresh)
        return self.server.lrs_clients

    def handle_request(self, request):
        response = super().handle_request(request)
        response.headers[VERSION_HEADER] = VERSION
        if response.status_code == 401:
            response.headers["WWW-Authenticate"] = 'Basic realm="continuity-xapi"'
        return response


xapi = Xapi.decorator


def basic_credentials(credential: str) -> tuple[str, str]:
    try:
        text = base64.b64decode(credential, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Unauthenticated("the Basic credentials are not base64 of key:secret") \
            from None
    key, colon, secret = text.partition(":")
    if not colon:
        raise Unauthenticated("the Basic credentials are not key:secret")
    return key, secret


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


def only_params(request, allowed: tuple[str, ...]) -> None:
    for name in request.args:
        if name not in allowed:
            raise refused(name, "request.parameters",
                          f"{name!r} is not a parameter of this resource")
    for name, values in request.args.lists():
        if len(values) > 1:
            raise refused(name, "request.parameters", f"{name!r} is given twice")


def check_one(statement) -> None:
    found = violations(statement)
    if found:
        raise Invalid([v.as_dict() for v in found])


def boolean_param(request, name: str) -> bool:
    raw = request.args.get(name, "false")
    if raw not in BOOLEAN:
        raise refused(name, "query.boolean", f"{name} must be true or false")
    return BOOLEAN[raw]


def timestamp_param(request, name: str) -> str | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise refused(name, "query.timestamp",
                      f"{name} must be an ISO 8601 timestamp with its offset")
    return moment.isoformat()


def languages_of(request) -> list[str]:
    return [value for value, _ in request.accept_languages][:10]


class XapiRoutes(RouteBase):
    @xapi("GET", "/xapi/about", versioned=False, authenticated=False)
    def xapi_about(self, request, caller):
        return json_response({"version": [VERSION], "extensions": {}})

    # -- writing ----------------------------------------------------------------------
    def _store(self, caller, statements: list) -> dict:
        if lrs_clients.WRITE not in caller.scopes:
            raise Forbidden([{"path": "Authorization", "rule": "auth.scope",
                              "detail": "these credentials may not write statements "
                                        f"(scope {lrs_clients.WRITE})"}])
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
    def _reader(self, caller) -> str | None:
        """The owner whose statements the caller may read; None: all of them."""
        if caller.may_read_all():
            return None
        if lrs_clients.READ_MINE in caller.scopes:
            return caller.owner
        raise Forbidden([{"path": "Authorization", "rule": "auth.scope",
                          "detail": "these credentials may not read statements "
                                    f"(scope {lrs_clients.READ} or "
                                    f"{lrs_clients.READ_MINE})"}])

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


def check_one_id(name: str, value: str) -> None:
    if not is_uuid(value):
        raise refused(name, "query.uuid", f"{name} must be a UUID")


def format_param(request) -> str:
    value = request.args.get("format", "exact")
    if value not in FORMATS:
        raise refused("format", "query.format",
                      f"format must be one of {', '.join(FORMATS)}")
    return value


def agent_param(raw: str) -> dict:
    try:
        agent = read_document(raw.encode())
    except DocumentRefused:
        agent = None
    if not isinstance(agent, dict):
        raise refused("agent", "query.agent-json", "agent must be an Agent as JSON")
    found = agent_violations(agent)
    if found or not any(key in agent for key in IFIS):
        raise Invalid([{"path": "agent", "rule": "query.agent-identified",
                        "detail": "agent must be an Agent or identified Group: "
                                  + (found[0].detail if found else
                                     "one inverse functional identifier")}])
    return agent


def http_date(stored: str) -> str:
    moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


# -- documents: State, Activity Profile, Agent Profile ------------------------------
# resource: (kind, its parameters, the id's parameter, PUT needs a precondition)
DOCUMENTS = {
    "/xapi/activities/state": ("state", ("activityId", "agent", "registration"),
                               "stateId", False),
    "/xapi/activities/profile": ("activity-profile", ("activityId",), "profileId",
                                 True),
    "/xapi/agents/profile": ("agent-profile", ("agent",), "profileId", True),
}


def own_documents(caller, kind: str, agent: dict | None, method: str) -> None:
    """A learner reads and writes the State and Agent Profile documents of their own
    agent (the account the LRS names them by), and only reads Activity Profiles."""
    if not caller.owner.startswith("learner:"):
        return
    mine = kind != "activity-profile" and agent is not None and agent.get(
        "account") == caller.authority["account"] and not any(
        key in agent for key in IFIS if key != "account")
    if not mine and not (kind == "activity-profile" and method in READS):
        raise Forbidden([{"path": "agent", "rule": "auth.own-documents",
                          "detail": "a learner's token reaches the documents of "
                                    "their own agent only"}])


class XapiDocumentRoutes(XapiRoutes):
    """The document resources, next to the statements (whose scope checks they use)."""

    def _address(self, request, caller, resource: str) -> tuple[dict, str, bool]:
        kind, params, id_param, required = DOCUMENTS[resource]
        only_params(request, (*params, id_param, "since"))
        address = {"institution_id": caller.institution_id, "kind": kind,
                   "doc_id": request.args.get(id_param)}
        if "activityId" in params:
            if "activityId" not in request.args:
                raise refused("activityId", "document.activity-id-required",
                              "send the activityId parameter")
            if not is_iri(request.args["activityId"]):
                raise refused("activityId", "document.activity-id-iri",
                              "activityId must be an absolute IRI")
            address["activity_id"] = request.args["activityId"]
        if "agent" in params:
            if "agent" not in request.args:
                raise refused("agent", "document.agent-required",
                              "send the agent parameter")
            address["agent"] = agent_param(request.args["agent"])
        if "registration" in request.args:
            check_one_id("registration", request.args["registration"])
            address["registration"] = request.args["registration"]
        own_documents(caller, kind, address.get("agent"), request.method)
        return address, id_param, required

    def _document(self, request, caller, resource: str):
        address, id_param, required = self._address(request, caller, resource)
        if request.method in READS:
            self._reader(caller)
        elif lrs_clients.WRITE not in caller.scopes:
            raise Forbidden([{"path": "Authorization", "rule": "auth.scope",
                              "detail": "these credentials may not write documents "
                                        f"(scope {lrs_clients.WRITE})"}])
        if request.method in ("PUT", "POST"):
            return self._write_document(request, address, id_param, required)
        if "since" in request.args and (request.method not in READS
                                        or address["doc_id"] is not None):
            raise refused("since", "request.parameters",
                          "since is a parameter of the id lists only")
        if request.method == "DELETE":
            if address["doc_id"] is None and resource != "/xapi/activities/state":
                raise refused(id_param, "document.id-required",
                              f"send the {id_param} parameter")
            self.call(self.lrs_rpc.delete_documents,
                      {**address, "if_match": request.headers.get("If-Match")})
            return Response(status=204)
        if address["doc_id"] is None:
            return json_response(self.call(self.lrs_rpc.list_documents, {
                **address, "since": timestamp_param(request, "since")}))
        found = self.call(self.lrs_rpc.get_document, address)
        return Response(base64.b64decode(found["content"]),
                        content_type=found["content_type"], headers={
                            "ETag": f'"{found["etag"]}"',
                            "Last-Modified": http_date(found["updated"])})

    def _write_document(self, request, address, id_param, required):
        if address["doc_id"] is None:
            raise refused(id_param, "document.id-required",
                          f"send the {id_param} parameter")
        if (request.content_length or 0) > BODY_MAX_BYTES:
            raise ApiError(413, "payload-too-large",
                           f"the body exceeds {BODY_MAX_BYTES} bytes")
        content = request.get_data(cache=False)
        merge = request.method == "POST"
        if merge and (request.mimetype or "").lower() != "application/json":
            raise refused("Content-Type", "document.merge-json-objects",
                          "a POST merges JSON objects: send application/json")
        written = self.call(self.lrs_rpc.write_document, {
            **address, "content": base64.b64encode(content).decode(),
            "content_type": request.content_type or "application/octet-stream",
            "merge": merge, "if_match": request.headers.get("If-Match"),
            "if_none_match": request.headers.get("If-None-Match"),
            "precondition_required": required and not merge})
        return Response(status=204, headers={"ETag": f'"{written["etag"]}"'})

    # -- what the LRS knows of an activity, of an agent ------------------------------
    @xapi("GET", "/xapi/activities")
    def xapi_activity(self, request, caller):
        self._reader(caller)
        only_params(request, ("activityId",))
        activity_id = request.args.get("activityId")
        if not is_iri(activity_id):
            raise refused("activityId", "query.activity-iri",
                          "send activityId, an absolute IRI")
        return json_response(self.call(self.lrs_rpc.get_activity, {
            "institution_id": caller.institution_id, "activity_id": activity_id}))

    @xapi("GET", "/xapi/agents")
    def xapi_person(self, request, caller):
        """The Person Object of an agent: what the request names, each property as
        a list (the LRS links no identifiers of one person together)."""
        self._reader(caller)
        only_params(request, ("agent",))
        if "agent" not in request.args:
            raise refused("agent", "query.agent-required", "send the agent parameter")
        agent = agent_param(request.args["agent"])
        person = {"objectType": "Person"}
        for key in ("name", *IFIS):
            if key in agent:
                person[key] = [agent[key]]
        return json_response(person)

    @xapi("GET,PUT,POST,DELETE", "/xapi/activities/state")
    def xapi_state(self, request, caller):
        return self._document(request, caller, "/xapi/activities/state")

    @xapi("GET,PUT,POST,DELETE", "/xapi/activities/profile")
    def xapi_activity_profile(self, request, caller):
        return self._document(request, caller, "/xapi/activities/profile")

    @xapi("GET,PUT,POST,DELETE", "/xapi/agents/profile")
    def xapi_agent_profile(self, request, caller):
        return self._document(request, caller, "/xapi/agents/profile")
