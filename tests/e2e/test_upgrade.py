"""`make run` on the databases the previous release made, SQLite files in var/ or
PostgreSQL databases: upgraded in place, every row kept, and the journey goes on for
the institution, the learners and the applications they held."""

from __future__ import annotations

import json

import pytest

from services.common.config import database_url
from services.common.db import ensure_database
from tests.support import journey
from tests.support.platform import start_platform, stop_platform
from tests.support.release import (
    OWNERS,
    RELEASE,
    every_key,
    every_row,
    load_release_walk,
)
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

RETIRED = {"login_failures"}  # kept by the release's copies; a later revision drops it
# what the release's journey left (tests/support/release_80c74a8/README.md)
LEFT = json.loads((RELEASE / "journey.json").read_text())
DOMAIN = "lycee-ancien.fr"


@pytest.fixture(params=["sqlite", "postgresql"])
def platform(request, tmp_path, rabbit_config):
    """The platform started on the previous release's databases; every row they
    held is still there once it has started.

    On SQLite, the release's files; on PostgreSQL, the release's own schema holding
    the rows of the same walk (its PostgreSQL dumps come from another walk, whose
    ids journey.json does not hold: test_migrations.py checks each of their rows).
    """
    var = tmp_path / "var"
    var.mkdir()
    base_url = None
    if request.param == "sqlite":
        urls = {owner: f"sqlite:///{var / f'{owner}.db'}" for owner in OWNERS}
    else:
        base_url = request.getfixturevalue("pg_base_url")  # dropped after the test
        urls = {owner: database_url(owner, {"DATABASE_URL": base_url}, var)
                for owner in OWNERS}
    for owner, url in urls.items():
        if base_url:
            ensure_database(url)
        load_release_walk(url, owner)
    before = {owner: every_key(url) for owner, url in urls.items()}
    assert all(any(rows for _, rows in keys.values()) for keys in before.values())
    running = start_platform(tmp_path, rabbit_config["AMQP_URI"], base_url)
    try:
        for owner, url in urls.items():  # each row of each table is still there
            after = every_row(url, {t: names for t, (names, _) in before[owner].items()
                                    if t not in RETIRED})
            for table, (_, rows) in after.items():
                assert set(before[owner][table][1]) <= set(rows), (owner, table)
        yield running
    finally:
        assert stop_platform(running) == 0, running.log()[-3000:]


def test_the_previous_release_var_is_upgraded_and_the_journey_goes_on(platform):
    p = platform
    institution = LEFT["institution"]
    # the application still reads with its status link
    application = p.api("GET", f"/api/v1/applications/{LEFT['application']}",
                        params={"token": LEFT["status_token"]})
    assert application.status_code == 200, application.text
    assert application.json()["institution_id"] == institution

    # its admin and learners log in with the passwords they set then
    admin = journey.login(p, f"direction@{DOMAIN}", "admin-password-1")
    learner = journey.login(p, f"eleve0@{DOMAIN}", "learner-password-1")
    assert p.api("GET", "/api/v1/me", learner).json()["id"] == LEFT["learners"][0]
    learners = p.api("GET", f"/api/v1/institutions/{institution}/learners", admin)
    assert learners.status_code == 200, learners.text
    assert {row["learner_id"] for row in learners.json()["items"]} == set(
        LEFT["learners"])

    # the progress recorded then is there, and a learner goes on
    before = p.api("GET", "/api/v1/me/progress", learner).json()["items"]
    assert before and before[0]["chapters_done"] == 2
    course = p.api("GET", f"/api/v1/courses/{before[0]['course_id']}").json()
    recorded = p.api("POST", "/api/v1/progress", learner, json={
        "id": "after-upgrade", "course_id": course["id"], "kind": "chapter_completed",
        "chapter_id": course["chapters"][2]["id"]})
    assert recorded.status_code == 201, recorded.text
    assert p.api("GET", "/api/v1/me/progress", learner).json()["items"][0][
        "chapters_done"] == 3

    # a new roster: two more learners seated on the same licence
    rows = "email,first_name,last_name,cohort\n" + "".join(
        f"nouveau{n}@{DOMAIN},Nouvel,{n},Seconde\n" for n in range(2))
    upload = p.api("POST", f"/api/v1/institutions/{institution}/rosters", admin,
                   data=rows.encode(), headers={"Content-Type": "text/csv"})
    assert upload.status_code == 202, upload.text
    licence = wait_for(lambda: (lic := p.api(
        "GET", f"/api/v1/institutions/{institution}/licence", admin).json()
    )["seats_used"] == 5 and lic)
    assert licence["id"] == LEFT["licence"]

    # the waiting application: its sender's retry gets it back, an operator decides it
    waiting = LEFT["waiting_application"]
    retry = p.api("POST", "/api/v1/applications",
                  json=journey.application(waiting["domain"],
                                           waiting["expected_learners"]),
                  headers={"Idempotency-Key": waiting["idempotency_key"]})
    assert retry.status_code == 202, retry.text
    assert retry.json()["id"] == waiting["id"]
    approved = p.api("POST", f"/api/v1/applications/{waiting['id']}/decision",
                     journey.operator(p),
                     json={"decision": "approve", "reason": "a known school"})
    assert approved.status_code == 200, approved.text

    # the rejected one's website may apply again; a new institution comes on board
    again = p.api("POST", "/api/v1/applications",
                  json=journey.application(LEFT["rejected_application"]["domain"]))
    assert again.status_code == 202 and again.json()["status"] == "approved", again.text
    journey.onboard(p, "nouveau-lycee.fr", learners=1)

    # a wrong password is counted in the new throttle, not answered with an error
    wrong = p.api("POST", "/api/v1/auth/token",
                  json={"email": f"direction@{DOMAIN}", "password": "not-the-one-1"})
    assert wrong.status_code == 401, wrong.text
