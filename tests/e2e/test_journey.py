"""The journey of docs/product.md, over HTTP, through the real processes `make run` starts.

Run on the SQLite default and on PostgreSQL; every step asserts what a user sees.
"""

from __future__ import annotations

import json

import pytest

from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

APPLICATION = {
    "name": "Lycée Victor Hugo",
    "type": "secondary_school",
    "country": "FR",
    "city": "Paris",
    "website": "https://www.lycee-hugo.fr",
    "contact": {"name": "Anne Martin", "email": "anne.martin@lycee-hugo.fr",
                "role": "Proviseure"},
    "expected_learners": 3,
    "languages": ["fr"],
    "timezone": "Europe/Paris",
}

# four learners for three seats, one bad row, one repeated learner; `;` and a BOM
ROSTER = (
    "\ufeffemail;first_name;last_name;cohort\r\n"
    "leo.durand@lycee-hugo.fr;Léo;Durand;2nde A\r\n"
    "emma.petit@lycee-hugo.fr;Emma;Petit;2nde B\r\n"
    "pas-une-adresse;Paul;Martin;2nde A\r\n"
    "zoe.roux@lycee-hugo.fr;Zoé;Roux;2nde A\r\n"
    "LEO.DURAND@lycee-hugo.fr;Léo;Durand;2nde A\r\n"
    "hugo.blanc@lycee-hugo.fr;Hugo;Blanc;2nde B\r\n"
)






