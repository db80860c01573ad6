"""The gateway as partners and browsers meet it: documents, errors, limits, isolation."""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import replace

import pytest
import requests

from tests.support.journey import login, onboard, operator, problem
from tests.support.platform import start_gateway, start_platform, stop_platform
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

PARTNER_ORIGIN = "https://lms.partner.example"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, rabbit_manager, vhost_pipeline, request):
    tmp = tmp_path_factory.mktemp("gateway")
    with vhost_pipeline.get() as vhost:
        uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
        running = start_platform(tmp, uri, extra_env={
            "RATE_LIMIT_APPLY": "5/60", "RATE_LIMIT_LOGIN": "100/60",
            "CORS_ALLOWED_ORIGINS": PARTNER_ORIGIN})
        yield running
        assert stop_platform(running) == 0


def test_openapi_lists_every_route_the_gateway_serves(platform):
    from gateway.openapi import routes
    from gateway.service import GatewayService

    doc = platform.api("GET", "/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    served = {(re.sub(r"<([a-z_]+)>", r"{\1}", r.url), r.method.lower())
              for _, r in routes(GatewayService)}
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert served == documented
    apply = doc["paths"]["/api/v1/applications"]["post"]
    assert "429" in apply["responses"] and "422" in apply["responses"]
    assert platform.api("GET", "/api/docs").headers["Content-Type"].startswith("text/html")


def test_the_docs_pages_need_nothing_but_the_gateway(platform):
    page = platform.api("GET", "/api/docs")
    assert page.headers["Content-Type"].startswith("text/html")
    linked = re.findall(r'(?:src|href)="([^"#]+)"', page.text)
    assert not [url for url in linked if "://" in url]  # no CDN, nothing outside
    for url in linked:
        answer = platform.api("GET", url)
        assert answer.status_code == 200, url
    bundle = platform.api("GET", "/api/docs/swagger-ui-bundle.js")
    assert bundle.headers["Content-Type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in bundle.text
    for elsewhere in ("/api/docs/nope.js", "/api/docs/..%2F..%2Fpyproject.toml"):
        assert platform.api("GET", elsewhere).status_code == 404
    events = platform.api("GET", "/api/docs/events").text
    from services.common.contracts import all_event_types

    for name in all_event_types():
        assert f'<section id="{name}">' in events
    assert "<code>learners[].email</code>" in events


def test_asyncapi_documents_every_event_type_with_its_exchange(platform):
    from services.common.contracts import all_event_types

    doc = platform.api("GET", "/api/asyncapi.json").json()
    assert set(doc["channels"]) == set(all_event_types())
    issued = doc["channels"]["licence.issued.v1"]
    assert issued["bindings"]["amqp"]["exchange"]["name"] == "licensing.events"
    data = issued["subscribe"]["message"]["payload"]["properties"]["data"]
    assert {"licence_id", "institution_id", "seats"} <= set(data["properties"])


def test_errors_are_problem_json_with_fields(platform):
    bad = platform.api("POST", "/api/v1/applications", json={
        "name": "X", "type": "castle", "country": "XX", "city": "", "website": "ftp://x",
        "contact": {"name": "A", "email": "not-an-email", "role": "r"},
        "expected_learners": 0, "languages": ["de"], "timezone": "Mars/Olympus",
        "is_admin": True})
    assert bad.status_code == 422
    assert bad.headers["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"type", "country", "website", "contact.email", "expected_learners",
            "languages.0", "timezone", "is_admin"} <= fields
    for path, method, status in [("/api/v1/nope", "GET", 404),
                                 ("/api/v1/courses", "DELETE", 405),
                                 ("/api/v1/me", "GET", 401)]:
        answer = platform.api(method, path)
        assert answer.status_code == status
        assert answer.json()["status"] == status
    broken = platform.api("POST", "/api/v1/auth/token", data=b"{not json",
                          headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["type"].endswith("malformed-json")
    huge = platform.api("POST", "/api/v1/auth/token", data=b"x" * 100_000,
                        headers={"Content-Type": "application/json"})
    assert huge.status_code == 413


def test_tokens_that_are_expired_tampered_unsigned_or_for_another_audience_fail(platform):
    import base64

    import jwt

    good = platform.api("POST", "/api/v1/auth/token", json={
        "email": "ops@continuity.test", "password": "operator-secret-1"}).json()["access_token"]
    assert platform.api("GET", "/api/v1/me", good).status_code == 200
    header, payload, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "role": "operator",
                                                  "sub": "someone"}).encode()).rstrip(b"=")
    unsigned = jwt.encode({**claims}, key=None, algorithm="none")
    wrong_audience = jwt.encode({**claims, "aud": "elsewhere"}, "guess", algorithm="HS256")
    expired = jwt.encode({**claims, "exp": 1}, "guess", algorithm="HS256")
    for token in (f"{header}.{forged.decode()}.{signature}", unsigned, wrong_audience, expired):
        refused = platform.api("GET", "/api/v1/me", token)
        assert refused.status_code == 401, token


