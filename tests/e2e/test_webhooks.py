"""Partners integrate by the book: signed webhooks checked by an independent verifier."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from standardwebhooks import Webhook as Verifier  # the reference implementation

from services.common.config import database_url
from tests.support import journey
from tests.support.journey import application
from tests.support.platform import start_platform, stop_platform
from tests.support.receiver import Receiver
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


_TOKENS: dict[int, str] = {}


def operator(p) -> str:
    """The operator's token, signed in once per platform: the sign-in limit per
    account (10 a minute) counts every sign-in of this module's tests."""
    if id(p) not in _TOKENS:
        _TOKENS[id(p)] = journey.operator(p)
    return _TOKENS[id(p)]


@pytest.fixture(scope="module")
def platform(tmp_path_factory, vhost_pipeline):
    with vhost_pipeline.get() as vhost:
        p = start_platform(tmp_path_factory.mktemp("webhooks"),
                           f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
                           extra_env={"WEBHOOK_POLL_SECONDS": "0.2",
                                      "WEBHOOK_RETRY_SECONDS": "0.5,0.5,0.5,0.5",
                                      # the receivers listen on this machine
                                      "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32"})
        yield p
        assert stop_platform(p) == 0


def new_partner(p, event_types, institution_ids=None) -> str:
    answer = p.api("POST", "/api/v1/partners", operator(p), json={
        "name": "Edu Partner", "contact_email": "tech@partner.example",
        "event_types": event_types, "institution_ids": institution_ids})
    assert answer.status_code == 201, answer.text
    key = answer.json()["api_key"]
    assert key.startswith("ck_")
    return key


def test_signed_deliveries_retries_rotation_and_replay(platform):
    p = platform
    key = new_partner(p, ["institution.*.v1", "licence.*.v1"])
    receiver = Receiver(fail_first=1)
    try:
        created = p.api("POST", "/api/v1/webhooks", key, json={
            "url": receiver.url, "event_types": ["institution.activated.v1",
                                                 "licence.issued.v1"]})
        assert created.status_code == 201, created.text
        hook = created.json()
        assert hook["secret"].startswith("whsec_")
        since = datetime.now(UTC).isoformat()

        p.api("POST", "/api/v1/applications", json=application("partner-one.fr"))
        deliveries = wait_for(lambda: (d := p.api(
            "GET", f"/api/v1/webhooks/{hook['id']}/deliveries", key).json())["items"]
            and len(d["items"]) == 2 and {x["status"] for x in d["items"]} == {"delivered"}
            and d)
        assert len(deliveries["items"]) == 2
        events = receiver.verified(hook["secret"])  # the failed try was signed too
        assert sorted({e["event_type"] for e in events}) == ["institution.activated.v1",
                                                             "licence.issued.v1"]
        assert all(e["type"] == e["event_type"] and e["data"] for e in events)
        retried = [d for d in deliveries["items"] if d["attempts"] == 2]
        assert len(retried) == 1 and retried[0]["last_status_code"] == 204

        rotated = p.api("POST", f"/api/v1/webhooks/{hook['id']}/secret", key).json()
        assert rotated["secret"] != hook["secret"]
        before = len(receiver.requests)
        p.api("POST", "/api/v1/applications", json=application("partner-two.fr"))
        wait_for(lambda: len(receiver.requests) >= before + 2)
        latest = receiver.requests[before:]
        for secret in (rotated["secret"], hook["secret"]):  # both sign during rotation
            Verifier(secret).verify(latest[0]["body"], latest[0]["headers"])

        replayed = p.api("POST", f"/api/v1/webhooks/{hook['id']}/replay", key,
                         json={"since": since})
        assert replayed.status_code == 202 and replayed.json()["queued"] == 4
        wait_for(lambda: len(receiver.requests) >= before + 6)
        ids = [json.loads(r["body"])["event_id"] for r in receiver.requests[before + 2:]]
        assert len(ids) == 4 and len(set(ids)) == 4
    finally:
        receiver.close()


