"""The OpenAPI 3 document, built from what each route declares (gateway.http.Api)."""

from __future__ import annotations

import re
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema

from .http import Api
from .schemas import Problem

PATH_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
ERRORS = {
    400: "Malformed request",
    401: "Missing or invalid bearer token",
    403: "Not allowed now: `reason` says why (no seat, licence expired or revoked)",
    404: "Not found (or not yours)",
    409: "Conflicts with the current state",
    410: "Gone (an invitation or a password-reset link already used or expired)",
    413: "Body too large",
    415: "Unsupported media type",
    422: "Invalid fields: see errors",
    429: "Too many requests: see Retry-After",
    503: "A service, the broker or a database is away: retry after Retry-After",
}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before trying again",
                               "schema": {"type": "integer"}}}
ROLE_TEXT = {"operator": "operators", "institution_admin": "institution admins (own "
             "institution)", "learner": "learners (themselves)", "partner": "partners"}


def routes(service_cls) -> list[tuple[str, Api]]:
    found = []
    for name in dir(service_cls):
        for entrypoint in getattr(getattr(service_cls, name), "nameko_entrypoints", ()):
            if isinstance(entrypoint, Api) and entrypoint.documented:
                found.append((name, entrypoint))
    return sorted(found, key=lambda r: (r[1].url, r[1].method))


def schema_name(schema: type[Schema]) -> str:
    return schema.__name__


@cache
def build(service_cls, server_url: str = "/") -> dict:
    spec = APISpec(
        title="Continuity API", version="1.0.0", openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=lambda s: None)],
        info={"description": "Apply, onboard, license, learn and monitor. Errors are "
              "application/problem+json (RFC 9457). Send X-Request-Id to trace a call."},
        servers=[{"url": server_url}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"})
    spec.components.schema("Problem", schema=Problem)
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
                   "and 409 while the first request still runs",
}


def operation(name: str, route: Api) -> dict:
    op: dict = {"operationId": name, "summary": route.summary or name.replace("_", " "),
                "tags": list(route.tags) or [route.url.split("/")[3] if route.url.startswith("/api/v1/") else "ops"]}
    params = [{"in": "path", "name": p, "required": True, "schema": {"type": "string"}}
              for p in PATH_PARAM.findall(route.url)]
    if route.query is not None:
        params.append({"in": "query", "schema": route.query})
    if route.idempotent:
        params.append(IDEMPOTENCY_KEY)
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": route.body}}}
    responses: dict = {}
    for status, shape in (route.responses or {200: "OK"}).items():
        if isinstance(shape, str):
            responses[str(status)] = {"description": shape}
        else:
            responses[str(status)] = {"description": "OK",
                                      "content": {"application/json": {"schema": shape}}}
    problem = {"content": {"application/problem+json": {"schema": "Problem"}}}
    for status, text in ERRORS.items():
        answer = {"description": text, **problem}
        if status in (429, 503):
            answer["headers"] = RETRY_AFTER
        responses.setdefault(str(status), answer)
    if route.roles:
        op["security"] = [{"bearer": []}]
        op["description"] = "For " + ", ".join(ROLE_TEXT[r] for r in sorted(route.roles)) + "."
    op["responses"] = responses
    return op
