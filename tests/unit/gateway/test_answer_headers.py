"""Security headers and CORS decisions, without a server."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from gateway import answer_headers


def request(path="/api/v1/courses", base="http://gw.example", **headers) -> Request:
    environ = EnvironBuilder(path=path, base_url=base, headers=headers).get_environ()
    return Request(environ)


@pytest.mark.parametrize("value", [
    "lms.partner.example",                     # no scheme
    "https://lms.partner.example/app",         # a path is not part of an origin
    "ftp://lms.partner.example",
    "https://user@lms.partner.example",
    "https://",
])
def test_a_value_that_is_not_an_origin_stops_the_gateway(value):
    with pytest.raises(ValueError, match="not an origin"):
        answer_headers.parse_origins(value)


def test_origins_are_compared_as_browsers_send_them():
    assert answer_headers.parse_origins(" https://LMS.partner.example:8443 ,, ") == {
        "https://lms.partner.example:8443"}
    assert answer_headers.parse_origins("") == frozenset()


def test_hsts_only_over_https_and_a_route_keeps_its_own_policy():
    page = Response("<p>hi</p>", content_type="text/html")
    page.headers["Content-Security-Policy"] = "default-src 'self'"
    answer_headers.secure(request(base="https://gw.example"), page)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert page.headers["Content-Security-Policy"] == "default-src 'self'"
    plain = Response("{}", content_type="application/json")
    answer_headers.secure(request(), plain)
    assert "Strict-Transport-Security" not in plain.headers
    assert plain.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_no_cors_at_all_when_no_origin_is_configured():
    answer = Response("{}", content_type="application/json")
    answer_headers.allow_origin(request(Origin="https://a.example"), answer,
                                frozenset())
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert "Vary" not in answer.headers


def test_pages_are_never_opened_to_other_origins():
    origins = frozenset({"https://a.example"})
    answer = Response("<p>", content_type="text/html")
    answer_headers.allow_origin(request("/sign-in", Origin="https://a.example"), answer,
                                origins)
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert answer_headers.preflight_refusal(
        request("/sign-in", Origin="https://a.example",
                **{"Access-Control-Request-Method": "POST"}), origins, {"POST"})