def test_scopes_validation_isolation_and_revocation(platform):
    p = platform
    scoped = new_partner(p, ["institution.activated.v1"], institution_ids=["elsewhere"])
    receiver = Receiver()
    try:
        outside = p.api("POST", "/api/v1/webhooks", scoped, json={
            "url": receiver.url, "event_types": ["licence.issued.v1"]})
        assert outside.status_code == 422 and "scope" in outside.text
        for bad in ({"url": "ftp://x.example/h", "event_types": ["institution.activated.v1"]},
                    {"url": "http://example.org/h", "event_types": ["institution.activated.v1"]},
                    {"url": receiver.url, "event_types": ["no.such.v1"]}):
            assert p.api("POST", "/api/v1/webhooks", scoped, json=bad).status_code == 422
        hook = p.api("POST", "/api/v1/webhooks", scoped, json={
            "url": receiver.url, "event_types": ["institution.activated.v1"]}).json()
        p.api("POST", "/api/v1/applications", json=application("partner-three.fr"))

        other = new_partner(p, ["#"])
        assert p.api("GET", f"/api/v1/webhooks/{hook['id']}/deliveries",
                     other).status_code == 404
        assert receiver.requests == []  # the activation was not in its institutions

        partner_id = p.api("GET", "/api/v1/me", scoped).json()["id"]
        assert p.api("DELETE", f"/api/v1/partners/{partner_id}",
                     operator(p)).status_code == 204
        assert p.api("GET", "/api/v1/webhooks", scoped).status_code == 401
    finally:
        receiver.close()


