"""The institution admin in a hurry, in headless Chromium: find learners by name,
cohort and status, send an invitation again (one mail for a double click), remove a
learner (the seat comes back), book the webinar, read the dashboard's charts and
download the export. Both languages, a phone and a desktop; axe-core on each page."""

from __future__ import annotations

import re
import sqlite3
import time

import pytest

from tests.support.journey import onboard
from tests.support.waiting import wait_for

from .conftest import check, sign_in

pytestmark = pytest.mark.e2e

QUIET = 2  # seconds before an invitation may be sent again (120 outside tests)
PLATFORM_ENV = {"INVITATION_RESEND_QUIET_SECONDS": str(QUIET)}
PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def school(platform):
    """Four learners in two cohorts, two of them signed up; the first acquires the
    skills of a course with a quiz, through the API as a learner would."""
    school = onboard(platform, "lycee-admin.fr", learners=4, accept_learners=2)
    courses = platform.api("GET", "/api/v1/courses?limit=50").json()["items"]
    course = next(c for c in (platform.api("GET", f"/api/v1/courses/{c['id']}").json()
                              for c in courses) if c.get("quiz") and c["skills"])
    learner = school.learners[school.learner_ids[0]]
    for chapter in course["chapters"]:
        done = platform.api("POST", "/api/v1/progress", learner, json={
            "course_id": course["id"], "kind": "chapter_completed",
            "chapter_id": chapter["id"]})
        assert done.status_code == 201, done.text
    passed = platform.api("POST", "/api/v1/progress", learner, json={
        "course_id": course["id"], "kind": "quiz_submitted", "score": 100})
    assert passed.status_code == 201, passed.text
    school.skills = passed.json()["skills_acquired"]
    assert school.skills
    return school


def licence(platform, school) -> dict:
    return platform.api("GET", f"/api/v1/institutions/{school.id}/licence",
                        school.admin).json()


def rows(page) -> list[str]:
    return page.locator("table.learners tbody th").all_inner_texts()


def test_find_resend_and_remove_learners(page, platform, school):
    sign_in(page, "direction@lycee-admin.fr", "admin-password-1")
    page.goto(f"/institutions/{school.id}")
    page.get_by_role("link", name="Learners").click()
    page.wait_for_url(f"**/institutions/{school.id}/learners")
    assert rows(page) == ["Élève 0", "Élève 1", "Élève 2", "Élève 3"]
    statuses = page.locator(".learner-status").all_inner_texts()
    assert "Signed up" in statuses[0] and "Invited" in statuses[3]
    check(page, "learners")

    page.get_by_label("Name or e-mail address").fill("ELEVE2@")
    page.get_by_role("button", name="Search").click()
    assert rows(page) == ["Élève 2"]
    page.get_by_label("Name or e-mail address").fill("")
    page.get_by_label("Cohort").select_option("Classe 1")
    page.get_by_role("button", name="Search").click()
    assert rows(page) == ["Élève 1", "Élève 3"]
    # a status typed in the address is said next to its field
    response = page.goto(f"/institutions/{school.id}/learners?status=gone")
    assert response.status == 422
    assert page.locator("#status-error").is_visible()
    assert page.get_by_label("Status").get_attribute("aria-invalid") == "true"

    # the invitation again: a double click, one mail
    address = "eleve3@lycee-admin.fr"
    assert len(platform.mails_to(address)) == 1
    time.sleep(QUIET + 0.5)
    page.goto(f"/institutions/{school.id}/learners?q=eleve3")
    page.get_by_role("button", name="Send the invitation to Élève 3 again").dblclick()
    page.wait_for_url("**/invitation")
    assert "eleve3@lycee-admin.fr" in page.locator(".notice").inner_text()
    check(page, "learner-invitation")
    wait_for(lambda: len(platform.mails_to(address)) == 2, timeout=15)
    time.sleep(1.5)  # nothing else arrives
    assert len(platform.mails_to(address)) == 2
    assert platform.mails_to(address)[-1]["Subject"].startswith("Établissement")

    # remove a learner: a confirmation first, then the seat comes back
    seats = licence(platform, school)["seats_used"]
    page.goto(f"/institutions/{school.id}/learners?q=eleve2")
    page.get_by_role("link", name="Remove Élève 2").click()
    assert "Remove Élève 2?" in page.locator("h1").inner_text()
    check(page, "learner-remove")
    page.get_by_role("button", name="Remove from the roster").click()
    assert "seat is free again" in page.locator(".notice").inner_text()
    wait_for(lambda: licence(platform, school)["seats_used"] == seats - 1, timeout=15)
    page.goto(f"/institutions/{school.id}/learners")
    wait_for(lambda: page.reload() and "Élève 2" not in rows(page), timeout=15)
    page.get_by_label("Status").select_option("removed")
    page.get_by_role("button", name="Search").click()
    assert rows(page) == ["Élève 2"]

    page.get_by_role("button", name="Français").click()
    assert page.locator("h1").inner_text() == "Apprenants"
    check(page, "learners-removed")
    page.goto(f"/institutions/{school.id}/learners?q=eleve3")
    page.get_by_role("button", name="Renvoyer l'invitation à Élève 3").click()
    assert "eleve3@lycee-admin.fr" in page.locator(".notice").inner_text()
    check(page, "learner-invitation")
    page.goto(f"/institutions/{school.id}/learners/{school.learner_ids[1]}/remove")
    assert page.locator("h1").inner_text() == "Retirer Élève 1 ?"
    check(page, "learner-remove")


