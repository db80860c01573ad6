"""The pages' entrypoint: ``@page("GET", "/catalogue")``, next to the API's ``Api``.

A page method receives ``(request, visit)`` plus the URL's values and returns
``visit.render(...)`` or ``visit.redirect(...)``. The handler answers HTML only:
errors become a page in the person's language (never a trace, never problem+json);
it reads the browser session, refuses a POST without its CSRF token, and sets the
security headers and cookies on every answer.
"""

from __future__ import annotations

import logging
import time
from functools import cache, partial

import eventlet
from eventlet.event import Event
from jinja2 import Environment, PackageLoader, select_autoescape
from nameko.web.handlers import HttpRequestHandler
from werkzeug.wrappers import Response

from services.common.db import utcnow
from services.common.observability import sane_correlation_id

from ..errors import EXPECTED, ApiError, problem_for
from ..http import (
    HTTP_REQUESTS,
    HTTP_SECONDS,
    ProblemWebServer,
    client_address,
    refuse_bad_text,
)
from . import i18n, messages, reasons, sessions

log = logging.getLogger("gateway.web")
access_log = logging.getLogger("gateway.access")

SECURITY_HEADERS = {
    # no inline script or style anywhere: every script and sheet is a file served here
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'; form-action 'self'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    # invitation and status links carry their token in the URL
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
YEAR = 365 * 24 * 3600


class CsrfRefused(Exception):
    """A form sent without the token of the page it came from."""


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gateway.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True, lstrip_blocks=True,
    )
    return env


def safe_next(target: str | None, default: str = "/") -> str:
    """A path on this site to go back to; anything else goes to ``default``."""
    if not target or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


class Visit:
    """One request from a browser: who (if signed in), in which language, its forms'
    CSRF token, and the cookies the answer sets."""

    def __init__(self, request, config: dict):
        self.request = request
        self.secret = config["TOKEN_SECRET"]
        self.secure = request.scheme == "https" or \
            request.headers.get("X-Forwarded-Proto") == "https"
        self.session_token = request.cookies.get(sessions.SESSION_COOKIE)
        self.signed_in: sessions.SignedIn | None = None
        self.anchor = request.cookies.get(sessions.CSRF_COOKIE)
        self.cookies: list[tuple[str, str | None, int | None]] = []
        self.language = i18n.DEFAULT
        self.choose_language()

    # -- who and which language ----------------------------------------------------
    @property
    def principal(self):
        return self.signed_in.principal if self.signed_in else None

    def load(self, database) -> None:
        if self.session_token:
            with database.sessions.begin() as session:
                self.signed_in = sessions.read_session(session, self.session_token,
                                                       now=utcnow())
            if self.signed_in is None:  # ended or expired: forget it
                self.session_token = None
                self.set_cookie(sessions.SESSION_COOKIE, None)
        self.choose_language()

    def choose_language(self) -> None:
        account = self.signed_in.language if self.signed_in else None
        self.language = i18n.choose(
            account, self.request.cookies.get(sessions.LANGUAGE_COOKIE),
            self.request.accept_languages)
        self.translations = i18n.translations(self.language)

    def gettext(self, message: str, **values) -> str:
        text = self.translations.ugettext(message)
        return text % values if values else text

    def reason(self, text: str | None) -> str:
        """A service's reason (a roster row's, a file's) in the visitor's language."""
        return reasons.translated(text, self.translations.ugettext)

    def column_name(self, column: str | None) -> str:
        return reasons.column_name(column, self.translations.ugettext)

    # -- sessions and forms --------------------------------------------------------
    @property
    def csrf(self) -> str:
        if not self.anchor:
            self.anchor = sessions.new_token()
            self.set_cookie(sessions.CSRF_COOKIE, self.anchor)
        return sessions.csrf_token(self.secret, self.anchor, self.session_token)

    def check_csrf(self) -> None:
        sent = self.request.form.get("csrf_token")
        if not sessions.csrf_valid(self.secret, self.anchor, self.session_token, sent):
            raise CsrfRefused()

    def sign_in(self, token: str) -> None:
        """The answer starts this session; the CSRF anchor is new too."""
        self.session_token = token
        self.set_cookie(sessions.SESSION_COOKIE, token)
        self.anchor = sessions.new_token()
        self.set_cookie(sessions.CSRF_COOKIE, self.anchor)

    def sign_out(self) -> None:
        self.session_token = None
        self.signed_in = None
        self.set_cookie(sessions.SESSION_COOKIE, None)
        self.anchor = sessions.new_token()
        self.set_cookie(sessions.CSRF_COOKIE, self.anchor)

    def set_cookie(self, name: str, value: str | None, max_age: int | None = None):
        self.cookies = [c for c in self.cookies if c[0] != name]
        self.cookies.append((name, value, max_age))

    # -- answers ---------------------------------------------------------------------
    def render(self, template: str, status: int = 200, timezone: str | None = None,
               **context) -> Response:
        """The page; its times in ``timezone`` (the institution's it is about)."""
        env = environment()
        translations = self.translations
        html = env.get_template(template).render(
            _=translations.ugettext, gettext=translations.ugettext,
            ngettext=translations.ungettext, visit=self, lang=self.language,
            languages=i18n.NAMES, here=self.here,
            **i18n.formats(self.language, timezone),
            level_names=messages.LEVELS, topic_names=messages.TOPICS,
            refused_because=self.reason, column_name=self.column_name,
            **context)
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    @property
    def here(self) -> str:
        query = self.request.query_string.decode("latin-1")
        return self.request.path + (f"?{query}" if query else "")

    def redirect(self, location: str) -> Response:
        return Response(status=303, headers={"Location": location})

    def finish(self, response: Response) -> Response:
        for name, value, max_age in self.cookies:
            if value is None:
                response.delete_cookie(name, path="/", secure=self.secure,
                                       httponly=True, samesite="Lax")
            else:
                response.set_cookie(name, value, max_age=max_age, path="/",
                                    secure=self.secure, httponly=True, samesite="Lax")
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
            response.headers["Vary"] = "Cookie, Accept-Language"
        response.headers["Content-Language"] = self.language
        return response


