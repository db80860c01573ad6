"""The OpenAPI document as a client generator and a partner read it: named types,
every body and answer with its media type, the headers, both ways to authenticate,
and for each operation the errors it can give — not one list pasted everywhere."""

from __future__ import annotations

import pytest

from gateway import openapi
from gateway.service import GatewayService


@pytest.fixture(scope="module")
def doc():
    return openapi.build(GatewayService, "/")


def operations(doc):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def schemas_in(op):
    """Every schema an operation's bodies and answers name."""
    parts = [op.get("requestBody") or {}, *op["responses"].values()]
    for part in parts:
        for media, content in (part.get("content") or {}).items():
            yield media, content.get("schema") or {}


def test_every_json_body_and_answer_is_a_named_component(doc):
    names = set(doc["components"]["schemas"])
    anonymous = []
    for path, method, op in operations(doc):
        for media, schema in schemas_in(op):
            if not media.endswith("json"):
                continue  # a file: a string, or a form with its one file field
            if "properties" in schema or "items" in schema:  # a type without a name
                anonymous.append(f"{method} {path} {media}")
            elif "$ref" in schema:
                assert schema["$ref"].split("/")[-1] in names
    assert not anonymous
    # the types a client generator names its classes after
    assert {"ApplicationRequest", "ApplicationAccepted", "RosterJobOut", "Dashboard",
            "Problem", "LicenceView", "Token"} <= names
    # no name was taken twice (apispec would number the second one)
    assert not [name for name in names if name[-1].isdigit()]


def test_the_roster_upload_documents_each_body_it_reads(doc):
    upload = doc["paths"]["/api/v1/institutions/{institution_id}/rosters"]["post"]
    content = upload["requestBody"]["content"]
    assert set(content) == {
        "text/csv", "multipart/form-data",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert content["multipart/form-data"]["schema"]["required"] == ["file"]
    assert "415" in upload["responses"]
    assert "Location" in upload["responses"]["202"]["headers"]


def test_answers_that_are_not_json_say_their_media_type(doc):
    export = doc["paths"]["/api/v1/institutions/{institution_id}/export.csv"]["get"]
    assert set(export["responses"]["200"]["content"]) == {"text/csv"}
    assert set(doc["paths"]["/api/docs"]["get"]["responses"]["200"]["content"]) == \
        {"text/html"}
    assert set(doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"]) == \
        {"text/plain"}


def test_headers_are_documented_where_they_are_sent(doc):
    for path, _, op in operations(doc):
        assert {"$ref": "#/components/parameters/RequestId"} in op["parameters"], path
        for status, answer in op["responses"].items():
            assert "X-Request-Id" in answer["headers"], (path, status)
            if status in ("429", "503") and path != "/ready":
                assert "Retry-After" in answer["headers"], (path, status)
    course = doc["paths"]["/api/v1/courses/{course_id}"]["get"]
    assert {"ETag", "Cache-Control"} <= set(course["responses"]["200"]["headers"])
    assert "ETag" in course["responses"]["304"]["headers"]
    assert any(p.get("name") == "If-None-Match" for p in course["parameters"])
    extend = doc["paths"]["/api/v1/licences/{licence_id}/extension"]["post"]
    assert any(p.get("name") == "Idempotency-Key" for p in extend["parameters"])


def test_partners_and_people_authenticate_by_their_own_scheme(doc):
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearer"]["bearerFormat"] == "JWT"
    assert schemes["partnerKey"]["scheme"] == "bearer"
    paths = doc["paths"]
    assert paths["/api/v1/webhooks"]["post"]["security"] == [{"partnerKey": []}]
    assert paths["/api/v1/surge"]["get"]["security"] == [{"bearer": []}]
    assert paths["/api/v1/me"]["get"]["security"] == [{"partnerKey": []},
                                                      {"bearer": []}]
    assert "security" not in paths["/api/v1/courses"]["get"]


def test_each_operation_lists_only_the_errors_it_can_give(doc):
    paths = doc["paths"]

    def errors(path, method):
        return {int(s) for s in paths[path][method]["responses"] if int(s) >= 400}

    # a public read of the catalogue copy: its query, an outage; no credentials
    assert errors("/api/v1/courses", "get") == {422, 503}
    # an operator's write: credentials, its path, its body, its key, its conflicts
    assert errors("/api/v1/licences/{licence_id}/extension", "post") == {
        400, 401, 404, 409, 413, 422, 503}
    # the process's own probes call no service
    assert errors("/health", "get") == set()
    # /ready's 503 is its own answer, the checks that failed, not a problem
    ready = paths["/ready"]["get"]["responses"]
    assert set(ready["503"]["content"]) == {"application/json"}
    # what only one route can say
    assert 410 in errors("/api/v1/invitations/{token}/accept", "post")
    assert 410 not in errors("/api/v1/auth/token", "post")
    assert 401 in errors("/api/v1/auth/token", "post")
    assert 403 in errors("/api/v1/institutions/{institution_id}/dashboard", "get")
    assert 403 not in errors("/api/v1/institutions/{institution_id}/licence", "get")
    assert 429 in errors("/api/v1/applications", "post")
    assert 429 not in errors("/api/v1/surge", "get")
    for path, _, op in operations(doc):
        for status, answer in op["responses"].items():
            if int(status) >= 400 and (path, status) != ("/ready", "503"):
                assert set(answer["content"]) == {"application/problem+json"}