def test_book_the_webinar_and_read_the_dashboard(page, platform, school):
    sign_in(page, "direction@lycee-admin.fr", "admin-password-1")
    page.get_by_role("button", name="English").click()  # the account's, from now on
    page.goto(f"/institutions/{school.id}/webinar")
    booked = page.locator(".booked").inner_text()
    assert "Your place" in booked
    sessions = page.locator("table.webinars tbody tr")
    assert sessions.count() >= 5
    move = page.get_by_role("button", name=re.compile("^Move my place to "))
    target = sessions.filter(has=move).first
    when = target.locator("th").inner_text()
    target.get_by_role("button", name=f"Move my place to {when}").click()
    page.wait_for_url(f"**/institutions/{school.id}/webinar")
    assert when in page.locator(".booked").inner_text()
    mine = page.locator("table.webinars tbody tr", has_text="Your place")
    assert mine.locator("th").inner_text() == when

    # another session fills up meanwhile: it says so, and booking it is refused. The
    # last one offered: the first ones leave the offer (24 h ahead) as the hour turns
    webinar = f"/api/v1/institutions/{school.id}/webinar"
    *_, before_last, last = platform.api("GET", webinar + "s",
                                         school.admin).json()["items"]
    for starts_at in (last["starts_at"], before_last["starts_at"]):  # leaves a row
        assert platform.api("PUT", webinar, school.admin,
                            json={"starts_at": starts_at}).status_code == 200
    filled = next(choice for choice in platform.api(
        "GET", webinar + "s", school.admin).json()["items"]
        if choice["starts_at"] == last["starts_at"])
    with sqlite3.connect(platform.var_dir / "onboarding.db") as db:
        db.execute("UPDATE webinars SET booked = capacity WHERE id = ?",
                   (filled["id"],))
    page.reload()
    full = page.locator("table.webinars tbody tr", has_text="Full")
    assert full.count() == 1 and full.get_by_role("button").count() == 0
    check(page, "webinar")
    refused = page.request.post(f"/institutions/{school.id}/webinar", form={
        "csrf_token": page.locator("input[name=csrf_token]").first.input_value(),
        "starts_at": last["starts_at"]})
    assert refused.status == 409
    assert "This session is full: choose another one." in refused.text()

    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"**/institutions/{school.id}/dashboard")
    chart = page.locator("svg#skills-chart, svg[aria-labelledby^='skills-chart']")
    assert chart.locator("title").text_content() == "Skills acquired per cohort"
    cohort = page.locator("#skills-table tbody tr", has_text="Classe 0")
    assert cohort.locator("td").nth(1).inner_text() == str(len(school.skills))
    assert page.locator("#activity-table tbody tr").count() == 8
    assert page.locator("#activity-table tbody tr").last.locator("td").first \
        .inner_text() == "1"
    check(page, "dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the learners table (CSV)").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    first_row = next(line for line in text.splitlines() if "eleve0@" in line)
    assert all(skill in first_row for skill in school.skills)

    page.get_by_role("button", name="Français").click()
    assert page.locator("h1").inner_text() == "Tableau de bord"
    check(page, "dashboard")
    page.goto(f"/institutions/{school.id}/webinar")
    check(page, "webinar")


def test_on_a_phone(browser, platform, school):
    context = browser.new_context(base_url=platform.url, locale="en-GB",
                                  viewport=PHONE)
    phone = context.new_page()
    try:
        sign_in(phone, "direction@lycee-admin.fr", "admin-password-1")
        for language in ("English", "Français"):
            phone.get_by_role("button", name=language).click()
            for name in ("learners", "dashboard", "webinar"):
                phone.goto(f"/institutions/{school.id}/{name}")
                width = phone.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], (name, width)
                check(phone, f"{name}-phone")
    finally:
        context.close()
