"""Tenant isolation, proven on every route the gateway serves.

The matrix is built from the gateway's own route table: every route × every role ×
own object / another institution's object. A route added without an entry in the
matrix's vocabulary (its roles, its path parameters) fails this test until it is
classified, so a new route cannot escape it.
"""

from __future__ import annotations

import pytest

from gateway.openapi import routes
from gateway.service import GatewayService
from tests.support.journey import onboard, operator
from tests.support.platform import start_platform, stop_platform

pytestmark = pytest.mark.e2e

PUBLIC = {  # routes anyone may call, without a token
    "/health", "/ready", "/metrics", "/api/openapi.json", "/api/asyncapi.json",
    "/api/docs", "/api/docs/events", "/api/docs/<asset>",
    "/api/v1/courses", "/api/v1/courses/<course_id>", "/api/v1/skills",
    "/api/v1/paths", "/api/v1/paths/<path_id>", "/api/v1/applications",
    "/api/v1/applications/<application_id>", "/api/v1/auth/token",
    "/api/v1/invitations/<token>/accept", "/api/v1/password-resets",
    "/api/v1/password-resets/<token>",
}
ROLES = ("operator", "institution_admin", "learner", "partner")
SELF_SCOPED = {"/api/v1/me", "/api/v1/me/progress", "/api/v1/me/skills",
               "/api/v1/progress"}  # a learner's own data: no id in the path


@pytest.fixture(scope="module")
def world(tmp_path_factory, vhost_pipeline):
    with vhost_pipeline.get() as vhost:
        p = start_platform(tmp_path_factory.mktemp("isolation"),
                           f"amqp://guest:guest@127.0.0.1:5672/{vhost}")
        try:
            a = onboard(p, "college-ouest.fr", learners=3)
            b = onboard(p, "college-est.fr", learners=3)
            op = operator(p)
            a.partner_key, a.webhook_id = partner(p, op)
            b.partner_key, b.webhook_id = partner(p, op)
            a.spare_partner_id = p.api("POST", "/api/v1/partners", op, json={
                "name": "Spare", "contact_email": "s@x.org", "event_types": ["#"]}
            ).json()["id"]
            b.spare_partner_id = a.spare_partner_id
            a.lrs_client_id = b.lrs_client_id = p.api(
                "POST", "/api/v1/lrs/clients", op, json={
                    "institution_id": a.id, "name": "Player",
                    "scopes": ["statements/write"]}).json()["id"]
            yield p, a, b, op
        finally:
            assert stop_platform(p) == 0


COURSE = "gestion-de-projet-initiez-vous-aux-fondamentaux"  # operators may edit it


def partner(p, operator_token: str) -> tuple[str, list[str]]:
    """A partner's key and two webhooks: one to read, one the DELETE case may remove."""
    key = p.api("POST", "/api/v1/partners", operator_token, json={
        "name": "Partner", "contact_email": "tech@partner.example",
        "event_types": ["#"]}).json()["api_key"]
    hooks = [p.api("POST", "/api/v1/webhooks", key, json={
        "url": "https://partner.example/hook", "event_types": ["licence.issued.v1"]}
    ).json()["id"] for _ in range(2)]
    return key, hooks


def path_for(url: str, owner, spare: str, method: str = "GET") -> str:
    values = {
        "institution_id": owner.id, "licence_id": owner.licence_id,
        "job_id": owner.roster_job_id, "learner_id": spare, "member_id": spare,
        "application_id": owner.application_id, "course_id": COURSE,
        "webhook_id": owner.webhook_id[method == "DELETE"],
        "partner_id": owner.spare_partner_id, "client_id": owner.lrs_client_id,
        "letter_id": "1",  # operators only: no dead letter here, 404
    }
    path = url
    for name, value in values.items():
        path = path.replace(f"<{name}>", value)
    assert "<" not in path, f"{url}: a path parameter the matrix does not know; add it"
    return path


def cases():
    for name, route in routes(GatewayService):
        if not route.roles:
            assert route.url in PUBLIC, (
                f"{route.method} {route.url} has no roles and is not declared public")
            continue
        assert route.roles <= set(ROLES) | {"partner"}, route.roles
        for method in route.method.split(","):
            yield pytest.param(method, route, id=f"{method} {route.url}")


@pytest.mark.parametrize(("method", "route"), list(cases()))
def test_every_role_reaches_only_what_is_its_own(world, method, route):
    p, a, b, operator_token = world
    kwargs = {"json": {}} if method in ("POST", "PATCH", "PUT") else {}
    # learners 1 and 2 may be removed by the DELETE case, one per role; 0 logs in
    spare = {"operator": 1, "institution_admin": 2, "learner": 2, "partner": 2}
    other = path_for(route.url, b, b.learner_ids[2], method)

    anonymous = p.api(method, path_for(route.url, a, a.learner_ids[2], method), **kwargs)
    assert anonymous.status_code == 401, (route.url, anonymous.text)

    tokens = {"operator": operator_token, "institution_admin": a.admin,
              "learner": a.learners[a.learner_ids[0]], "partner": a.partner_key}
    for role, token in tokens.items():
        # a DELETE may remove its spare learner; any other method acts on learner 0,
        # who stays on the roster (a removed learner would be a 404 of its own)
        learner = a.learner_ids[spare[role]] if method == "DELETE" else a.learner_ids[0]
        own = path_for(route.url, a, learner, method)
        answer = p.api(method, own, token, **kwargs)
        if role not in route.roles:
            assert answer.status_code == 404, (role, own, answer.text)
            continue
        assert answer.status_code < 500, (role, own, answer.text)
        if "<" not in route.url or route.url in SELF_SCOPED:
            continue
        if (role, "<institution_id>" in route.url) in {("institution_admin", True),
                                                       ("partner", False)}:
            assert answer.status_code != 404, (own, answer.text)
            elsewhere = p.api(method, other, token, **kwargs)
            assert elsewhere.status_code == 404, (role, other, elsewhere.text)
            assert elsewhere.json()["type"].endswith("/not-found")
