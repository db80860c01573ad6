"""Errors as problem+json: field paths of nested validation messages."""

from __future__ import annotations

import kombu.exceptions
import pytest
from marshmallow import ValidationError
from nameko.exceptions import deserialize
from sqlalchemy.exc import OperationalError

from gateway.errors import ApiError, flatten, headers_for, problem_for
from services.catalog.contracts.errors import NotFound
from services.common.outage import Unavailable, serialize_error
from services.onboarding.contracts.errors import Conflict, Invalid, InvitationUnusable
from services.onboarding.contracts.rpc import ApplicationRequest
from services.tracking.contracts.errors import Forbidden


def test_nested_messages_become_dotted_fields():
    assert flatten(
        {
            "name": ["Missing data for required field."],
            "contact": {
                "email": ["Not a valid email address."],
                "role": ["Shorter than minimum length 1."],
            },
        }
    ) == [
        {"field": "name", "reason": "Missing data for required field."},
        {"field": "contact.email", "reason": "Not a valid email address."},
        {"field": "contact.role", "reason": "Shorter than minimum length 1."},
    ]


def test_several_reasons_for_one_field_are_each_listed():
    assert flatten({"score": ["too high", "not an integer"]}) == [
        {"field": "score", "reason": "too high"},
        {"field": "score", "reason": "not an integer"},
    ]


def test_list_items_are_named_by_their_index():
    assert flatten({"languages": {1: ["Must be one of: fr, en."]}}) == [
        {"field": "languages.1", "reason": "Must be one of: fr, en."},
    ]


def test_messages_without_a_field_have_a_null_field():
    assert flatten(["the file is empty"]) == [
        {"field": None, "reason": "the file is empty"}
    ]
    assert flatten("boom") == [{"field": None, "reason": "boom"}]


def test_real_schema_messages_flatten_to_dotted_fields():
    data = {
        "name": "Lycée Victor Hugo",
        "type": "secondary_school",
        "country": "FR",
        "city": "Paris",
        "website": "https://www.lycee-hugo.fr",
        "contact": {"name": "Anne", "email": "not-an-email", "role": "Proviseure"},
        "expected_learners": 300,
        "languages": ["fr", "de"],
        "timezone": "Europe/Paris",
    }
    with pytest.raises(ValidationError) as raised:
        ApplicationRequest().load(data)

    fields = {e["field"] for e in flatten(raised.value.messages)}

    assert fields == {"contact.email", "languages.1"}


def test_an_invalid_request_is_a_422_with_field_errors():
    body = problem_for(Invalid({"contact": {"email": ["Not a valid email address."]}}))

    assert body["status"] == 422
    assert body["type"].endswith("/validation-error")
    assert body["errors"] == [
        {"field": "contact.email", "reason": "Not a valid email address."}
    ]


@pytest.mark.parametrize(
    "exc, status",
    [
        (NotFound("course not found"), 404),
        (Conflict("already decided"), 409),
        (InvitationUnusable("expired"), 410),
        (ApiError(429, "rate-limited", "slow down"), 429),
        (RuntimeError("database exploded"), 500),
    ],
)
def test_each_error_has_its_status(exc, status):
    body = problem_for(exc)
    assert body["status"] == status
    assert "exploded" not in body["detail"]


def test_a_forbidden_progress_says_why():
    body = problem_for(Forbidden("licence_expired", "the licence has expired"))

    assert (body["status"], body["reason"], body["detail"]) == (
        403,
        "licence_expired",
        "the licence has expired",
    )


@pytest.mark.parametrize("outage", [
    OperationalError("SELECT 1", {}, Exception("server closed the connection")),
    kombu.exceptions.OperationalError("[Errno 111] ECONNREFUSED"),
    ConnectionResetError(104, "Connection reset by peer"),
])
def test_an_outage_here_or_in_a_service_is_503_with_retry_after(outage):
    remote = deserialize(serialize_error(outage))  # as a service's answer carries it
    assert isinstance(remote, Unavailable)
    for exc in (outage, remote):
        body = problem_for(exc)
        assert (body["status"], body["type"].rsplit("/", 1)[1]) == (
            503, "service-unavailable")
        assert int(headers_for(exc, body["status"])["Retry-After"]) > 0


def test_a_bug_in_a_service_stays_a_502_without_retry_after():
    remote = deserialize(serialize_error(KeyError("learner_id")))
    assert problem_for(remote)["status"] == 502
    assert "Retry-After" not in headers_for(remote, 502)
