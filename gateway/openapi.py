"""The OpenAPI 3 document, built from what each route declares (gateway.http.Api).

Every marshmallow schema becomes a named component (generated clients get named
types); each operation lists only the errors it can give, derived from what it
declares (``errors_of``) plus the ones only it knows (``errors=``).
"""

from __future__ import annotations

import re
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, resolver

from .http import Api
from .schemas import Problem


class Answer:
    """A documented response that is not a JSON schema: its text, media type, the
    schema of its body and its headers, e.g. ``Answer("The table", "text/csv")``."""

    def __init__(self, description: str, media_type: str | None = None,
                 schema=None, headers: dict | None = None):
        self.description, self.media_type = description, media_type
        self.schema = schema if schema is not None else {"type": "string"}
        self.headers = dict(headers or {})


PATH_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
JSON = "application/json"
ROLE_TEXT = {"operator": "operators", "institution_admin": "institution admins (own "
             "institution)", "learner": "learners (themselves)", "partner": "partners"}
REQUEST_ID = {"$ref": "#/components/headers/RequestId"}
RETRY_AFTER = {"$ref": "#/components/headers/RetryAfter"}


def routes(service_cls) -> list[tuple[str, Api]]:
    found = []
    for name in dir(service_cls):
        for entrypoint in getattr(getattr(service_cls, name), "nameko_entrypoints", ()):
            if isinstance(entrypoint, Api) and entrypoint.documented:
                found.append((name, entrypoint))
    return sorted(found, key=lambda r: (r[1].url, r[1].method))


@cache
def build(service_cls, server_url: str = "/") -> dict:
    spec = APISpec(
        title="Continuity API", version="1.0.0", openapi_version="3.0.3",
        # each schema a component named after its class (ApplicationRequest, ...)
        plugins=[MarshmallowPlugin(schema_name_resolver=resolver)],
        info={"description": "Apply, onboard, license, learn and monitor. Errors are "
              "application/problem+json (RFC 9457) with the fields and reasons in "
              "`errors`. Send X-Request-Id to trace a call: every answer carries it."},
        servers=[{"url": server_url}],
    )
    spec.components.security_scheme("bearer", {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "A token from POST /api/v1/auth/token (operators, institution "
                       "admins, learners)"})
    spec.components.security_scheme("partnerKey", {
        "type": "http", "scheme": "bearer", "bearerFormat": "ck_…",
        "description": "A partner's API key, issued once by an operator "
                       "(POST /api/v1/partners), sent as a bearer token"})
    spec.components.schema("Problem", schema=Problem)
    spec.components.header("RequestId", {
        "description": "The request's id: the one sent, or one made for it; logs "
                       "and audit records name the request by it",
        "required": True, "schema": {"type": "string"}})
    spec.components.header("RetryAfter", {
        "description": "Seconds to wait before trying again", "required": True,
        "schema": {"type": "integer"}})
    spec.components.parameter("RequestId", "header", {
        "name": "X-Request-Id", "required": False,
        "schema": {"type": "string", "maxLength": 200},
        "description": "Your id for this request (else one is made): the answer "
                       "carries it back"})
    paths: dict[str, dict] = {}
    for name, route in routes(service_cls):
        path = PATH_PARAM.sub(r"{\1}", route.url)
        for method in route.method.lower().split(","):
            paths.setdefault(path, {})[method] = operation(name, route)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


IDEMPOTENCY_KEY = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": "Makes a retry safe: the same key and body within the keys' "
                   "lifetime give the first answer (header Idempotent-Replayed) "
                   "without doing it again; the same key with another body is 422, "
                   "and 409 while the first request still runs. Send a random "
                   "value (a UUID): the kept answer is sealed with it",
}