def error_page(visit: Visit, exc: BaseException, cid: str) -> Response:
    """The error as a page the person can act on, in their language."""
    if isinstance(exc, CsrfRefused):
        status, code = 403, "csrf"
    else:
        body = problem_for(exc)
        status, code = body["status"], body.get("type", "").rsplit("/", 1)[-1]
        if status >= 500:
            log.error("page failed", exc_info=exc, extra={"correlation_id": cid})
    response = visit.render("error.html", status=status, status_code=status,
                            code=code, correlation_id=cid)
    if status == 429 and isinstance(exc, ApiError) and "Retry-After" in exc.headers:
        response.headers["Retry-After"] = exc.headers["Retry-After"]
    return response


def no_route_page(request, config: dict, status: int) -> Response:
    """No route has this path (404) or this method (405): a page in the language
    the browser asks for."""
    visit = Visit(request, config)
    cid = sane_correlation_id(request.headers.get("X-Request-Id"))
    missing = ApiError(status, "not-found" if status == 404 else "http-error",
                       "no such page")
    response = visit.finish(error_page(visit, missing, cid))
    response.headers["X-Request-Id"] = cid
    return response


class Page(HttpRequestHandler):
    """``@page("GET", "/sign-in", rate_limit="login")``: an HTML page of the web app.

    Pages are not API: they stay out of /api/openapi.json (openapi.py reads ``Api``
    entrypoints only)."""

    server = ProblemWebServer()  # the same shared server, and URL map, as the API

    def __init__(self, method: str, url: str, rate_limit: str | None = None,
                 session: bool = True, **kwargs):
        self.rate_limit = rate_limit
        self.session = session  # False: the answer is the same for anyone (files)
        kwargs.setdefault("expected_exceptions", (*EXPECTED, CsrfRefused))
        super().__init__(method, url, **kwargs)

    def setup(self):
        super().setup()
        if self.rate_limit:
            self.limiter = self.server.limiter()

    def database(self):
        from services.common.database import Database

        return next(d for d in self.container.dependencies if isinstance(d, Database))

    def check_rate(self, request) -> None:
        if not self.rate_limit:
            return
        wait = self.limiter.retry_after(self.rate_limit, client_address(request))
        if wait:
            raise ApiError(429, "too-many-requests", f"retry in {wait} s",
                           headers={"Retry-After": str(wait)})

    def handle_request(self, request):
        request.shallow = False
        started = time.perf_counter()
        cid = sane_correlation_id(request.headers.get("X-Request-Id"))
        request.correlation_id = cid  # what an audit record names the request by
        visit = Visit(request, self.container.config)
        try:
            refuse_bad_text(request)
            if self.session:
                visit.load(self.database())
            if request.method == "POST":
                self.check_rate(request)
                visit.check_csrf()
            done = Event()
            self.container.spawn_worker(
                self, (request, visit), request.path_values,
                context_data={"correlation_id": cid},
                handle_result=partial(self.handle_result, done),
            )
            with eventlet.Timeout(self.container.config.get("RPC_TIMEOUT", 30) + 5):
                response = self.response_from_result(done.wait())
        except BaseException as exc:  # noqa: BLE001 - every error becomes a page
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            response = error_page(visit, exc, cid)
        response = visit.finish(response)
        response.headers["X-Request-Id"] = cid
        elapsed = time.perf_counter() - started
        access_log.info(
            "%s %s %s %.1fms", request.method, request.path, response.status_code,
            elapsed * 1000,
            extra={"correlation_id": cid, "method": request.method,
                   "path": request.path, "status": response.status_code},
        )
        HTTP_REQUESTS.labels(self.url, request.method, response.status_code).inc()
        HTTP_SECONDS.labels(self.url, request.method).observe(elapsed)
        return response


page = Page.decorator