def test_endpoints_inside_our_network_are_refused(platform):
    """Only 127.0.0.1 is allowed here (the receivers): every other inside address,
    however spelled, is refused with the reason, and nothing is registered."""
    p = platform
    key = new_partner(p, ["institution.*.v1"])
    for url in ("https://169.254.169.254/latest/meta-data/", "https://10.0.0.5/h",
                "https://167772161/h", "https://0xa9fea9fe/h",  # 10.0.0.1, the metadata
                "http://[::1]:8080/h", "https://127.0.0.2/h",
                "https://[::ffff:7f00:2]/h", "https://metadata.google.internal/h",
                "https://localhost:8443/h", "https://ops:pw@hooks.example/h"):
        refused = p.api("POST", "/api/v1/webhooks", key, json={
            "url": url, "event_types": ["institution.activated.v1"]})
        assert refused.status_code == 422, (url, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        (error,) = refused.json()["errors"]
        assert error["field"] == "url" and error["reason"], (url, error)
    assert p.api("GET", "/api/v1/webhooks", key).json()["items"] == []


def test_a_scoped_partner_replays_only_its_institutions_events(platform):
    p = platform
    since = datetime.now(UTC).isoformat()
    types = ["application.received.v1", "institution.approved.v1",
             "institution.activated.v1", "licence.issued.v1"]
    everything, mine = Receiver(), Receiver()
    try:  # a partner of every institution sees the events as they happen
        unscoped = new_partner(p, ["#"])
        assert p.api("POST", "/api/v1/webhooks", unscoped, json={
            "url": everything.url, "event_types": types}).status_code == 201
        ids = []
        for domain in ("replay-own.fr", "replay-stranger.fr"):
            status_url = p.api("POST", "/api/v1/applications", json=application(domain)
                               ).json()["status_url"].replace(p.url, "")
            ids.append(wait_for(lambda u=status_url: (r := p.api("GET", u).json())[
                "status"] == "active" and r["institution_id"]))
        own, stranger = ids
        wait_for(lambda: len(everything.requests) >= 8)  # 4 types, 2 institutions

        scoped = new_partner(p, ["#"], institution_ids=[own])
        hook = p.api("POST", "/api/v1/webhooks", scoped, json={
            "url": mine.url, "event_types": types}).json()
        replayed = p.api("POST", f"/api/v1/webhooks/{hook['id']}/replay", scoped,
                         json={"since": since})
        assert replayed.status_code == 202
        queued = replayed.json()["queued"]
        wait_for(lambda: len(mine.requests) >= queued)
        events = mine.verified(hook["secret"])
        assert sorted(e["event_type"] for e in events) == [
            "institution.activated.v1", "institution.approved.v1", "licence.issued.v1"]
        assert {e["data"]["institution_id"] for e in events} == {own} != {stranger}
    finally:
        everything.close()
        mine.close()


def test_a_partner_created_and_revoked_once_each_when_retried_and_audited(platform):
    """Operators' key changes are safe to retry (Idempotency-Key: the first answer
    again, never a second partner or key) and each leaves one audit record, which
    never holds the key."""
    p = platform
    ops = operator(p)
    body = {"name": "LMS retried", "contact_email": "tech@lms-retried.example",
            "event_types": ["licence.*.v1"]}
    create = {"Idempotency-Key": "partner-lms-retried",
              "X-Request-Id": "req-partner-lms-retried"}
    first = p.api("POST", "/api/v1/partners", ops, json=body, headers=dict(create))
    again = p.api("POST", "/api/v1/partners", ops, json=body, headers=dict(create))
    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    partner, key = first.json()["id"], first.json()["api_key"]
    listed = p.api("GET", "/api/v1/partners", ops).json()["items"]
    assert [x["id"] for x in listed if x["name"] == "LMS retried"] == [partner]

    revoke = {"Idempotency-Key": "revoke-lms-retried"}
    for _ in range(2):
        gone = p.api("DELETE", f"/api/v1/partners/{partner}", ops, headers=dict(revoke))
        assert gone.status_code == 204, gone.text
    assert gone.headers["Idempotent-Replayed"] == "true"
    assert p.api("GET", "/api/v1/me", key).status_code == 401

    def records(action: str) -> list[dict]:
        items = p.api("GET", "/api/v1/audit", ops, params={"action": action}).json()
        return [r for r in items["items"] if r["target_id"] == partner]

    [created] = records("partner.created")
    [revoked] = records("partner.revoked")
    assert (created["operator_email"], created["request_id"], created["before"]) == (
        "ops@continuity.test", "req-partner-lms-retried", None)
    assert created["after"]["name"] == "LMS retried"
    assert revoked["before"]["revoked_at"] is None and revoked["after"]["revoked_at"]
    assert key not in str(created) + str(revoked)


def test_a_partner_key_kept_for_a_retry_is_not_in_the_database_in_clear(platform):
    """The operator whose connection dropped retries and gets the key shown once;
    whoever reads the gateway's database finds neither that key nor the
    Idempotency-Key that would open the kept answer (decision 0066)."""
    p = platform
    idempotency_key = str(uuid.uuid4())
    request = {"name": "Kept Partner", "contact_email": "kept@partner.example",
               "event_types": ["licence.*.v1"]}
    sent = [p.api("POST", "/api/v1/partners", operator(p), json=request,
                  headers={"Idempotency-Key": idempotency_key}) for _ in range(2)]
    first, retry = sent
    assert first.status_code == retry.status_code == 201, retry.text
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert retry.json() == first.json()
    api_key = first.json()["api_key"]
    assert p.api("GET", "/api/v1/me", api_key).json()["id"] == first.json()["id"]
    other = p.api("POST", "/api/v1/partners", operator(p),
                  json={**request, "name": "X"},
                  headers={"Idempotency-Key": idempotency_key})
    assert other.status_code == 422, other.text  # the key came with another request

    engine = create_engine(database_url("gateway", p.env, p.var_dir))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM idempotent_requests")).all()
    finally:
        engine.dispose()
    assert rows  # the answer is kept: the retry above was answered from it
    values = [str(value) for row in rows for value in row]
    for clear in (api_key, api_key[3:], idempotency_key, first.json()["id"]):
        assert not any(clear in value for value in values), clear
