"""Operators manage a licence over HTTP, through the real processes `make run` starts:
more seats for the waiting learners, a longer licence, a revocation, and the errors.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.support.journey import problem
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

APPLICATION = {
    "name": "Collège Jean Moulin",
    "type": "secondary_school",
    "country": "FR",
    "city": "Lyon",
    "website": "https://www.college-moulin.fr",
    "contact": {"name": "Paul Girard", "email": "paul.girard@college-moulin.fr",
                "role": "Principal"},
    "expected_learners": 2,
    "languages": ["fr"],
    "timezone": "Europe/Paris",
}
ROSTER = (
    "email,first_name,last_name,cohort\n"
    "ines.laurent@college-moulin.fr,Inès,Laurent,6e A\n"
    "jules.morel@college-moulin.fr,Jules,Morel,6e A\n"
    "lina.fabre@college-moulin.fr,Lina,Fabre,6e B\n"
    "noah.garnier@college-moulin.fr,Noah,Garnier,6e B\n"
)


def fields_of(answer) -> set[str]:
    return {e["field"] for e in problem(answer, 422)["errors"]}


def test_operators_grant_seats_extend_and_revoke_a_licence(platform):
    p = platform
    application = p.api("POST", "/api/v1/applications", json=APPLICATION).json()
    status_url = application["status_url"].replace(p.url, "")
    active = wait_for(
        lambda: (r := p.api("GET", status_url).json())["status"] == "active" and r)
    institution_id = active["institution_id"]
    login = p.api("POST", "/api/v1/auth/token", json={
        "email": "ops@continuity.test", "password": "operator-secret-1"})
    assert login.status_code == 200, login.text
    ops = login.json()["access_token"]
    admin = p.api("POST", "/api/v1/invitations/"
                  f"{p.invitation_token('paul.girard@college-moulin.fr')}/accept",
                  json={"password": "admin-password-1"}).json()["access_token"]

    # four learners for two seats: two wait
    upload = p.api("POST", f"/api/v1/institutions/{institution_id}/rosters", ops,
                   data=ROSTER.encode(), headers={"Content-Type": "text/csv"})
    assert upload.status_code == 202, upload.text
    institution_licence = f"/api/v1/institutions/{institution_id}/licence"
    licence = wait_for(lambda: (lic := p.api("GET", institution_licence, ops).json())
                       ["seats_waiting"] == 2 and lic)
    assert (licence["seats_granted"], licence["seats_used"]) == (2, 2)
    url = f"/api/v1/licences/{licence['id']}"
    assert p.api("GET", url, ops).json() == licence

    # the routes are the operators' alone: an admin, or no one, finds nothing
    for path, body in [(url, None), (url + "/extension", {"days": 30}),
                       (url + "/seats", {"seats": 2}),
                       (url + "/revocation", {"reason": "mine now"})]:
        method = "GET" if body is None else "POST"
        problem(p.api(method, path, admin, json=body), 404)
        problem(p.api(method, path, json=body), 401)

    # more seats: the waiting learners are seated, first come first served
    for seats in (0, -3, "2", None, 2.5):
        answer = p.api("POST", url + "/seats", ops, json={"seats": seats})
        assert fields_of(answer) == {"seats"}
    too_many = p.api("POST", url + "/seats", ops, json={"seats": 4999})
    assert fields_of(too_many) == {"seats"}
    assert "at most 4998 more" in too_many.json()["errors"][0]["reason"]
    problem(p.api("POST", url + "/seats", ops, data=b"{oops",
                  headers={"Content-Type": "application/json"}), 400)
    grown = p.api("POST", url + "/seats", ops, json={"seats": 3})
    assert grown.status_code == 200, grown.text
    assert (grown.json()["seats_granted"], grown.json()["seats_used"],
            grown.json()["seats_waiting"]) == (5, 4, 0)
    seated = wait_for(lambda: (lic := p.api("GET", institution_licence, admin).json())
                      ["seats_used"] == 4 and lic)
    assert seated["seats_waiting"] == 0

    # a longer licence
    for days in (0, -1, 366, True):
        answer = p.api("POST", url + "/extension", ops, json={"days": days})
        assert fields_of(answer) == {"days"}
    once = {"Idempotency-Key": "extend-moulin-1",
            "X-Request-Id": "req-extend-moulin"}
    extended = p.api("POST", url + "/extension", ops, json={"days": 30},
                     headers=once)
    assert extended.status_code == 200, extended.text
    assert extended.json()["days_left"] == 120
    assert datetime.fromisoformat(extended.json()["ends_at"]) == datetime.fromisoformat(
        licence["ends_at"]) + timedelta(days=30)
    # retried with its key (a lost answer, a double click): the first answer
    retried = p.api("POST", url + "/extension", ops, json={"days": 30},
                    headers={"Idempotency-Key": "extend-moulin-1"})
    assert (retried.status_code, retried.json()) == (200, extended.json())
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert p.api("GET", url, ops).json()["ends_at"] == extended.json()["ends_at"]
    reused = p.api("POST", url + "/extension", ops, json={"days": 31},
                   headers={"Idempotency-Key": "extend-moulin-1"})
    assert fields_of(reused) == {"Idempotency-Key"}
    # one audit record: who, what, the licence before and after, the request
    trail = p.api("GET", "/api/v1/audit", ops, params={
        "institution_id": institution_id, "action": "licence.extended"})
    assert trail.status_code == 200, trail.text
    [record] = trail.json()["items"]
    assert (record["operator_email"], record["target_type"], record["target_id"],
            record["request_id"]) == ("ops@continuity.test", "licence",
                                      licence["id"], "req-extend-moulin")
    before, after = (datetime.fromisoformat(record[when]["ends_at"])
                     for when in ("before", "after"))
    assert after - before == timedelta(days=30)
    assert record["before"]["seats_granted"] == record["after"]["seats_granted"] == 5
    for unknown in ("no-such-licence", "%00", "6b1d8c3e-0000-4000-8000-000000000000"):
        problem(p.api("POST", f"/api/v1/licences/{unknown}/extension", ops,
                      json={"days": 30}), 404)

    # revoked: final, and every later change is a conflict
    assert fields_of(p.api("POST", url + "/revocation", ops, json={})) == {"reason"}
    revoked = p.api("POST", url + "/revocation", ops,
                    json={"reason": "The institution asked to close its space"})
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["status"], revoked.json()["days_left"]) == ("revoked", 0)
    for path, body in [(url + "/extension", {"days": 30}),
                       (url + "/seats", {"seats": 1}),
                       (url + "/revocation", {"reason": "once more"})]:
        assert problem(p.api("POST", path, ops, json=body), 409)["status"] == 409
    # its admin's tokens end with it (decision 0040); signed in again, the admin
    # sees why
    wait_for(lambda: p.api("GET", "/api/v1/me", admin).status_code == 401)
    admin = p.api("POST", "/api/v1/auth/token", json={
        "email": "paul.girard@college-moulin.fr",
        "password": "admin-password-1"}).json()["access_token"]
    assert p.api("GET", institution_licence, admin).json()["status"] == "revoked"

    # the OpenAPI document describes the three actions and what they take
    doc = p.api("GET", "/api/openapi.json").json()["paths"]
    for action in ("extension", "seats", "revocation"):
        operation = doc[f"/api/v1/licences/{{licence_id}}/{action}"]["post"]
        assert operation["tags"] == ["licences"]
        assert "requestBody" in operation and "409" in operation["responses"]
        assert any(p.get("in") == "header" and p["name"] == "Idempotency-Key"
                   for p in operation["parameters"])
    assert "Idempotency-Key" not in str(doc["/api/v1/licences/{licence_id}"]["get"])

    # the trail: the seats, the extension, the revocation; operators' alone
    actions = [r["action"] for r in p.api("GET", "/api/v1/audit", ops, params={
        "institution_id": institution_id}).json()["items"]]
    assert actions == ["licence.revoked", "licence.extended", "licence.seats_added"]
    problem(p.api("GET", "/api/v1/audit", admin), 404)
    problem(p.api("GET", "/api/v1/audit"), 401)
    vague = p.api("GET", "/api/v1/audit", ops, params={"since": "yesterday"})
    assert fields_of(vague) == {"since"}

    # an application under review, approved with a key and retried: approved once
    review = p.api("POST", "/api/v1/applications", json={
        **APPLICATION, "website": "https://www.ecole-revue.fr",
        "contact": {**APPLICATION["contact"], "email": "direction@gmail.com"}})
    assert review.status_code == 202, review.text
    review_id = review.json()["id"]
    decide = f"/api/v1/applications/{review_id}/decision"
    decision = {"decision": "approve", "reason": "a known school"}
    key = {"Idempotency-Key": "approve-revue"}
    approved = p.api("POST", decide, ops, json=decision, headers=key)
    assert approved.status_code == 200, approved.text
    again = p.api("POST", decide, ops, json=decision, headers=key)
    assert (again.status_code, again.json()) == (200, approved.json())
    unkeyed = p.api("POST", decide, ops, json=decision)  # no key: a new action
    assert problem(unkeyed, 409)["status"] == 409
    [record] = p.api("GET", "/api/v1/audit", ops,
                     params={"action": "application.approved"}).json()["items"]
    assert (record["target_id"], record["before"]["status"],
            record["after"]["status"]) == (review_id, "needs_review", "approved")
