"""The gateway's HTTP entrypoint: correlation id, auth, problem+json, RED metrics."""

from __future__ import annotations

import json
import logging
import socket
import time
from datetime import timedelta
from functools import partial
from urllib.parse import parse_qsl

import eventlet
from eventlet.event import Event
from nameko.extensions import DependencyProvider
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer, WsgiApp
from prometheus_client import Counter, Histogram
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Request, Response

from services.common.db import utcnow
from services.common.jsoncodec import DocumentRefused, read_document
from services.common.observability import sane_correlation_id
from services.common.validation import printable, text_problem

from . import answer_headers, auth, idempotency
from .auth import Principal, Unauthenticated
from .errors import EXPECTED, ApiError, headers_for, problem_for
from .limits import limits_from_config
from .partners.keys import KEY_PREFIX
from .request_headers import GatewayProtocol, install_header_parser

log = logging.getLogger("gateway.http")
access_log = logging.getLogger("gateway.access")

HTTP_REQUESTS = Counter(
    "continuity_http_requests_total", "HTTP requests", ["route", "method", "status"]
)
HTTP_SECONDS = Histogram(
    "continuity_http_request_duration_seconds", "HTTP request duration",
    ["route", "method"],
    buckets=(0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JSON = "application/json"
PROBLEM = "application/problem+json"


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, default=str), status=status,
        headers=headers, content_type=JSON,
    )


def problem_response(exc: BaseException, correlation_id: str | None = None) -> Response:
    body = problem_for(exc)
    if body["status"] >= 500:
        log.error("request failed", exc_info=exc, extra={"correlation_id": correlation_id})
    response = Response(json.dumps(body, ensure_ascii=False), status=body["status"],
                        content_type=PROBLEM)
    if body["status"] == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="continuity"'
    for key, value in headers_for(exc, body["status"]).items():
        response.headers[key] = value
    return response


BODY_MAX_BYTES = 64 * 1024


def json_body(request, max_bytes: int = BODY_MAX_BYTES) -> dict:
    """The body as a JSON object, read by the one strict reader (jsoncodec)."""
    if request.content_length and request.content_length > max_bytes:
        raise ApiError(413, "payload-too-large", f"the body exceeds {max_bytes} bytes")
    raw = request.get_data(cache=False)
    if len(raw) > max_bytes:
        raise ApiError(413, "payload-too-large", f"the body exceeds {max_bytes} bytes")
    try:
        body = read_document(raw or b"null")
    except DocumentRefused as exc:
        if exc.field is None:
            raise ApiError(400, "malformed-json", f"the body is not valid JSON: {exc}",
                           errors={"": [exc.reason]}) from None
        raise invalid_text({exc.field: exc.reason}) from None
    if not isinstance(body, dict):
        raise ApiError(422, "validation-error", "the body must be a JSON object")
    return body


def invalid_text(problems: dict[str, str]) -> ApiError:
    return ApiError(422, "validation-error", "some fields are invalid: see errors",
                    errors={field: [reason] for field, reason in problems.items()})


TEXT_HEADERS = ("Idempotency-Key",)  # the headers a route reads as text


def refuse_bad_text(request, query: bool = True) -> None:
    """Path values, query parameters and the headers routes read are one-line UTF-8
    text, or the request is refused here, before a route or a service sees it: 404
    for a path value (it names no resource), 422 for the others."""
    try:
        request.environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
    except UnicodeError:  # Werkzeug would read the bytes as U+FFFD
        raise ApiError(400, "bad-encoding", "the path is not UTF-8",
                       errors={"path": ["holds bytes that are not UTF-8"]}) from None
    # the query read again from its bytes: bytes that are not UTF-8 become lone
    # surrogates, which the text check refuses, naming the parameter
    # (a route that reads no query never sees it: nothing to refuse there)
    pairs = parse_qsl(request.environ.get("QUERY_STRING", "") if query else "",
                      keep_blank_values=True, errors="surrogateescape")
    values = [*pairs,
              *((h, request.headers[h]) for h in TEXT_HEADERS if h in request.headers)]
    ids = {name: text_problem(value, True)
           for name, value in request.path_values.items()}
    if any(ids.values()):  # no resource has such an id: the URL names none
        raise ApiError(404, "not-found", "no such resource: see errors", errors={
            name: [problem] for name, problem in ids.items() if problem})
    problems = {}
    for name, value in values:
        problem = text_problem(name, True) or text_problem(value, True)
        if problem:
            problems[printable(name)] = problem
    if problems:
        raise invalid_text(problems)


