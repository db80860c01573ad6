"""The whole journey as the people do it, each in their own browser: a head teacher
applies through the form (a bad field first, said next to it), an operator approves
from the review queue, the head teacher follows the status page to "active", opens
the invitation from the e-mail, sets a password and imports a roster with one bad
row (the bar reaches the end, the row's reason is shown); a learner opens their
invitation, completes a course's chapters and its quiz; the admin sees the skills on
the dashboard's chart and in the export."""

from __future__ import annotations

import re

import pytest

from tests.support.journey import OPERATOR
from tests.support.waiting import wait_for

from .conftest import check, sign_in
from .test_learner_pages import answer_quiz, course, seed  # noqa: F401 - fixtures
from .test_pages import apply

pytestmark = pytest.mark.e2e

DOMAIN = "college-parcours.fr"
ADMIN = f"direction@{DOMAIN}"
LEARNER = f"lea.martin@{DOMAIN}"


def set_password(page, token: str, password: str) -> None:
    page.goto(f"/invitations/{token}")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("The same password again").fill(password)
    page.get_by_role("button", name="Set my password and sign in").click()
    page.wait_for_url("**/account")


def test_from_the_application_to_the_skill_on_the_dashboard(browser, platform,
                                                           course):  # noqa: F811
    def person():
        return browser.new_context(base_url=platform.url, locale="en-GB",
                                   viewport={"width": 1280, "height": 900}).new_page()

    head, ops, learner = person(), person(), person()
    try:
        # the head teacher applies for 6,000 learners: past what the rules approve
        # alone, so it waits for an operator (the form's bad website said first)
        status_url = apply(head, DOMAIN, learners=6000)
        application_id = re.search(r"/applications/([^/?]+)", status_url)[1]
        assert "review" in head.locator(".status").inner_text().lower()

        # the operator approves it from the queue, with the rules' reason in sight
        sign_in(ops, OPERATOR["email"], OPERATOR["password"], "/ops/review")
        card = ops.locator(f"#application-{application_id}")
        assert f"Lycée {DOMAIN}" in card.inner_text()
        assert card.locator(".reasons li").count() >= 1
        check(ops, "journey-review")
        card.locator("form.inline").get_by_role("button").click()
        ops.wait_for_url("**/ops/review?decided=approved*")

        # the status page reaches "active" on its own; the invitation is in the mail
        head.goto(status_url)
        wait_for(lambda: head.reload() and "Active" in head.locator(
            ".status").inner_text(), timeout=30, interval=0.5)
        set_password(head, platform.invitation_token(ADMIN), "admin-password-1")

        # the roster, one row of it wrong: the bar reaches the end, the row is named
        head.goto("/institution")
        head.wait_for_url(re.compile(r"/institutions/[^/]+$"))
        institution_id = head.url.rsplit("/", 1)[1]
        rows = ("Courriel;Prénom;Nom;Classe\n"
                f"{LEARNER};Léa;Martin;3e B\n"
                "pas-une-adresse;Hugo;Bernard;3e B\n"
                f"nina.roux@{DOMAIN};Nina;Roux;3e B\n")
        head.get_by_label("Roster file (CSV or Excel .xlsx)").set_input_files(files=[
            {"name": "3e-B.csv", "mimeType": "text/csv", "buffer": rows.encode()}])
        head.get_by_role("button", name="Import the file").click()
        head.wait_for_url(re.compile(rf"/institutions/{institution_id}/rosters/"))
        bar = head.locator("progress")
        wait_for(lambda: bar.get_attribute("value") == bar.get_attribute("max")
                 and "Done" in head.locator(".status").inner_text(),
                 timeout=20, interval=0.5)
        refused = head.locator("table.errors tbody tr")
        assert refused.count() == 1
        assert refused.first.locator("td").first.inner_text() == "3"
        assert "pas-une-adresse" in refused.first.inner_text()

        # the learner opens their invitation and takes the course to its quiz
        set_password(learner, platform.invitation_token(LEARNER), "learner-password-1")
        learner.goto(f"/learn/courses/{course['id']}")
        for chapter in course["chapters"]:
            learner.locator(f"#chapter-{chapter['id']}").get_by_role("button").click()
            learner.wait_for_url(re.compile(f"#chapter-{chapter['id']}$"))
        learner.get_by_role("link", name="Take the quiz").click()
        answer_quiz(learner, {n: q["answer"] for n, q in
                              enumerate(course["quiz"]["questions"])})
        assert learner.locator("h1").inner_text() == "You passed the quiz"
        skills = learner.locator(".new-skills li").all_inner_texts()
        assert len(skills) == len(course["skills"]) > 0
        check(learner, "journey-quiz-passed")

        # the admin sees them on the dashboard's chart and in the export
        def dashboard_counts() -> bool:
            head.goto(f"/institutions/{institution_id}/dashboard")
            cohort = head.locator("#skills-table tbody tr", has_text="3e B")
            return cohort.count() == 1 and cohort.locator("td").nth(1).inner_text() \
                == str(len(skills))

        wait_for(dashboard_counts, timeout=20, interval=0.5)
        chart = head.locator("svg[aria-labelledby^='skills-chart'], svg#skills-chart")
        assert "3e B" in chart.inner_html()
        check(head, "journey-dashboard")
        with head.expect_download() as download:
            head.get_by_role("link", name="Download the learners table (CSV)").click()
        text = open(download.value.path(), encoding="utf-8-sig").read()
        lea = next(line for line in text.splitlines() if LEARNER in line)
        assert all(skill in lea for skill in course["skills"]), lea  # by their ids
    finally:
        for page in (head, ops, learner):
            page.context.close()