def login_from(platform, source: str, email: str, password: str) -> tuple[int, dict]:
    """POST /auth/token from another loopback address (the whole 127/8 is this host)."""
    host, port = platform.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30,
                                            source_address=(source, 0))
    try:
        connection.request("POST", "/api/v1/auth/token",
                           json.dumps({"email": email, "password": password}),
                           {"Content-Type": "application/json"})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders())
    finally:
        connection.close()


def test_failed_logins_slow_the_guesser_not_the_owner(platform):
    owner = {"email": "ops@continuity.test", "password": "operator-secret-1"}
    for _ in range(5):
        status, _ = login_from(platform, "127.0.0.1", owner["email"], "guess")
        assert status == 401
    status, headers = login_from(platform, "127.0.0.1", owner["email"], "guess")
    assert status == 429 and int(headers["Retry-After"]) >= 1
    # the guesser waits, even with the right password...
    assert login_from(platform, "127.0.0.1", **owner)[0] == 429
    # ...while the owner, from their own address, logs in at once
    assert login_from(platform, "127.0.0.2", **owner)[0] == 200


def test_public_routes_are_rate_limited_per_address(platform):
    # the limit is 5 a minute here; an earlier test in this module used one of them
    answers = [platform.api("POST", "/api/v1/applications", json={}) for _ in range(8)]
    codes = [a.status_code for a in answers]
    first_refused = codes.index(429)
    assert 4 <= first_refused <= 5
    assert set(codes[:first_refused]) == {422} and set(codes[first_refused:]) == {429}
    assert int(answers[-1].headers["Retry-After"]) >= 1