def is_page_path(request) -> bool:
    """A browser asking for a page of the web app: not the API, not the ops routes."""
    return (not request.path.startswith(("/api/", "/health", "/ready", "/metrics"))
            and any(value == "text/html" for value, _ in request.accept_mimetypes))


class ProblemWsgiApp(WsgiApp):
    """Unknown routes and wrong methods answer problem+json, not Werkzeug's HTML; every
    answer gets the security headers and the CORS policy (``answer_headers``)."""

    def __call__(self, environ, start_response):
        request = Request(environ, shallow=True)
        adapter = self.url_map.bind_to_environ(environ)
        origins = self.server.cors_origins
        if request.method == "OPTIONS":  # a preflight's answer is its own
            response = self.options(request, adapter, origins)
        else:
            response = self.route(request, adapter)
            answer_headers.allow_origin(request, response, origins)
        answer_headers.secure(request, response)
        return response(environ, start_response)

    @staticmethod
    def options(request, adapter, origins) -> Response:
        """A browser's CORS preflight, or a plain OPTIONS: which methods a path has."""
        try:
            methods = set(adapter.allowed_methods()) - {"OPTIONS"}
        except HTTPException:
            methods = set()
        if not methods:
            return problem_response(ApiError(404, "not-found", "no such route"))
        if "Access-Control-Request-Method" not in request.headers:
            return Response(status=204, headers={
                "Allow": ", ".join(sorted(methods | {"OPTIONS"}))})
        refused = answer_headers.preflight_refusal(request, origins, methods)
        if refused:
            return problem_response(ApiError(403, "cross-origin-refused", refused))
        return answer_headers.preflight_answer(request, methods)

    def route(self, request, adapter) -> Response:
        try:
            provider, values = adapter.match()
        except RequestRedirect:  # no silent redirects in an API
            response = problem_response(ApiError(404, "not-found", "no such route"))
        except HTTPException as exc:
            if exc.code in (404, 405) and is_page_path(request):
                from .web.page import no_route_page  # the web app's error page

                return no_route_page(request, self.server.container.config, exc.code)
            response = problem_response(
                ApiError(exc.code or 404, "not-found" if exc.code == 404 else "http-error",
                         exc.description or exc.name,
                         headers={"Allow": ", ".join(getattr(exc, "valid_methods", None) or [])}
                         if exc.code == 405 else None)
            )
        else:
            request.path_values = values
            response = provider.handle_request(request)
        return response


class ProblemWebServer(WebServer):
    """The gateway's HTTP server: problem+json for unknown routes, the rate limits,
    the trusted proxies (``TRUSTED_PROXY_HOPS``)."""

    _limiter = None
    cors_origins: frozenset[str] = frozenset()

    def setup(self):
        super().setup()
        config = self.container.config
        # a wrong origin stops the gateway here, at start
        self.cors_origins = answer_headers.parse_origins(
            config.get("CORS_ALLOWED_ORIGINS", ""))
        self.token_keys = auth.TokenKeys.from_config(config)
        self.revocations = auth.Revocations(
            self.revocation_moments,
            float(config.get("REVOCATION_REFRESH_SECONDS", 5)))

    def revocation_moments(self) -> dict[str, float]:
        """One query: the revocations younger than the tokens' lifetime."""
        from services.common.database import Database

        database = next(d for d in self.container.dependencies
                        if isinstance(d, Database))
        ttl = int(self.container.config.get("TOKEN_TTL_SECONDS", 3600))
        with database.sessions.begin() as session:
            return auth.revocation_moments(session,
                                           utcnow() - timedelta(seconds=ttl))

    def get_wsgi_app(self):
        app = ProblemWsgiApp(self)
        hops = int(self.container.config.get("TRUSTED_PROXY_HOPS", 0))
        if hops:  # the client's address and scheme as the last `hops` proxies saw them
            return ProxyFix(app, x_for=hops, x_proto=hops)
        return app

    def get_wsgi_server(self, sock, wsgi_app, protocol=GatewayProtocol, debug=False):
        install_header_parser()
        server = super().get_wsgi_server(sock, wsgi_app, protocol=protocol, debug=debug)
        server.log_output = False  # eventlet's access line: the gateway writes its own
        return server

    def process_request(self, sock, address):
        # an answer larger than eventlet's write buffer goes out in two writes; with
        # Nagle on, the second waits for the client's delayed ACK (decision 0010)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return super().process_request(sock, address)

    def limiter(self):
        if self._limiter is None:
            self._limiter = limits_from_config(self.container.config)
        return self._limiter


