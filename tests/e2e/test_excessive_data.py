"""Mass assignment and excessive data (OWASP API3:2023), read from the served OpenAPI.

Every write route with a JSON body refuses fields it does not take (unknown ones, and
the read-only ones its answer shows, such as `status` or `institution_id`): a client
cannot set what the platform decides. No documented answer carries a secret beyond
the one it exists to hand over, and then only to its owner.
"""

from __future__ import annotations

import re

import pytest

from tests.support.journey import application, onboard, operator
from tests.support.platform import start_platform, stop_platform

pytestmark = pytest.mark.e2e

# fields no answer may carry at all
FORBIDDEN = re.compile(r"password|_hash$|^hash$|salt|traceback|stack|exception")
# secrets some answers exist to hand over, and the only answers that may carry them:
# the applicant's own capability to follow their application, a partner's key once at
# creation, a webhook's signing secret to the partner that owns it
HANDED_OVER = {
    "status_token": {("post", "/api/v1/applications"),
                     ("get", "/api/v1/applications/{application_id}")},
    "access_token": {("post", "/api/v1/auth/token"),
                     ("post", "/api/v1/invitations/{token}/accept"),
                     ("post", "/api/v1/password-resets/{token}"),
                     # the new token of a password change, which ends the old one
                     ("post", "/api/v1/me/password")},
    "api_key": {("post", "/api/v1/partners")},
    # and an LRS client's password, once, to the operator who issues it
    "secret": {("post", "/api/v1/lrs/clients"),
               ("get", "/api/v1/webhooks"), ("post", "/api/v1/webhooks"),
               ("post", "/api/v1/webhooks/{webhook_id}/enable"),
               ("post", "/api/v1/webhooks/{webhook_id}/secret")},
}
# what a client might try to set although the platform decides it
PRIVILEGED = {"is_admin", "role", "roles", "owner_id"}


@pytest.fixture(scope="module")
def world(tmp_path_factory, vhost_pipeline):
    with vhost_pipeline.get() as vhost:
        p = start_platform(tmp_path_factory.mktemp("excessive"),
                           f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
                           extra_env={"WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"})
        try:
            school = onboard(p, "mass-assignment.fr", learners=1)
            ops = operator(p)
            partner = p.api("POST", "/api/v1/partners", ops, json={
                "name": "Edu Partner", "contact_email": "tech@partner.example",
                "event_types": ["institution.*.v1"]}).json()["api_key"]
            hook = p.api("POST", "/api/v1/webhooks", partner, json={
                "url": "http://127.0.0.1:9/hook", "event_types": ["institution.*.v1"]})
            assert hook.status_code == 201, hook.text
            school.webhook_id = hook.json()["id"]
            tokens = {"operator": ops, "institution_admin": school.admin,
                      "learner": next(iter(school.learners.values())),
                      "partner": partner, "anonymous": None}
            yield p, p.api("GET", "/api/openapi.json").json(), tokens, school
        finally:
            assert stop_platform(p) == 0


def resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def properties(doc: dict, schema: dict, seen: frozenset = frozenset()) -> set[str]:
    """Every property name in a schema, nested ones included."""
    name = schema.get("$ref")
    if name in seen:
        return set()
    schema = resolve(doc, schema)
    found = set()
    for key, sub in (schema.get("properties") or {}).items():
        found |= {key} | properties(doc, sub, seen | {name})
    for sub in [schema.get("items"), schema.get("additionalProperties"),
                *schema.get("allOf", []), *schema.get("anyOf", []),
                *schema.get("oneOf", [])]:
        if isinstance(sub, dict):
            found |= properties(doc, sub, seen | {name})
    return found


def json_schema(part: dict) -> dict | None:
    return ((part.get("content") or {}).get("application/json") or {}).get("schema")


def operations(doc: dict):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if isinstance(op, dict) and "responses" in op:
                yield path, method, op


def test_every_write_route_refuses_fields_it_does_not_take(world):
    p, doc, tokens, school = world
    ids = {"institution_id": school.id, "licence_id": school.licence_id,
           "application_id": school.application_id, "learner_id": school.learner_ids[0],
           "webhook_id": school.webhook_id}
    checked, problems = 0, []
    for path, method, op in operations(doc):
        body_schema = json_schema(op.get("requestBody") or {})
        if method not in ("post", "put", "patch") or body_schema is None:
            continue
        takes = set(resolve(doc, body_schema).get("properties") or {})
        shown = set()
        for status, answer in op["responses"].items():
            if status.startswith("2") and json_schema(answer):
                shown |= set(resolve(doc, json_schema(answer)).get("properties") or {})
        refused = sorted((shown | PRIVILEGED) - takes)
        url = re.sub(r"\{(\w+)\}", lambda m: ids.get(m[1], "unknown-id"), path)
        answers = {role: p.api(method.upper(), url, token,
                               json={field: "x" for field in refused})
                   for role, token in tokens.items()}
        checked += 1
        accepted = [role for role, a in answers.items() if a.status_code < 300]
        if accepted:
            problems.append(f"{method} {path}: {refused} accepted for {accepted}")
            continue
        named = [role for role, a in answers.items() if a.status_code == 422 and set(
            refused) <= {e.get("field") for e in a.json().get("errors", [])}]
        if not named:
            problems.append(f"{method} {path}: no role got a 422 naming {refused}: "
                            f"{ {r: a.status_code for r, a in answers.items()} }")
    assert checked >= 12
    assert not problems, "\n".join(problems)


def test_no_answer_carries_a_secret_it_does_not_exist_to_hand_over(world):
    _, doc, _, _ = world
    problems = []
    for path, method, op in operations(doc):
        for status, answer in op["responses"].items():
            for content in (answer.get("content") or {}).values():
                for name in properties(doc, content.get("schema") or {}):
                    if FORBIDDEN.search(name):
                        problems.append(f"{method} {path} {status}: {name}")
                    elif (name in HANDED_OVER
                          and (method, path) not in HANDED_OVER[name]):
                        problems.append(f"{method} {path} {status}: {name}")
    assert not problems, "\n".join(problems)


def test_the_review_queue_does_not_show_applicants_their_status_links(world):
    p, _, tokens, _ = world
    applied = p.api("POST", "/api/v1/applications",
                    json=application("queue-check.example", language="en"))
    assert applied.status_code == 202
    queue = p.api("GET", "/api/v1/applications", tokens["operator"]).json()["items"]
    assert queue and all("status_token" not in item for item in queue)
    # what operators do need: who applied
    waiting = next(item for item in queue if item["website"].startswith(
        "https://www.queue-check.example"))
    assert waiting["contact"]["email"] == "direction@queue-check.example"
    assert waiting["contact"]["name"] and waiting["contact"]["role"]