def json_lines(log: str) -> list[dict]:
    """The log's JSON lines, as an operator's log pipeline reads them."""
    entries = []
    for line in log.splitlines():
        try:
            entry = json.loads(line[line.find("{"):])
        except ValueError:
            continue  # a line of another shape (a child's start, a traceback)
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def test_the_whole_journey(platform):
    p = platform
    assert p.api("GET", "/health").json() == {"status": "ok"}
    ready = p.api("GET", "/ready")
    assert ready.status_code == 200, ready.text

    # 1. apply: 202, a status URL; the same application for a retry with the same
    # Idempotency-Key, and nothing of it for anyone applying again for the website
    apply = {"X-Request-Id": "journey-apply", "Idempotency-Key": "journey-apply-1"}
    answer = p.api("POST", "/api/v1/applications", json=APPLICATION, headers=apply)
    assert answer.status_code == 202, answer.text
    application = answer.json()
    assert application["status"] == "approved"
    retry = p.api("POST", "/api/v1/applications", json=APPLICATION, headers=apply)
    assert retry.json()["id"] == application["id"]
    again = p.api("POST", "/api/v1/applications",
                  json={**APPLICATION, "name": "Lycee V. Hugo"})
    assert again.status_code == 202 and again.json()["status"] == "duplicate"

    # 2-3. approved by the rules, licence issued, institution active
    status_url = application["status_url"].replace(p.url, "")
    active = wait_for(lambda: (r := p.api("GET", status_url).json())["status"] == "active" and r)
    institution_id = active["institution_id"]

    # the admin's invitation is an e-mail in French; it sets the password once
    invitation = p.invitation_token("anne.martin@lycee-hugo.fr")
    mail = next(m for m in p.mails_to("anne.martin@lycee-hugo.fr")
                if invitation in m.get_body(("plain",)).get_content())
    assert "Lycée Victor Hugo" in mail["Subject"]
    accepted = p.api("POST", f"/api/v1/invitations/{invitation}/accept",
                     json={"password": "admin-password-1"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["role"] == "institution_admin"
    reused = p.api("POST", f"/api/v1/invitations/{invitation}/accept",
                   json={"password": "admin-password-2"})
    assert reused.status_code == 410
    assert reused.headers["Content-Type"] == "application/problem+json"

    login = p.api("POST", "/api/v1/auth/token",
                  json={"email": "anne.martin@lycee-hugo.fr", "password": "admin-password-1"})
    assert login.status_code == 200, login.text
    admin = login.json()["access_token"]
    institution = p.api("GET", f"/api/v1/institutions/{institution_id}", admin).json()
    assert institution["status"] == "active"
    webinar = p.api("GET", f"/api/v1/institutions/{institution_id}/webinar", admin).json()
    assert webinar["language"] == "fr" and webinar["booked"] == 1
    assert webinar["starts_at"][:10] in mail.get_body(("plain",)).get_content()
    licence = p.api("GET", f"/api/v1/institutions/{institution_id}/licence", admin).json()
    assert (licence["plan"], licence["seats_granted"], licence["days_left"]) == ("spark", 3, 90)

    # 4. roster: good rows imported, the bad one reported with its line, the twin counted
    upload = p.api("POST", f"/api/v1/institutions/{institution_id}/rosters", admin,
                   data=ROSTER.encode(), headers={"Content-Type": "text/csv"})
    assert upload.status_code == 202, upload.text
    job_url = upload.headers["Location"]
    job = wait_for(lambda: (j := p.api("GET", job_url, admin).json())["status"] == "done" and j)
    assert (job["rows_read"], job["imported"], job["duplicates"], job["rejected"]) == (6, 4, 1, 1)
    assert job["errors"] == [{
        "line": 4, "column": "email",
        "reason": "not an e-mail address: 'pas-une-adresse': no @"}]

    # 5. seats: three seated in file order, the fourth waits
    licence = wait_for(lambda: (l := p.api(
        "GET", f"/api/v1/institutions/{institution_id}/licence", admin).json()
    )["seats_waiting"] == 1 and l)
    assert licence["seats_used"] == 3

    # 6. learn: a seated learner completes a course with a quiz and acquires its skills
    learner = p.api("POST", f"/api/v1/invitations/{p.invitation_token('leo.durand@lycee-hugo.fr')}/accept",
                    json={"password": "learner-password-1"}).json()["access_token"]
    courses = p.api("GET", "/api/v1/courses", params={"q": "gestion de projet",
                                                      "language": "fr"}).json()["items"]
    course = next(c for c in courses if c["has_quiz"])
    course = p.api("GET", f"/api/v1/courses/{course['id']}").json()
    for n, chapter in enumerate(course["chapters"]):
        done = p.api("POST", "/api/v1/progress", learner, json={
            "id": f"leo-{n}", "course_id": course["id"], "kind": "chapter_completed",
            "chapter_id": chapter["id"]})
        assert done.status_code == 201, done.text
        assert done.json()["course_completed"] is False
    repeated = p.api("POST", "/api/v1/progress", learner, json={
        "id": "leo-0", "course_id": course["id"], "kind": "chapter_completed",
        "chapter_id": course["chapters"][0]["id"]})
    assert repeated.status_code == 200 and repeated.json()["duplicate"] is True
    failed = p.api("POST", "/api/v1/progress", learner, json={
        "course_id": course["id"], "kind": "quiz_submitted",
        "score": course["quiz"]["pass_mark"] - 1}).json()
    assert failed["course_completed"] is False
    passed = p.api("POST", "/api/v1/progress", learner, json={
        "course_id": course["id"], "kind": "quiz_submitted", "score": 100}).json()
    assert passed["course_completed"] is True
    assert sorted(passed["skills_acquired"]) == sorted(course["skills"])
    unknown = p.api("POST", "/api/v1/progress", learner, json={
        "course_id": course["id"], "kind": "chapter_completed", "chapter_id": "nope"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [{"field": "chapter_id",
                                         "reason": "not a chapter of this course"}]

    skills = p.api("GET", "/api/v1/me/skills", learner).json()["items"]
    assert sorted(s["skill_id"] for s in skills) == sorted(course["skills"])
    progress = p.api("GET", "/api/v1/me/progress", learner).json()["items"]
    assert progress[0]["course_id"] == course["id"] and progress[0]["completed_at"]

    # the waiting learner may not record progress yet: 403 saying why
    waiting = p.api("POST", f"/api/v1/invitations/{p.invitation_token('hugo.blanc@lycee-hugo.fr')}/accept",
                    json={"password": "learner-password-2"}).json()["access_token"]
    refused = p.api("POST", "/api/v1/progress", waiting, json={
        "course_id": course["id"], "kind": "course_completed"})
    assert refused.status_code == 403 and refused.json()["reason"] == "no_seat"

    # 7. monitor: the admin's dashboard shows it, per cohort
    board = p.api("GET", f"/api/v1/institutions/{institution_id}/dashboard", admin).json()
    assert board["licence"]["seats_used"] == 3 and board["licence"]["seats_left"] == 0
    assert board["totals"]["active_7d"] == 1
    assert board["totals"]["courses_completed"] == 1
    assert board["totals"]["skills_acquired"] == len(course["skills"])
    cohort_a = next(c for c in board["cohorts"] if c["cohort"] == "2nde A")
    assert (cohort_a["learners"], cohort_a["courses_completed"]) == (2, 1)

    # the learner cannot see the dashboard; another role's route does not exist for them
    assert p.api("GET", f"/api/v1/institutions/{institution_id}/dashboard",
                 learner).status_code == 404

    # the operator sees the surge: time to active and the backlog
    operator = p.api("POST", "/api/v1/auth/token", json={
        "email": "ops@continuity.test", "password": "operator-secret-1"}).json()["access_token"]
    surge = p.api("GET", "/api/v1/surge", operator).json()
    assert surge["time_to_active_seconds"]["count"] == 1
    assert 0 < surge["time_to_active_seconds"]["p99"] < 10
    stages = surge["time_to_active_seconds"]["stages"]
    assert {name: stage["count"] for name, stage in stages.items()} == {
        "review": 1, "licensing": 1, "activation": 1}
    assert sum(stage["p50"] for stage in stages.values()) == pytest.approx(
        surge["time_to_active_seconds"]["p50"], abs=0.01)
    assert surge["applications_by_status"] == {"active": 1}
    assert p.api("GET", "/api/v1/surge", admin).status_code == 404

    # every request carries a correlation id back, and metrics are exposed
    traced = p.api("GET", "/api/v1/skills", headers={"X-Request-Id": "journey-42"})
    assert traced.headers["X-Request-Id"] == "journey-42"
    metrics = p.api("GET", "/metrics").text
    assert "continuity_http_requests_total" in metrics
    # the application's correlation id followed it through RPC and events, in JSON logs
    traced_services = {
        entry["service"] for entry in json_lines(p.log())
        if entry.get("correlation_id") == "journey-apply"
    }
    assert {"gateway", "onboarding", "licensing"} <= traced_services
