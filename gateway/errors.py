"""The one table from exceptions (local or raised by a service over RPC) to HTTP."""

from __future__ import annotations

import eventlet
from nameko.exceptions import RemoteError
from werkzeug.exceptions import HTTPException

from services.catalog.contracts import errors as catalog
from services.common.outage import OUTAGE_ERRORS, Unavailable
from services.common.rpc import register_errors
from services.licensing.contracts import errors as licensing
from services.lrs.contracts import errors as lrs
from services.onboarding.contracts import errors as onboarding
from services.tracking.contracts import errors as tracking

from .auth import EmailTaken, Unauthenticated


class ApiError(Exception):
    """An error the gateway raises itself, with its status and stable code."""

    def __init__(self, status: int, code: str, detail: str, errors: dict | None = None,
                 headers: dict | None = None):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.errors = errors
        self.headers = headers or {}


class RpcTimeout(Exception):
    """A service did not answer in time."""


# (exception class, HTTP status, problem code, title)
TABLE: list[tuple[type[BaseException], int, str, str]] = [
    (Unauthenticated, 401, "unauthenticated", "Authentication required"),
    (tracking.Forbidden, 403, "forbidden", "Not allowed"),
    (onboarding.InvitationUnusable, 410, "invitation-unusable", "Invitation unusable"),
    (EmailTaken, 409, "account-exists", "Account exists"),
    (onboarding.LastAdmin, 409, "last-admin", "Last admin"),
    (onboarding.TooLarge, 413, "payload-too-large", "Payload too large"),
    (RpcTimeout, 503, "service-unavailable", "Service unavailable"),
    (eventlet.Timeout, 503, "service-unavailable", "Service unavailable"),
    # a broker or database away, here or in the service that was called
    *[(exc_type, 503, "service-unavailable", "Service unavailable")
      for exc_type in (Unavailable, *OUTAGE_ERRORS)],
]
RETRY_AFTER_SECONDS = 5  # told with every 503: an outage is expected to pass
# the services' errors come back over RPC as themselves, to be matched below
for base in (catalog.CatalogError, onboarding.OnboardingError,
             licensing.LicensingError, tracking.TrackingError):
    register_errors(base)
for module in (catalog, onboarding, licensing, tracking):
    TABLE += [
        (module.NotFound, 404, "not-found", "Not found"),
        (module.Invalid, 422, "validation-error", "Invalid request"),
    ]
    if hasattr(module, "Conflict"):
        TABLE.append((module.Conflict, 409, "conflict", "Conflict"))
TABLE.append((licensing.UnknownPlan, 422, "validation-error", "Invalid request"))
# the xAPI resources answer as xAPI 1.0.3 says: 400 for any invalid request
register_errors(lrs.LrsError)
TABLE += [
    (lrs.Invalid, 400, "xapi-invalid", "Invalid xAPI request"),
    (lrs.NotFound, 404, "not-found", "Not found"),
    (lrs.Conflict, 409, "conflict", "Conflict"),
    (lrs.PreconditionFailed, 412, "precondition-failed", "Precondition failed"),
    (lrs.Forbidden, 403, "forbidden", "Not allowed"),
]

# what a client can cause: logged as a warning without a traceback
EXPECTED = (ApiError, *{exc_type for exc_type, *_ in TABLE
                        if exc_type not in (eventlet.Timeout, *OUTAGE_ERRORS)})


def headers_for(exc: BaseException, status: int) -> dict:
    """The answer's headers: the error's own, and Retry-After with any 503."""
    headers = dict(getattr(exc, "headers", None) or {})
    if status == 503:
        headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
    return headers


def problem_for(exc: BaseException) -> dict:
    if isinstance(exc, ApiError):
        body = problem(exc.status, exc.code, exc.detail)
        if exc.errors:
            body["errors"] = flatten(exc.errors)
        return body
    for exc_type, status, code, title in TABLE:
        if isinstance(exc, exc_type):
            body = problem(status, code, detail_of(exc), title)
            if getattr(exc, "errors", None):
                body["errors"] = flatten(exc.errors)
            if isinstance(exc, lrs.LrsError):  # each broken rule, named
                body["errors"] = [{"field": v["path"], "reason": v["detail"],
                                   "rule": v["rule"]} for v in exc.violations]
            if getattr(exc, "code", None) and isinstance(exc, tracking.Forbidden):
                body["reason"] = exc.code
            return body
    if isinstance(exc, HTTPException):
        return problem(exc.code or 500, "http-error", exc.description or exc.name)
    if isinstance(exc, RemoteError):
        return problem(502, "upstream-error", "a service failed; try again later")
    return problem(500, "internal-error", "something went wrong on our side")


def detail_of(exc: BaseException) -> str:
    if getattr(exc, "detail", None):
        return exc.detail
    if isinstance(exc, lrs.LrsError) and exc.violations:
        first = exc.violations[0]
        more = len(exc.violations) - 1
        return (f"{first['path']}: {first['detail']} [{first['rule']}]"
                + (f" (and {more} more: see errors)" if more else ""))
    if getattr(exc, "errors", None):
        return "some fields are invalid: see errors"
    return str(exc.args[0]) if exc.args else exc.__class__.__name__


def problem(status: int, code: str, detail: str, title: str | None = None) -> dict:
    return {
        "type": f"https://continuity.example/problems/{code}",
        "title": title or code.replace("-", " ").capitalize(),
        "status": status,
        "detail": detail,
    }


def flatten(errors, prefix: str = "") -> list[dict]:
    """marshmallow's nested messages as ``[{field: "contact.email", reason}]``."""
    out: list[dict] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out += flatten(value, name)
    elif isinstance(errors, list) and all(isinstance(e, str) for e in errors):
        out += [{"field": prefix or None, "reason": e} for e in errors]
    elif isinstance(errors, list):
        for e in errors:
            out += flatten(e, prefix)
    else:
        out.append({"field": prefix or None, "reason": str(errors)})
    return out
