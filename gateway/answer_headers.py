"""Headers every answer of the gateway carries: security headers and the CORS policy.

Set in one place (``http.ProblemWsgiApp``) for every answer, routes and errors alike.
A handler that needs another value (a page's own Content-Security-Policy, a
cacheable file's Cache-Control) sets it first: these are defaults, never overrides.

CORS: none by default. Browsers on the origins listed in ``CORS_ALLOWED_ORIGINS``
(partners' own web apps) may call ``/api/`` with a bearer token; no origin is ever
allowed credentials (cookies), so the web app's session never crosses origins.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

API_PREFIX = "/api/"
# what a partner's script may read of an answer besides the simple headers
EXPOSED = "ETag, Location, Retry-After, X-Request-Id"
# what it may send besides the simple headers
REQUEST_HEADERS = frozenset({"authorization", "content-type", "idempotency-key",
                             "if-match", "if-none-match", "x-request-id"})
PREFLIGHT_MAX_AGE = "600"  # seconds a browser may reuse a preflight's answer
HSTS = "max-age=31536000; includeSubDomains"
# a JSON answer is data, never a document to run or frame
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
DATA_TYPES = {"application/json", "application/problem+json", "text/csv"}


def parse_origins(value: str) -> frozenset[str]:
    """``CORS_ALLOWED_ORIGINS``: comma-separated ``scheme://host[:port]``, or empty.

    A value that is not an origin stops the gateway at start (ValueError), rather
    than leaving partners to find out from their browsers' consoles.
    """
    origins = set()
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        parts = urlsplit(item)
        if (parts.scheme not in ("http", "https") or not parts.hostname
                or parts.path or parts.query or parts.fragment or parts.username):
            raise ValueError(
                f"CORS_ALLOWED_ORIGINS: {item!r} is not an origin (scheme://host[:port])")
        origins.add(f"{parts.scheme}://{parts.netloc.lower()}")
    return frozenset(origins)


def secure(request: Request, response: Response) -> None:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    if response.mimetype in DATA_TYPES:
        headers.setdefault("Content-Security-Policy", DATA_POLICY)
    if request.scheme == "https":
        headers.setdefault("Strict-Transport-Security", HSTS)


def allow_origin(request: Request, response: Response, origins: frozenset[str]) -> None:
    """An API answer to a listed origin says so; every API answer varies by Origin."""
    if not origins or not request.path.startswith(API_PREFIX):
        return
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED


def preflight_refusal(request: Request, origins: frozenset[str],
                      methods: set[str]) -> str | None:
    """Why a browser's preflight (OPTIONS with Access-Control-Request-Method) is
    refused, or None when it may go on."""
    origin = request.headers.get("Origin")
    if not request.path.startswith(API_PREFIX) or origin not in origins:
        return f"cross-origin calls from {origin or 'this origin'} are not allowed"
    wanted = request.headers.get("Access-Control-Request-Method", "").upper()
    if wanted not in methods:
        return f"{wanted or 'this method'} is not allowed on {request.path}"
    asked = {h.strip().lower() for h in
             request.headers.get("Access-Control-Request-Headers", "").split(",")
             if h.strip()}
    unknown = sorted(asked - REQUEST_HEADERS)
    if unknown:
        return f"request headers not allowed: {', '.join(unknown)}"
    return None


def preflight_answer(request: Request, methods: set[str]) -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    response.headers["Access-Control-Allow-Methods"] = ", ".join(sorted(methods))
    response.headers["Access-Control-Allow-Headers"] = ", ".join(
        sorted(REQUEST_HEADERS))
    response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    response.vary.add("Origin")
    return response
