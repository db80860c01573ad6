"""The learner's pages under /learn: my courses, a course chapter by chapter, its final
quiz and its score, my skills; and the page that says the licence has ended.

Progress goes through what ``POST /api/v1/progress`` calls (``routes/tracking.py``'s
``record_progress``), with an id each form makes for itself, so that sending a form
again (a double tap, the back button, a retry) is tracking's duplicate and never
counts twice. The quiz's score comes from the catalog, which grades the answers
against the ones only it holds (``grade_quiz``): no form carries a score.

Every page shows the signed-in learner's own data only (no learner id in any URL);
anyone else signed in (an admin, an operator) gets the 404 page, as a learner does
on the admins' pages.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime

from services.catalog.contracts.search import parse_query

from ..errors import ApiError, problem_for
from ..routes.tracking import record_progress
from .page import page

ENDED = ("no_licence", "licence_expired", "licence_revoked", "no_seat")
ATTEMPT = re.compile(r"^[0-9a-f]{32}$")
LISTED = ("language", "cursor")  # what the list of courses may be narrowed by


def chapter_record_id(learner_id: str, course_id: str, chapter_id: str) -> str:
    """The one progress id of "this learner did this chapter": every form of it,
    sent as often as it may be, is the same record."""
    key = f"{learner_id}\n{course_id}\n{chapter_id}".encode()
    return "chapter-" + hashlib.sha256(key).hexdigest()[:48]


def quiz_answers(form, questions: list[dict]) -> tuple[list[int], dict]:
    """The index of the choice taken for each question, and the questions left
    without one (``{"q2": ["unanswered"]}``)."""
    answers: list[int] = []
    errors: dict[str, list[str]] = {}
    for n, question in enumerate(questions):
        raw = form.get(f"q{n}", "")
        if raw.isdigit() and int(raw) < len(question["choices"]):
            answers.append(int(raw))
        else:
            errors[f"q{n}"] = ["unanswered"]
    return answers, errors


def as_date(value):
    return datetime.fromisoformat(value).date() if isinstance(value, str) else value


class LearnerPages:
    # -- who ---------------------------------------------------------------------------
    def learner_of(self, visit):
        """The signed-in learner; any other role gets the 404 page."""
        who = visit.principal
        if who.role != "learner":
            raise ApiError(404, "not-found", "no such page")
        return who

    def ended_page(self, visit, who, reason: str, status: int = 403):
        """What the end of the licence (or no seat) means and whom to ask."""
        try:
            institution = self.call(self.onboarding_rpc.get_institution,
                                    who.institution_id)["name"]
        except Exception:  # noqa: BLE001 - the page says it without the name
            institution = None
        return visit.render("licence_ended.html", status=status, reason=reason,
                            institution=institution)

    def learner_or_page(self, visit, standing: bool = True):
        """(the signed-in learner, None), or (learner or None, the answer to give
        instead): the sign-in page for no one, the licence-ended page if records would
        be refused now (checked when ``standing``). Another role raises the 404 page."""
        away = self.signed_in_or_redirect(visit)
        if away:
            return None, away
        who = self.learner_of(visit)
        return who, self.refusal(visit, who) if standing else None

    def refusal(self, visit, who):
        """The licence-ended page if the learner may not record progress now."""
        standing = self.call(self.tracking_rpc.my_standing, who.subject)
        if standing["refused"]:
            return self.ended_page(visit, who, standing["refused"])
        return None

    def record(self, visit, who, body: dict):
        """(recorded, None), or (None, the licence-ended page) when tracking refuses
        the record for the licence or the seat."""
        try:
            return record_progress(self, who.subject, body), None
        except Exception as exc:
            problem = problem_for(exc)
            if problem["status"] == 403 and problem.get("reason") in ENDED:
                return None, self.ended_page(visit, who, problem["reason"])
            raise

    def learning_course(self, course_id: str) -> dict:
        self.ensure_catalogue()
        if not self.catalogue.course(course_id).complete:
            self.fill_course(course_id)
        return self.catalogue.course(course_id).detail

    # -- my courses --------------------------------------------------------------------
    @page("GET", "/learn")
    def my_courses_page(self, request, visit):
        who, instead = self.learner_or_page(visit)
        if instead:
            return instead
        mine = self.call(self.tracking_rpc.my_progress, who.subject)["items"]
        self.ensure_catalogue()
        try:
            query = parse_query({k: v for k, v in request.args.items() if k in LISTED})
        except Exception:  # noqa: BLE001 - an odd cursor or language: the first page
            query = {}
        results = self.catalogue.index.search(query)
        details = {cid: r.detail for cid, r in self.catalogue.records.items()}
        return visit.render(
            "learn_courses.html", results=results,
            started=[c for c in mine if c["completed_at"] is None],
            completed=[{**c, "completed_on": as_date(c["completed_at"])}
                       for c in mine if c["completed_at"] is not None],
            progress={c["course_id"]: c for c in mine}, details=details,
            language=query.get("language", ""),
            next_query=self.next_page_query(request, results.get("next_cursor")))

    # -- a course, chapter by chapter --------------------------------------------------
    def course_view(self, visit, who, course_id: str, status: int = 200):
        course = self.learning_course(course_id)
        mine = self.call(self.tracking_rpc.my_course, who.subject, course_id)
        return visit.render("learn_course.html", status=status, course=course,
                            done=set(mine["chapters_done"]), mine=mine,
                            completed_on=as_date(mine["completed_at"]))

    @page("GET", "/learn/courses/<course_id>")
    def learning_course_page(self, request, visit, course_id):
        who, instead = self.learner_or_page(visit)
        return instead or self.course_view(visit, who, course_id)

    @page("POST", "/learn/courses/<course_id>/chapters/<chapter_id>")
    def mark_chapter_done(self, request, visit, course_id, chapter_id):
        who, instead = self.learner_or_page(visit, standing=False)
        if instead:
            return instead
        self.learning_course(course_id)  # 404 for a course the catalogue lacks
        _, ended = self.record(visit, who, {
            "id": chapter_record_id(who.subject, course_id, chapter_id),
            "course_id": course_id, "kind": "chapter_completed",
            "chapter_id": chapter_id})
        return ended or visit.redirect(
            f"/learn/courses/{course_id}#chapter-{chapter_id}")

    # -- the final quiz ----------------------------------------------------------------
    def quiz_of(self, course_id: str) -> dict:
        course = self.learning_course(course_id)
        if not course.get("quiz") or course.get("status") != "published":
            raise ApiError(404, "not-found", "this course has no quiz to take")
        return course

    @page("GET", "/learn/courses/<course_id>/quiz")
    def quiz_page(self, request, visit, course_id):
        who, instead = self.learner_or_page(visit)
        if instead:
            return instead
        return visit.render("learn_quiz.html", course=self.quiz_of(course_id),
                            chosen={}, errors={}, attempt=uuid.uuid4().hex)

    @page("POST", "/learn/courses/<course_id>/quiz")
    def submit_quiz(self, request, visit, course_id):
        who, instead = self.learner_or_page(visit, standing=False)
        if instead:
            return instead
        course = self.quiz_of(course_id)
        attempt = request.form.get("attempt", "")
        if not ATTEMPT.match(attempt):  # a form of ours always has one
            attempt = uuid.uuid4().hex
        answers, errors = quiz_answers(request.form, course["quiz"]["questions"])
        if errors:
            chosen = {k: request.form.get(k) for k in request.form if k[:1] == "q"}
            return visit.render("learn_quiz.html", status=422, course=course,
                                chosen=chosen, errors=errors, attempt=attempt)
        grade = self.call(self.catalog_rpc.grade_quiz, course_id, {"answers": answers})
        recorded, ended = self.record(visit, who, {
            "id": f"quiz-{attempt}", "course_id": course_id, "kind": "quiz_submitted",
            "score": grade["score"]})
        if ended:
            return ended
        score = recorded["score"]  # a form sent again: the score of its first time
        passed = score >= grade["pass_mark"]
        state = None  # passed, not completing now: completed before, or chapters left
        if passed and not recorded["course_completed"]:
            state = self.call(self.tracking_rpc.my_course, who.subject, course_id)
        return visit.render(
            "learn_quiz_result.html", course=course, grade=grade, score=score,
            passed=passed, duplicate=recorded["duplicate"],
            completed_on=as_date(state["completed_at"]) if state else None,
            completed=recorded["course_completed"],
            acquired=recorded["skills_acquired"],
            skills=self.skill_names(visit.language))

    # -- my skills ---------------------------------------------------------------------
    @page("GET", "/learn/skills")
    def my_skills_page(self, request, visit):
        who, instead = self.learner_or_page(visit, standing=False)
        if instead:
            return instead
        acquired = self.call(self.tracking_rpc.my_skills, who.subject)["items"]
        self.ensure_catalogue()
        courses: dict[str, list[dict]] = {}
        for skill in acquired:  # per course, in the order they were acquired
            courses.setdefault(skill["course_id"], []).append(
                {**skill, "acquired_on": as_date(skill["acquired_at"])})
        known = self.catalogue.records
        about = {cid: known[cid].detail if cid in known else {"title": cid}
                 for cid in courses}
        return visit.render("learn_skills.html", courses=courses, about=about,
                            skills=self.skill_names(visit.language))
