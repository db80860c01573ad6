"""Rate limits as a deployment meets them: several gateway pods, a proxy in front.

Two gateway processes of one platform share every limit (Redis); the second trusts
one proxy hop, as behind an Ingress: each forwarded client address has its own
bucket, and what the client itself put in X-Forwarded-For counts for nothing; HTTPS
is what that proxy said (X-Forwarded-Proto), so HSTS follows it. The first trusts
none, as on a laptop: a forged header changes nothing there.
"""

from __future__ import annotations

import pytest
import requests

from tests.support.journey import application
from tests.support.platform import start_gateway, start_platform, stop_platform

pytestmark = pytest.mark.e2e

LIMIT = 4  # per window, for every limit in this module


@pytest.fixture(scope="module")
def gateways(tmp_path_factory, vhost_pipeline):
    tmp = tmp_path_factory.mktemp("limits")
    with vhost_pipeline.get() as vhost:
        uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
        p = start_platform(tmp, uri, extra_env={
            "RATE_LIMIT_APPLY": f"{LIMIT}/600", "RATE_LIMIT_LOGIN": f"{LIMIT}/600",
            "RATE_LIMIT_LOGIN_ACCOUNT": f"{LIMIT}/600"})
        port = int(p.url.rsplit(":", 1)[1]) + 50  # inside the platform's free block
        behind_proxy = start_gateway(p, port, tmp / "gateway-2.log",
                                     {"TRUSTED_PROXY_HOPS": "1"})
        try:
            yield p.url, f"http://127.0.0.1:{port}"
        finally:
            behind_proxy.terminate()
            behind_proxy.wait(30)
            assert stop_platform(p) == 0


def login(url: str, email: str, forwarded: str | None = None) -> requests.Response:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return requests.post(f"{url}/api/v1/auth/token", timeout=10, headers=headers,
                         json={"email": email, "password": "not-the-password"})


def test_two_gateway_processes_count_one_limit_together(gateways):
    direct, proxied = gateways
    # without a forwarded header both see this machine's address: one client
    answers = [login(url, f"user{n}@school.example").status_code
               for n, url in enumerate([direct, proxied] * LIMIT)]
    assert answers[:LIMIT] == [401] * LIMIT
    refused = login(direct, "another@school.example")
    assert answers[LIMIT:] == [429] * LIMIT and refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    assert refused.json()["type"].endswith("too-many-requests")


def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(gateways):
    _, proxied = gateways
    for n in range(LIMIT):
        applied = requests.post(f"{proxied}/api/v1/applications", timeout=30,
                                headers={"X-Forwarded-For": "203.0.113.7"},
                                json=application(f"proxied-{n}.example"))
        assert applied.status_code == 202, applied.text
    blocked = requests.post(f"{proxied}/api/v1/applications", timeout=30,
                            headers={"X-Forwarded-For": "203.0.113.7"},
                            json=application("proxied-blocked.example"))
    assert blocked.status_code == 429
    # the client wrote the first address, the proxy appended the one it saw: only
    # the proxy's word counts, so a new address can't be forged in front of it
    forged = requests.post(f"{proxied}/api/v1/applications", timeout=30,
                           headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"},
                           json=application("proxied-forged.example"))
    assert forged.status_code == 429
    # nor through RFC 7239's header, which the gateway does not read
    rfc7239 = requests.post(f"{proxied}/api/v1/applications", timeout=30,
                            headers={"X-Forwarded-For": "203.0.113.7",
                                     "Forwarded": "for=198.51.100.2;proto=https"},
                            json=application("proxied-rfc7239.example"))
    assert rfc7239.status_code == 429
    neighbour = requests.post(f"{proxied}/api/v1/applications", timeout=30,
                              headers={"X-Forwarded-For": "203.0.113.8"},
                              json=application("proxied-neighbour.example"))
    assert neighbour.status_code == 202, neighbour.text


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(gateways):
    direct, _ = gateways
    # a new claimed address each time: where no proxy is trusted, it buys nothing
    answers = [login(direct, f"forger{n}@school.example",
                     forwarded=f"192.0.2.{n}").status_code for n in range(LIMIT + 2)]
    assert answers.count(429) >= 2 and answers[-2:] == [429, 429]


def test_guesses_on_one_account_from_many_addresses_meet_one_limit(gateways):
    _, proxied = gateways
    victim = "head@victim-school.example"
    answers = [login(proxied, victim, forwarded=f"198.51.100.{10 + n}").status_code
               for n in range(LIMIT + 2)]
    assert answers[:LIMIT] == [401] * LIMIT
    assert answers[LIMIT:] == [429, 429]
    # another account from one of those addresses is not held up by the victim's
    assert login(proxied, "other@victim-school.example",
                 forwarded="198.51.100.99").status_code == 401


def test_https_as_the_trusted_proxy_saw_it_brings_hsts_and_nobody_else_can_claim_it(
        gateways):
    direct, proxied = gateways
    # the Ingress ends TLS and says so: browsers are told to keep to HTTPS
    over_https = requests.get(f"{proxied}/api/v1/courses", timeout=10,
                              headers={"X-Forwarded-Proto": "https"})
    assert over_https.status_code == 200
    assert over_https.headers["Strict-Transport-Security"].startswith("max-age=")
    over_http = requests.get(f"{proxied}/api/v1/courses", timeout=10,
                             headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in over_http.headers
    # where no proxy is trusted, a client's claim of HTTPS changes nothing
    claimed = requests.get(f"{direct}/api/v1/courses", timeout=10,
                           headers={"X-Forwarded-Proto": "https"})
    assert claimed.status_code == 200
    assert "Strict-Transport-Security" not in claimed.headers