def errors_of(route: Api) -> dict[int, str]:
    """The errors a route can give, from what it declares: its path values, roles,
    body, query, idempotency key, rate limit and whether it calls a service; then
    its own (``errors=``) and the error answers it documents itself."""
    found: dict[int, str] = {}
    takes_body = route.body is not None or bool(route.content)
    if PATH_PARAM.search(route.url):
        found[400] = "The path is not UTF-8"
        found[404] = "Not found (or not yours)"
    if takes_body:
        found[400] = "Malformed body: not JSON, or not UTF-8"
        found[413] = "Body too large"
    if takes_body or route.query is not None or route.idempotent:
        found[422] = "Invalid fields: `errors` names each field and why"
    if route.roles:
        found[401] = "Missing, invalid, expired or revoked credentials"
        found[404] = "Not found (or not yours, or not a route for your role)"
    if route.idempotent:
        found[409] = "The first request with this Idempotency-Key still runs: retry"
    if route.rate_limit:
        found[429] = "Too many requests: see Retry-After"
    if not route.local:
        found[503] = "A service, the broker or a database is away: retry after " \
                     "Retry-After"
    found.update(route.errors)
    for status, shape in route.responses.items():
        if status >= 400 and isinstance(shape, str):
            found[status] = shape
    return dict(sorted(found.items()))


def operation(name: str, route: Api) -> dict:
    tag = route.url.split("/")[3] if route.url.startswith("/api/v1/") else "ops"
    op: dict = {"operationId": name, "summary": route.summary or name.replace("_", " "),
                "tags": list(route.tags) or [tag]}
    params: list = [{"in": "path", "name": p, "required": True,
                     "schema": {"type": "string"}}
                    for p in PATH_PARAM.findall(route.url)]
    if route.query is not None:
        params.append({"in": "query", "schema": route.query})
    if route.idempotent:
        params.append(IDEMPOTENCY_KEY)
    if 304 in route.responses:
        params.append({"in": "header", "name": "If-None-Match", "required": False,
                       "schema": {"type": "string"},
                       "description": "The ETag of the copy you hold: 304 if it "
                                      "still holds"})
    params.append("RequestId")  # the component below, by name
    op["parameters"] = params
    if route.body is not None or route.content:
        content = {JSON: {"schema": route.body}} if route.body is not None else {}
        content.update({media: {"schema": schema}
                        for media, schema in route.content.items()})
        op["requestBody"] = {"required": True, "content": content}
    responses: dict = {}
    for status, shape in (route.responses or {200: "OK"}).items():
        if status >= 400 and isinstance(shape, str):
            continue  # an error of its own: below, as a problem
        responses[str(status)] = answer(shape)
    problem = {"application/problem+json": {"schema": "Problem"}}
    for status, text in errors_of(route).items():
        error = {"description": text, "content": problem,
                 "headers": {"X-Request-Id": REQUEST_ID}}
        if status in (429, 503):
            error["headers"]["Retry-After"] = RETRY_AFTER
        responses[str(status)] = error
    if route.roles:
        schemes = (["partnerKey"] if "partner" in route.roles else []) + \
                  (["bearer"] if route.roles - {"partner"} else [])
        op["security"] = [{scheme: []} for scheme in schemes]
        op["description"] = "For " + ", ".join(
            ROLE_TEXT[r] for r in sorted(route.roles)) + "."
    op["responses"] = responses
    return op


def answer(shape) -> dict:
    """One documented answer: a text (no body), a JSON schema, or an ``Answer``."""
    headers = {"X-Request-Id": REQUEST_ID}
    if isinstance(shape, str):
        return {"description": shape, "headers": headers}
    if not isinstance(shape, Answer):
        return {"description": "OK", "headers": headers,
                "content": {JSON: {"schema": shape}}}
    headers.update(shape.headers)
    out = {"description": shape.description, "headers": headers}
    if shape.media_type:
        types = shape.media_type
        types = types if isinstance(types, tuple) else (types,)
        out["content"] = {media: {"schema": shape.schema} for media in types}
    return out
