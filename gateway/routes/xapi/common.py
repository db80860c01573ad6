"""What every xAPI resource shares: the ``Xapi`` entrypoint (the version header,
the LRS's credentials, the answer's headers), the query parameters' checks and
the scope checks (:class:`XapiBase`)."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime

from services.common.jsoncodec import DocumentRefused, read_document
from services.lrs.contracts.errors import Forbidden, Invalid
from services.lrs.contracts.rpc import FORMATS
from services.lrs.contracts.statements import IFIS, agent_violations, is_uuid

from ... import lrs_clients
from ...auth import Unauthenticated
from ...http import Api
from ..base import RouteBase

VERSION = "1.0.3"
VERSION_HEADER = "X-Experience-API-Version"
CONSISTENT = "X-Experience-API-Consistent-Through"
_ACCEPTED_VERSION = re.compile(r"^1\.0(\.\d+)?$")
BODY_MAX_BYTES = 8 * 1024 * 1024  # a batch of 1,000 statements of 8 KiB
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


def only_params(request, allowed: tuple[str, ...]) -> None:
    for name in request.args:
        if name not in allowed:
            raise refused(name, "request.parameters",
                          f"{name!r} is not a parameter of this resource")
    for name, values in request.args.lists():
        if len(values) > 1:
            raise refused(name, "request.parameters", f"{name!r} is given twice")


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


class XapiBase(RouteBase):
    """The scope checks every resource makes."""

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

    @staticmethod
    def _writer(caller, what: str) -> None:
        if lrs_clients.WRITE not in caller.scopes:
            raise Forbidden([{"path": "Authorization", "rule": "auth.scope",
                              "detail": f"these credentials may not write {what} "
                                        f"(scope {lrs_clients.WRITE})"}])
