"""The learner's pages as a learner on a phone uses them: the invitation from the
e-mail, my courses, every chapter of a course marked done (twice, as a double tap
would), the final quiz failed then passed with the score the platform computes, the
new skills; another learner sees none of it; and, the licence withdrawn, the page
that says what it means and whom to ask. Every page checked with axe-core and
photographed at desktop width and at 360 px, in both languages."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import requests
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.catalog.domain import SEED
from services.common.config import database_url
from services.common.db import utcnow
from services.licensing.models import Licence
from tests.support.journey import onboard, operator
from tests.support.waiting import wait_for

from .conftest import check, shot, sign_in

pytestmark = pytest.mark.e2e

# licensing's timer looks for licences at their end every second, not every minute:
# the expired licence's test waits for it (decision 0062)
PLATFORM_ENV = {"TIMER_SECONDS": "1"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def seed() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def course(seed) -> dict:
    """A short English course whose final quiz has three questions."""
    quizzed = [c for c in seed["courses"] if c["status"] == "published"
               and c["quiz"] and c["language"] == "en"]
    return min(quizzed, key=lambda c: (len(c["quiz"]["questions"]), len(c["chapters"]),
                                       c["id"]))


def skill_names(seed, course, language: str) -> list[str]:
    names = {s["id"]: s["name"][language] for s in seed["skills"]}
    return [names[s] for s in course["skills"]]


def both_widths(page, name: str) -> None:
    """axe and a full screenshot at desktop width, then a 360 px screenshot with
    nothing wider than the phone."""
    check(page, name)
    page.set_viewport_size(PHONE)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
        shot(page, f"{name}-phone", full_page=False)
    finally:
        page.set_viewport_size(DESKTOP)


def csrf(page) -> str:
    return page.locator("input[name=csrf_token]").first.get_attribute("value")


def me(platform, token: str, what: str) -> list[dict]:
    answer = platform.api("GET", f"/api/v1/me/{what}", token)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def answer_quiz(page, answers: dict[int, int]) -> None:
    for question, choice in answers.items():
        page.locator(f"#q{question}-{choice}").check()
    page.get_by_role("button", name="Send my answers").click()


def test_a_learner_follows_a_course_to_its_skills_then_the_licence_ends(
        browser, page, platform, seed, course):
    school = onboard(platform, "lycee-apprenant.fr", learners=2, accept_learners=0)
    chapters = course["chapters"]
    right = [q["answer"] for q in course["quiz"]["questions"]]

    # the invitation from the e-mail, then my courses from the navigation
    email = "eleve0@lycee-apprenant.fr"
    page.goto(f"/invitations/{platform.invitation_token(email)}")
    page.get_by_label("Password", exact=True).fill("learner-password-1")
    page.get_by_label("The same password again").fill("learner-password-1")
    page.get_by_role("button", name="Set my password and sign in").click()
    page.wait_for_url("**/account")
    page.get_by_role("navigation").get_by_role("link", name="My courses").click()
    page.wait_for_url("**/learn")
    assert page.locator("h1").inner_text() == "My courses"
    assert page.locator("#started-title").count() == 0  # nothing started yet
    both_widths(page, "learn-courses-new")
    page.get_by_label("Language of the courses").select_option("en")
    page.get_by_role("button", name="Show").click()
    while not page.get_by_role("link", name=course["title"], exact=True).count():
        page.get_by_role("link", name="More courses").click()
    listed = page.locator(".course-list li", has=page.get_by_role(
        "link", name=course["title"], exact=True))
    assert f"{len(chapters)} chapters" in listed.inner_text()
    listed.get_by_role("link").click()
    page.wait_for_url(f"**/learn/courses/{course['id']}")
    assert f"0 of {len(chapters)} chapters done" in page.locator(
        ".chapters-done").inner_text()
    both_widths(page, "learn-course")

    # the first chapter by keyboard alone: reached with Tab, its focus visible
    for _ in range(40):
        page.keyboard.press("Tab")
        if "Mark as done" in page.evaluate("document.activeElement.innerText || ''"):
            break
    focused = page.evaluate("""() => { const e = document.activeElement;
        const s = getComputedStyle(e);
        return [e.innerText, s.outlineStyle, s.outlineWidth]; }""")
    assert chapters[0]["title"] in focused[0]
    assert focused[1] != "none" and focused[2] != "0px", focused
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"/learn/courses/{course['id']}#chapter-"
                                 f"{chapters[0]['id']}$"))
    assert "1 of" in page.locator(".chapters-done").inner_text()

    # the others by tapping; the first one sent again (a double tap, a retry) and a
    # chapter of no such course change nothing
    for chapter in chapters[1:]:
        page.locator(f"#chapter-{chapter['id']}").get_by_role("button").click()
        page.wait_for_url(re.compile(f"#chapter-{chapter['id']}$"))
        assert page.locator(f"#chapter-{chapter['id']} .status").inner_text() == "Done"
    again = page.request.post(
        f"/learn/courses/{course['id']}/chapters/{chapters[0]['id']}",
        form={"csrf_token": csrf(page)})
    assert again.ok
    token = requests.post(f"{platform.url}/api/v1/auth/token", timeout=10, json={
        "email": email, "password": "learner-password-1"}).json()["access_token"]
    mine, = me(platform, token, "progress")
    assert (mine["chapters_done"], mine["chapters_total"]) == (len(chapters),) * 2
    assert mine["completed_at"] is None  # the quiz is still to pass
    page.reload()
    assert f"{len(chapters)} of {len(chapters)} chapters done" in page.locator(
        ".chapters-done").inner_text()
    assert page.get_by_role("button", name="Mark as done").count() == 0
    both_widths(page, "learn-course-chapters-done")

    # the quiz: a question left unanswered is said next to it, answers kept
    page.get_by_role("link", name="Take the quiz").click()
    page.wait_for_url(f"**/learn/courses/{course['id']}/quiz")
    both_widths(page, "learn-quiz")
    wrong = {n: 0 if a else 1 for n, a in enumerate(right)}
    answer_quiz(page, {n: wrong[n] for n in range(1, len(right))})
    assert "Choose an answer." in page.locator("#q0-error").inner_text()
    assert page.locator("#question-0").get_attribute("aria-describedby") == "q0-error"
    assert page.locator(f"#q1-{wrong[1]}").is_checked()
    both_widths(page, "learn-quiz-unanswered")

    # a failing attempt: the platform's score, and a retry offered
    attempt = page.locator("input[name=attempt]").get_attribute("value")
    answer_quiz(page, wrong)
    assert page.locator("h1").inner_text() == "Not passed this time"
    assert "Your score: 0% (pass mark 60%)" in page.locator(".score").inner_text()
    assert f"0 of {len(right)} questions answered right" in page.locator(
        ".correct").inner_text()
    both_widths(page, "learn-quiz-failed")
    # the same answers sent again, or other ones in the same form: the first score
    resent = page.request.post(f"/learn/courses/{course['id']}/quiz", form={
        "csrf_token": csrf(page), "attempt": attempt,
        **{f"q{n}": str(a) for n, a in enumerate(right)}})
    assert resent.ok and "already received" in resent.text()
    assert "Your score: 0%" in resent.text()
    # a score typed by hand is not a field of the form: it is ignored
    typed = page.request.post(f"/learn/courses/{course['id']}/quiz", form={
        "csrf_token": csrf(page), "score": "100",
        **{f"q{n}": str(a) for n, a in enumerate(wrong.values())}})
    assert "Your score: 0%" in typed.text()
    assert me(platform, token, "progress")[0]["best_score"] == 0

    # the retry passes: the course completes and its skills are acquired
    page.get_by_role("link", name="Try again").click()
    page.wait_for_url(f"**/learn/courses/{course['id']}/quiz")
    answer_quiz(page, dict(enumerate(right)))
    assert page.locator("h1").inner_text() == "You passed the quiz"
    assert "Your score: 100%" in page.locator(".score").inner_text()
    assert "You completed the course." in page.locator("main").inner_text()
    new_skills = page.locator(".new-skills li").all_inner_texts()
    assert new_skills == skill_names(seed, course, "en")
    both_widths(page, "learn-quiz-passed")
    page.get_by_role("link", name="See my skills").click()
    page.wait_for_url("**/learn/skills")
    skills_page = page.locator("main").inner_text()
    assert course["title"] in skills_page
    for name in skill_names(seed, course, "en"):
        assert name in skills_page
    assert "acquired on" in skills_page
    both_widths(page, "learn-skills")
    assert sorted(s["skill_id"] for s in me(platform, token, "skills")) == sorted(
        course["skills"])
    mine, = me(platform, token, "progress")
    assert mine["best_score"] == 100 and mine["completed_at"]

    # the catalogue's page of a course leads a learner to follow it
    page.goto(f"/catalogue/courses/{course['id']}")
    page.get_by_role("link", name="Follow this course").click()
    page.wait_for_url(f"**/learn/courses/{course['id']}")

    # my courses now shows it completed, in French too, with dates in French
    page.goto("/learn")
    assert course["title"] in page.locator("#completed-title + ul").inner_text()
    both_widths(page, "learn-courses")
    page.get_by_role("button", name="Français").click()
    assert page.locator("h1").inner_text() == "Mes cours"
    assert "Terminé le" in page.locator("main").inner_text()
    both_widths(page, "learn-courses")
    for path, name in ((f"/learn/courses/{course['id']}", "learn-course-chapters-done"),
                       (f"/learn/courses/{course['id']}/quiz", "learn-quiz")):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "fr"
        both_widths(page, name)
    answer_quiz_fr = page.get_by_role("button", name="Envoyer mes réponses")
    for n, a in enumerate(right):
        page.locator(f"#q{n}-{a}").check()
    answer_quiz_fr.click()
    assert page.locator("h1").inner_text() == "Quiz réussi"
    assert "Votre score : 100 %" in page.locator(".score").inner_text()
    assert "Terminé le" in page.locator("main").inner_text()  # completed before
    both_widths(page, "learn-quiz-passed")
    page.goto("/learn/skills")
    assert page.locator("h1").inner_text() == "Mes compétences"
    french = page.locator("main").inner_text()
    assert all(name in french for name in skill_names(seed, course, "fr"))
    assert "acquise le" in french
    both_widths(page, "learn-skills")
    page.get_by_role("button", name="English").click()

    # another learner of the same school sees only their own (empty) pages; the
    # learner reaches no admin page
    other = browser.new_context(base_url=platform.url, locale="en-GB",
                                viewport=DESKTOP).new_page()
    try:
        other.goto(f"/invitations/{platform.invitation_token('eleve1@lycee-apprenant.fr')}")
        other.get_by_label("Password", exact=True).fill("learner-password-2")
        other.get_by_label("The same password again").fill("learner-password-2")
        other.get_by_role("button", name="Set my password and sign in").click()
        other.wait_for_url("**/account")
        other.goto("/learn/skills")
        assert "No skill yet" in other.locator("main").inner_text()
        both_widths(other, "learn-skills-none")
        other.goto("/learn")
        assert other.locator("#completed-title").count() == 0
        other.goto(f"/learn/courses/{course['id']}")
        assert f"0 of {len(chapters)} chapters done" in other.locator(
            ".chapters-done").inner_text()
    finally:
        other.context.close()
    for path in (f"/institutions/{school.id}", "/institution",
                 f"/institutions/{school.id}/rosters/{school.roster_job_id}"):
        assert page.goto(path).status == 404, path
        assert page.locator("h1").inner_text() == "This page does not exist"
    # and the admin finds no learner page
    admin = browser.new_context(base_url=platform.url, locale="en-GB").new_page()
    try:
        sign_in(admin, "direction@lycee-apprenant.fr", "admin-password-1")
        for path in ("/learn", "/learn/skills", f"/learn/courses/{course['id']}"):
            assert admin.goto(path).status == 404, path
        assert admin.get_by_role("link", name="My courses").count() == 0
    finally:
        admin.context.close()

    # an operator withdraws the licence: the sessions end; signed in again, the
    # learner is told what it means and whom to ask, and forms are refused so
    revoked = platform.api("POST", f"/api/v1/licences/{school.licence_id}/revocation",
                           operator(platform), json={"reason": "The pilot ended"})
    assert revoked.status_code == 200, revoked.text
    wait_for(lambda: page.goto("/learn") and "/sign-in" in page.url, timeout=20,
             interval=0.3)
    sign_in(page, email, "learner-password-1")
    wait_for(lambda: page.goto("/learn").status == 403, timeout=20, interval=0.3)
    assert page.locator("h1").inner_text() == "Your institution's licence was withdrawn"
    text = page.locator("main").inner_text()
    assert "Établissement lycee-apprenant.fr" in text  # whom to ask
    assert "See my skills" in text
    both_widths(page, "learn-licence-ended")
    for path in (f"/learn/courses/{course['id']}",
                 f"/learn/courses/{course['id']}/quiz"):
        assert page.goto(path).status == 403, path
        assert "withdrawn" in page.locator("h1").inner_text()
    refused = page.request.post(
        f"/learn/courses/{course['id']}/chapters/{chapters[0]['id']}",
        form={"csrf_token": csrf(page)})
    assert refused.status == 403
    assert "licence was withdrawn" in refused.text()
    assert "Something went wrong" not in refused.text()
    quiz_refused = page.request.post(f"/learn/courses/{course['id']}/quiz", form={
        "csrf_token": csrf(page), **{f"q{n}": str(a) for n, a in enumerate(right)}})
    assert quiz_refused.status == 403 and "licence was withdrawn" in quiz_refused.text()
    # what was acquired stays on my skills
    page.goto("/learn/skills")
    assert skill_names(seed, course, "en")[0] in page.locator("main").inner_text()
    page.goto("/learn")
    page.get_by_role("button", name="Français").click()
    assert page.locator("h1").inner_text() == \
        "La licence de votre établissement a été retirée"
    both_widths(page, "learn-licence-ended")


def end_licence_now(platform, licence_id: str) -> None:
    """Its end moved to a moment ago in licensing's database, as 90 days would have
    done. Everything after is the platform's own: the timer finds the licence at its
    end, marks it expired and announces licence.expired.v1; tracking stops recording.
    (A clock running ahead, CLOCK_OFFSET_SECONDS, shifts a whole process: it would
    end every licence of this module's platform. Decision 0062.)"""
    engine = create_engine(database_url("licensing", platform.env, platform.var_dir))
    try:
        with Session(engine) as session, session.begin():
            licence = session.get(Licence, licence_id)
            assert licence.status == "active", licence.status
            licence.ends_at = utcnow() - timedelta(seconds=1)
    finally:
        engine.dispose()


def test_a_learner_whose_licence_expired_is_told_so_and_records_nothing(
        page, platform, course):
    school = onboard(platform, "lycee-expire.fr", learners=1)
    chapters = course["chapters"]
    sign_in(page, "eleve0@lycee-expire.fr", "learner-password-1")
    page.goto(f"/learn/courses/{course['id']}")
    page.locator(f"#chapter-{chapters[0]['id']}").get_by_role("button").click()
    page.wait_for_url(re.compile(f"#chapter-{chapters[0]['id']}$"))
    assert "1 of" in page.locator(".chapters-done").inner_text()

    end_licence_now(platform, school.licence_id)
    wait_for(lambda: platform.api("GET", f"/api/v1/institutions/{school.id}/licence",
                                  school.admin).json()["status"] == "expired",
             timeout=20, interval=0.3)
    # the session stays (the licence ended, nobody withdrew it); the pages say so
    wait_for(lambda: page.goto("/learn").status == 403, timeout=20, interval=0.3)
    assert page.locator("h1").inner_text() == "Your institution's licence has ended"
    text = page.locator("main").inner_text()
    assert "came to its end date" in text and "withdr" not in text
    assert "Établissement lycee-expire.fr" in text  # whom to ask
    both_widths(page, "learn-licence-expired")
    assert page.goto(f"/learn/courses/{course['id']}").status == 403
    refused = page.request.post(
        f"/learn/courses/{course['id']}/chapters/{chapters[1]['id']}",
        form={"csrf_token": csrf(page)})
    assert refused.status == 403
    assert "licence has ended" in refused.text() and "withdrawn" not in refused.text()
    mine, = me(platform, next(iter(school.learners.values())), "progress")
    assert mine["chapters_done"] == 1  # the one done before the end, not the refused

    page.get_by_role("button", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == \
        "La licence de votre établissement a pris fin"
    assert "retirée" not in page.locator("main").inner_text()
    both_widths(page, "learn-licence-expired")