def test_every_answer_carries_the_security_headers(platform):
    for path in ("/api/v1/courses", "/api/v1/no-such-route", "/api/docs", "/health"):
        answer = platform.api("GET", path)
        assert answer.headers["X-Content-Type-Options"] == "nosniff", path
        assert answer.headers["Referrer-Policy"] == "no-referrer", path
        assert answer.headers["X-Frame-Options"] == "DENY", path
        # served over plain HTTP here: no HSTS (it would pin a host to HTTPS)
        assert "Strict-Transport-Security" not in answer.headers, path
    for path in ("/api/v1/courses", "/api/v1/no-such-route"):
        policy = platform.api("GET", path).headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_only_listed_origins_may_call_the_api_from_a_browser(platform):
    listed = platform.api("GET", "/api/v1/courses", headers={"Origin": PARTNER_ORIGIN})
    assert listed.headers["Access-Control-Allow-Origin"] == PARTNER_ORIGIN
    assert "X-Request-Id" in listed.headers["Access-Control-Expose-Headers"]
    assert "Origin" in listed.headers["Vary"]
    other = platform.api("GET", "/api/v1/courses",
                         headers={"Origin": "https://attacker.example"})
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers

    preflight = platform.api("OPTIONS", "/api/v1/applications", headers={
        "Origin": PARTNER_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, idempotency-key"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == PARTNER_ORIGIN
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "idempotency-key" in preflight.headers["Access-Control-Allow-Headers"]
    # cookies never cross origins: the web app's session stays on its own site
    assert "Access-Control-Allow-Credentials" not in preflight.headers

    for headers, reason in (
        ({"Origin": "https://attacker.example", "Access-Control-Request-Method": "POST"},
         "https://attacker.example"),
        ({"Origin": PARTNER_ORIGIN, "Access-Control-Request-Method": "DELETE"},
         "DELETE"),
        ({"Origin": PARTNER_ORIGIN, "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "x-forwarded-for"}, "x-forwarded-for"),
    ):
        refused = platform.api("OPTIONS", "/api/v1/applications", headers=headers)
        assert refused.status_code == 403, headers
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert refused.json()["type"].endswith("cross-origin-refused")
        assert reason in refused.json()["detail"]
        assert "Access-Control-Allow-Origin" not in refused.headers

    plain = platform.api("OPTIONS", "/api/v1/applications")
    assert plain.status_code == 204 and "POST" in plain.headers["Allow"]
    assert platform.api("OPTIONS", "/api/v1/no-such-route").status_code == 404


# how long a revoked token may still work on a gateway that did not revoke it: the
# default REVOCATION_REFRESH_SECONDS, plus the event's way to the gateway
REVOKED_WITHIN = 5 + 3


def test_tokens_end_when_they_should_on_every_gateway_and_keys_rotate(
        platform, tmp_path_factory):
    p = platform
    port = int(p.url.rsplit(":", 1)[1]) + 51  # inside the platform's free block
    rotated_key = "rotated-secret-" + "r" * 40
    second = start_gateway(p, port, tmp_path_factory.mktemp("rotation") / "gw-2.log", {
        "TOKEN_SECRET": rotated_key, "TOKEN_PREVIOUS_SECRETS": p.env["TOKEN_SECRET"],
        "TRUSTED_PROXY_HOPS": "1"})
    pod = f"http://127.0.0.1:{port}"
    # the school applies through the second pod, from an address of its own: the
    # module's other tests spend the first address's applications
    class ToPod(requests.Session):
        def request(self, method, url, *args, **kwargs):
            return super().request(method, url.replace(p.url, pod, 1), *args, **kwargs)

    through_pod = replace(p, http=ToPod())
    through_pod.http.headers["X-Forwarded-For"] = "203.0.113.40"

    def status(url: str, token: str) -> int:
        return requests.get(url + "/api/v1/me", timeout=10,
                            headers={"Authorization": f"Bearer {token}"}).status_code

    try:
        school = onboard(through_pod, "lycee-revocation.fr", learners=3)
        # a rotation: the new key's pod accepts the previous key's tokens; a pod
        # that does not know the new key refuses its tokens (unknown kid)
        signed_new = school.admin
        assert status(pod, signed_new) == 200
        assert "signing key" in problem(p.api("GET", "/api/v1/me", signed_new),
                                        401)["detail"]
        domain = "lycee-revocation.fr"
        admin = login(p, f"direction@{domain}", "admin-password-1")  # previous key
        learners = [login(p, f"eleve{n}@{domain}", "learner-password-1")
                    for n in range(3)]
        assert status(pod, admin) == 200 and status(p.url, admin) == 200
        ids = [p.api("GET", "/api/v1/me", t).json()["id"] for t in learners]
        token, removed, other = learners

        # a password change: the answer carries a new token, every older one ends
        change = "/api/v1/me/password"
        problem(p.api("POST", change, token, json={
            "current_password": "not-it", "new_password": "new-password-22"}), 403)
        problem(p.api("POST", change, token, json={
            "current_password": "learner-password-1", "new_password": "short"}), 422)
        changed = p.api("POST", change, token, json={
            "current_password": "learner-password-1",
            "new_password": "new-password-22"})
        assert changed.status_code == 200, changed.text
        renewed = changed.json()["access_token"]
        for url in (p.url, pod):
            wait_for(lambda url=url: status(url, token) == 401, timeout=REVOKED_WITHIN)
            assert status(url, renewed) == 200
        login(p, f"eleve0@{domain}", "new-password-22")

        # a learner removed from the roster
        gone = p.api("DELETE", f"/api/v1/institutions/{school.id}/learners/{ids[1]}",
                     admin)
        assert gone.status_code == 204, gone.text
        for url in (pod, p.url):
            wait_for(lambda url=url: status(url, removed) == 401,
                     timeout=REVOKED_WITHIN)
        assert status(p.url, other) == 200  # only that learner

        # the institution's licence revoked: its admin's and learners' tokens end
        revoked = p.api("POST", f"/api/v1/licences/{school.licence_id}/revocation",
                        operator(p), json={"reason": "The school closed its space"})
        assert revoked.status_code == 200, revoked.text
        for url in (pod, p.url):
            for token in (admin, other, renewed):
                wait_for(lambda url=url, token=token: status(url, token) == 401,
                         timeout=REVOKED_WITHIN)
    finally:
        second.terminate()
        second.wait(30)
