"""Applications as strangers meet them: one never discloses another; one e-mail, one
account (a second institution's invitation to it is refused and stays unused)."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.support.journey import application, onboard, operator
from tests.support.platform import start_platform, stop_platform
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def platform(tmp_path_factory, vhost_pipeline):
    with vhost_pipeline.get() as vhost:
        p = start_platform(tmp_path_factory.mktemp("applications"),
                           f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
                           extra_env={"RATE_LIMIT_APPLY": "1000/60"})
        try:
            yield p
        finally:
            assert stop_platform(p) == 0


def apply(p, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return p.api("POST", "/api/v1/applications", json=body, headers=headers)


def bodies(p, address: str) -> list[str]:
    return [m.get_body(("plain",)).get_content() for m in p.mails_to(address)]


def test_a_domain_duplicate_discloses_nothing_and_another_contact_goes_to_review(
    platform,
):
    p = platform
    first_body = application("lycee-secret.fr")
    first = apply(p, first_body, key=str(uuid.uuid4()))
    assert first.status_code == 202, first.text
    mine = first.json()

    # a stranger with the website, and the contact's own address: nothing disclosed
    for contact in ({"email": "direction@lycee-secret.fr"},
                    {"email": "intrus@lycee-secret.fr", "name": "Intrus"}):
        body = {**first_body, "name": "Autre nom",
                "contact": {**first_body["contact"], **contact}}
        again = apply(p, body)
        assert again.status_code == 202, again.text
        answer = again.json()
        assert set(answer) == {"status", "detail"}, answer
        assert answer["status"] == "duplicate"
        assert mine["id"] not in again.text and mine["status_token"] not in again.text
        assert "Location" not in again.headers

    # the contact of the first hears of both by e-mail, with their own status link
    told = wait_for(lambda: len([text for text in bodies(p, "direction@lycee-secret.fr")
                                 if mine["status_token"] in text]) == 2)
    assert told
    # the other contact gets a link to an application of their own, under review
    theirs = wait_for(lambda: bodies(p, "intrus@lycee-secret.fr"))
    assert mine["status_token"] not in theirs[0]
    link = re.search(r"(/applications/\S+)", theirs[0]).group(1)  # the status page
    review = p.api("GET", link).json()
    assert review["id"] != mine["id"] and review["status"] == "needs_review"
    assert mine["id"] not in str(review)

    # the operator sees it in the review queue, and cannot give the institution twice
    op = operator(p)
    queue = p.api("GET", "/api/v1/applications", op,
                  params={"status": "needs_review"}).json()["items"]
    queued = next(a for a in queue if a["id"] == review["id"])
    assert queued["duplicate_of"] == mine["id"]
    assert any("another application" in reason for reason in queued["reasons"])
    approve = p.api("POST", f"/api/v1/applications/{review['id']}/decision", op,
                    json={"decision": "approve", "reason": "same school"})
    assert approve.status_code == 409, approve.text
    assert approve.headers["Content-Type"] == "application/problem+json"


def test_only_the_same_idempotency_key_and_body_get_the_application_back(platform):
    p = platform
    key, body = str(uuid.uuid4()), application("lycee-retry.fr")
    first = apply(p, body, key)
    retry = apply(p, body, key)
    assert retry.status_code == 202
    assert (retry.json()["id"], retry.json()["status_token"]) == (
        first.json()["id"], first.json()["status_token"])

    changed = apply(p, {**body, "city": "Roubaix"}, key)
    assert changed.status_code == 422, changed.text
    assert changed.headers["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in changed.json()["errors"]] == ["Idempotency-Key"]
    assert first.json()["id"] not in changed.text


def test_one_e_mail_invited_by_two_institutions_gets_a_clear_refusal(platform):
    p = platform
    roster = "email,first_name,last_name,cohort\ncamille@famille-martin.fr,Cam,M,A\n"
    for domain in ("ecole-une.fr", "ecole-deux.fr"):
        school = onboard(p, domain, learners=0)
        upload = p.api("POST", f"/api/v1/institutions/{school.id}/rosters",
                       school.admin, data=roster.encode(),
                       headers={"Content-Type": "text/csv"})
        assert upload.status_code == 202, upload.text
    tokens = wait_for(lambda: len(t := [
        re.search(r"/invitations/([A-Za-z0-9_-]+)", text).group(1)
        for text in bodies(p, "camille@famille-martin.fr")]) == 2 and t)

    def accept(token, password):
        return p.api("POST", f"/api/v1/invitations/{token}/accept",
                     json={"password": password})

    assert accept(tokens[0], "first-password-1").status_code == 200
    for _ in range(2):  # refused, and not used up: the same answer again
        second = accept(tokens[1], "second-password-2")
        assert second.status_code == 409, second.text
        assert second.headers["Content-Type"] == "application/problem+json"
        assert "already" in second.json()["detail"]
    login = p.api("POST", "/api/v1/auth/token",
                  json={"email": "camille@famille-martin.fr",
                        "password": "first-password-1"})
    assert login.status_code == 200, login.text
