"""The gateway's reading of what a client sends: one strict JSON reader for every body,
one check of the text in paths, query strings and headers, before any route runs."""

from __future__ import annotations

import pytest
from werkzeug.test import create_environ
from werkzeug.wrappers import Request

from gateway.errors import ApiError, problem_for
from gateway.http import json_body, refuse_bad_text


def request(body: bytes = b"", path: str = "/api/v1/x", query: str = "",
            headers: dict | None = None, path_values: dict | None = None) -> Request:
    environ = create_environ(path="/", data=body, headers=headers or {},
                             content_type="application/json")
    environ["PATH_INFO"], environ["QUERY_STRING"] = path, query
    made = Request(environ)
    made.path_values = path_values or {}
    return made


def refused(call, *args) -> dict:
    with pytest.raises(ApiError) as error:
        call(*args)
    return problem_for(error.value)


@pytest.mark.parametrize("body, reason", [
    (b'{"score": NaN}', "NaN is not a JSON number"),
    (b'{"score": -Infinity}', "-Infinity is not a JSON number"),
    (b'{"name": "\\udc00"}', "surrogate"),
    (b"[" * 30_000 + b"]" * 30_000, "nested deeper than 32 levels"),
])
def test_a_body_that_is_not_strict_json_is_a_400_saying_why(body, reason):
    problem = refused(json_body, request(body))
    assert (problem["status"], problem["type"].rsplit("/", 1)[1]) == (400,
                                                                      "malformed-json")
    assert reason in problem["detail"]
    assert problem["errors"] == [{"field": None, "reason": problem["errors"][0][
        "reason"]}] and reason in problem["errors"][0]["reason"]


def test_nul_in_a_body_string_is_a_422_naming_the_field():
    problem = refused(json_body, request(b'{"contact": {"name": "A\\u0000"}}'))
    assert problem["status"] == 422
    assert problem["errors"] == [{"field": "contact.name",
                                  "reason": "must not contain NUL (U+0000)"}]


def test_an_ordinary_body_is_read():
    assert json_body(request('{"name": "Zoé\\nLine", "n": 1.5}'.encode())) == {
        "name": "Zoé\nLine", "n": 1.5}


@pytest.mark.parametrize("values, field, reason", [
    ({"institution_id": "i\x00"}, "institution_id", "NUL"),
    ({"institution_id": "i", "job_id": "j\nk"}, "job_id", "U+000A"),
])
def test_bad_text_in_a_path_value_is_a_404_naming_it(values, field, reason):
    problem = refused(refuse_bad_text, request(path_values=values))
    assert problem["status"] == 404
    [error] = problem["errors"]
    assert error["field"] == field and reason in error["reason"]


@pytest.mark.parametrize("kwargs, field, reason", [
    ({"query": "token=%00"}, "token", "NUL"),
    ({"query": "q=%ED%A0%80"}, "q", "not UTF-8"),
    ({"query": "q=caf%C3"}, "q", "not UTF-8"),
    ({"query": "a%01=1"}, "a\\u0001", "U+0001"),
    ({"headers": {"Idempotency-Key": "k\x01"}}, "Idempotency-Key", "U+0001"),
])
def test_bad_text_in_a_query_or_header_is_a_422_naming_it(kwargs, field, reason):
    problem = refused(refuse_bad_text, request(**kwargs))
    assert problem["status"] == 422
    [error] = problem["errors"]
    assert error["field"] == field and reason in error["reason"]


def test_a_path_that_is_not_utf8_is_a_400():
    raw = "/api/v1/institutions/" + b"\xed\xa0\x80".decode("latin-1")
    problem = refused(refuse_bad_text, request(path=raw))
    assert problem["status"] == 400
    assert problem["errors"] == [{"field": "path",
                                  "reason": "holds bytes that are not UTF-8"}]


def test_ordinary_text_passes():
    refuse_bad_text(request(
        path="/api/v1/institutions/" + "é".encode().decode("latin-1"),
        query="q=caf%C3%A9+cr%C3%A8me&limit=2&empty=",
        headers={"Idempotency-Key": "abc-123"},
        path_values={"institution_id": "é"}))