class Api(HttpRequestHandler):
    """``@api("GET", "/api/v1/me", roles={"learner"})``.

    The method receives ``(request, principal)`` plus the URL's values. ``roles``
    empty means public. A caller whose role is not listed gets 404: the route does
    not exist for them.

    The OpenAPI document is built from what a route declares: ``summary``, ``body``
    (a marshmallow Schema class for the JSON body), ``query`` (a Schema class whose
    fields are the query parameters), ``responses`` ({status: Schema class or text}),
    ``tags``, ``idempotent`` (the route takes an ``Idempotency-Key``: a retry with
    the same key and body gets the first answer, without the action done again),
    ``content`` ({media type: JSON schema} for a body that is not JSON), ``errors``
    ({status: text} for the errors only this route can give; the others follow from
    what it declares, see ``openapi.errors_of``), ``local`` (it calls no service, so
    no 503). A response that is not JSON, or has headers, is an ``openapi.Answer``.
    """

    server = ProblemWebServer()
    documented = True  # in the OpenAPI document (the xAPI resources are not)

    def __init__(self, method: str, url: str, roles=(), summary: str = "", body=None,
                 query=None, responses=None, tags=(), rate_limit: str | None = None,
                 idempotent: bool = False, content=None, errors=None, local=False,
                 **kwargs):
        self.roles = frozenset(roles)
        self.idempotent = idempotent
        self.rate_limit = rate_limit
        self.summary, self.body, self.query = summary, body, query
        self.content = dict(content or {})
        self.responses = dict(responses or {})
        self.errors = dict(errors or {})
        self.local = local
        self.tags = tuple(tags)
        kwargs.setdefault("expected_exceptions", EXPECTED)
        super().__init__(method, url, **kwargs)

    def principal(self, request) -> Principal | None:
        header = request.headers.get("Authorization", "")
        if not self.roles:
            return None
        if not header.startswith("Bearer "):
            raise Unauthenticated("send a bearer token: Authorization: Bearer <token>")
        principal = self.bearer(header[7:].strip())
        if principal.role not in self.roles:
            raise ApiError(404, "not-found", "no such resource")
        return principal

    def bearer(self, credential: str) -> Principal:
        """Who a bearer credential names: a partner's API key or a signed token."""
        if credential.startswith(KEY_PREFIX):  # a partner's API key
            return self.partner(credential)
        principal, issued = auth.read_token_issued(self.server.token_keys, credential)
        if self.server.revocations.revoked(principal.subject, issued):
            raise Unauthenticated("this token was revoked; log in again")
        return principal

    def sessions(self):
        from services.common.database import Database

        return next(d for d in self.container.dependencies
                    if isinstance(d, Database)).sessions

    def partner(self, api_key: str) -> Principal:
        from .partners.keys import authenticate

        with self.sessions().begin() as session:
            partner = authenticate(session, api_key)
            if partner is None:
                raise Unauthenticated("unknown or revoked API key")
            return Principal(partner.id, "partner", None, partner.contact_email)

    def setup(self):
        super().setup()
        if self.rate_limit:
            self.limiter = self.server.limiter()

    def check_rate(self, request) -> None:
        if not self.rate_limit:
            return
        wait = self.limiter.retry_after(self.rate_limit, client_address(request))
        if wait:
            raise ApiError(429, "too-many-requests",
                           f"too many requests from your address; retry in {wait} s",
                           headers={"Retry-After": str(wait)})

    def claim_key(self, request, principal) -> tuple[tuple | None, Response | None]:
        """An idempotent route's key: ((principal, key), None) when this request does
        the action, (None, the first answer) for a retry, (None, None) without one."""
        key = request.headers.get(idempotency.HEADER)
        if not self.idempotent or key is None:
            return None, None
        header = idempotency.HEADER
        if not 1 <= len(key) <= idempotency.MAX_KEY:
            raise ApiError(422, "validation-error",
                           f"{header} must be 1-200 characters",
                           errors={header: ["must be 1-200 characters"]})
        if (request.content_length or 0) > BODY_MAX_BYTES:
            raise ApiError(413, "payload-too-large",
                           f"the body exceeds {BODY_MAX_BYTES} bytes")
        owner = f"{principal.role}:{principal.subject}"
        config = self.container.config
        ttl = timedelta(hours=float(config.get("IDEMPOTENCY_KEY_HOURS", 24)))
        # no request runs longer than its timeout (handle_request): a claim older
        # than twice that was left by a process that stopped
        abandoned = timedelta(seconds=2 * (config.get("RPC_TIMEOUT", 30) + 5))
        body = request.get_data(cache=True)[:BODY_MAX_BYTES + 1]
        print_ = idempotency.fingerprint(request.method, request.path, body)
        try:
            first = idempotency.claim(self.sessions(), owner, key, print_, utcnow(),
                                      ttl, abandoned)
        except idempotency.KeyReused:
            raise ApiError(422, "validation-error",
                           f"this {header} came with another request: use a new key",
                           errors={header: ["was used with another request"]}) from None
        except idempotency.InProgress:
            raise ApiError(409, "in-progress", f"the first request with this {header} "
                           "is still running; retry in a moment",
                           headers={"Retry-After": "1"}) from None
        if first is None:
            return (owner, key), None
        replay = Response(first.body, status=first.status, headers=first.headers)
        replay.headers["Idempotent-Replayed"] = "true"
        return None, replay

    def settle_key(self, claimed: tuple[str, str], response: Response) -> None:
        answer = idempotency.Answer(response.status_code,
                                    response.get_data(as_text=True),
                                    dict(response.headers))
        try:
            idempotency.settle(self.sessions(), *claimed, answer)
        except Exception:  # the answer stands; retries get 409 until it is abandoned
            log.exception("could not keep the answer of an idempotent request")

    def handle_request(self, request):
        request.shallow = False
        started = time.perf_counter()
        cid = sane_correlation_id(request.headers.get("X-Request-Id"))
        request.correlation_id = cid  # what an audit record names the request by
        claimed = None
        try:
            self.check_rate(request)
            refuse_bad_text(request, query=self.query is not None)
            principal = self.principal(request)
            claimed, response = self.claim_key(request, principal)
            if response is None:
                response = self.run(request, principal, cid)
        except BaseException as exc:  # noqa: BLE001 - every error becomes a problem
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            response = problem_response(exc, cid)
        if claimed is not None:
            self.settle_key(claimed, response)
        response.headers["X-Request-Id"] = cid
        elapsed = time.perf_counter() - started
        access_log.info(
            "%s %s %s %.1fms", request.method, request.path, response.status_code,
            elapsed * 1000,
            extra={"correlation_id": cid, "method": request.method, "path": request.path,
                   "status": response.status_code},
        )
        HTTP_REQUESTS.labels(self.url, request.method, response.status_code).inc()
        HTTP_SECONDS.labels(self.url, request.method).observe(elapsed)
        return response

    def run(self, request, principal, cid) -> Response:
        done = Event()
        self.container.spawn_worker(
            self, (request, principal), request.path_values,
            context_data={"correlation_id": cid},
            handle_result=partial(self.handle_result, done),
        )
        with eventlet.Timeout(self.container.config.get("RPC_TIMEOUT", 30) + 5):
            return self.response_from_result(done.wait())


api = Api.decorator


class RateLimits(DependencyProvider):
    """The limits a route checks itself, on what only its body says (an account):
    the web server's own (one store, one connection pool per process)."""

    server = ProblemWebServer()  # a shared extension: the routes' one, per container

    def get_dependency(self, worker_ctx):
        return self.server.limiter()


def client_address(request) -> str:
    """The address a request came from: what rate limits and login throttles key on.

    Behind trusted proxies (``TRUSTED_PROXY_HOPS``) it is the address the outermost
    trusted one saw; ``X-Forwarded-For`` from anyone else is ignored."""
    return request.remote_addr or "-"
