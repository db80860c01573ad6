"""Public pages: home, language switch, catalogue, the application and its status."""

from __future__ import annotations

import uuid
from functools import cache
from importlib import resources

from werkzeug.wrappers import Response

from services.catalog.contracts.search import FILTERS, parse_query

from ..errors import ApiError, problem_for
from ..http import problem_response
from . import i18n, sessions
from .forms import field_errors
from .page import YEAR, page, safe_next

# what /static/<asset> serves: files of this package, nothing else on disk
ASSETS = {
    "site.css": "text/css; charset=utf-8",
    "site.js": "text/javascript; charset=utf-8",
    "surge.js": "text/javascript; charset=utf-8",
}
INSTITUTION_TYPES = ("secondary_school", "vocational_school", "university",
                     "grande_ecole", "training_centre")


@cache
def asset_bytes(name: str) -> bytes:
    return (resources.files("gateway.web") / "static" / name).read_bytes()


def wants_html(request) -> bool:
    """A browser asks for HTML by name; an API client (``*/*``, JSON) gets JSON."""
    return any(value == "text/html" for value, _ in request.accept_mimetypes)


class PublicPages:
    @page("GET", "/")
    def home_page(self, request, visit):
        return visit.render("home.html")

    @page("GET", "/static/<asset>", session=False)
    def static_asset(self, request, visit, asset):
        if asset not in ASSETS:
            raise ApiError(404, "not-found", "no such file")
        response = Response(asset_bytes(asset), content_type=ASSETS[asset])
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    @page("POST", "/language")
    def switch_language(self, request, visit):
        language = request.form.get("language")
        if language in i18n.LANGUAGES:
            visit.set_cookie(sessions.LANGUAGE_COOKIE, language, max_age=YEAR)
            if visit.principal is not None:
                with self.db.begin() as session:
                    sessions.set_language(session, visit.principal.subject, language)
        return visit.redirect(safe_next(request.form.get("next")))

    # -- catalogue ---------------------------------------------------------------------
    def skill_names(self, language: str) -> dict[str, str]:
        return {s["id"]: s["name"].get(language) or s["name"].get("en") or s["id"]
                for s in self.catalogue.skills}

    @page("GET", "/catalogue")
    def catalogue_page(self, request, visit):
        self.ensure_catalogue()
        errors = {}
        try:
            query = parse_query(request.args)
            results = self.catalogue.index.search(query)
        except Exception as exc:  # noqa: BLE001 - a bad filter is shown, not fatal
            body = problem_for(exc)
            if body["status"] != 422:
                raise
            errors = field_errors(exc)
            query, results = {}, self.catalogue.index.search({})
        chosen = {f: request.args.get(f, "") for f in FILTERS}
        return visit.render(
            "catalogue.html", results=results, q=request.args.get("q", ""),
            chosen=chosen, filters=FILTERS, errors=errors,
            skills=self.skill_names(visit.language),
            paths={p["id"]: p["title"] for p in self.catalogue.paths},
            next_query=self.next_page_query(request, results.get("next_cursor")),
        )

    def next_page_query(self, request, cursor) -> str | None:
        if not cursor:
            return None
        from urllib.parse import urlencode

        args = {k: v for k, v in request.args.items() if k != "cursor" and v}
        return urlencode({**args, "cursor": cursor})

    @page("GET", "/catalogue/courses/<course_id>")
    def course_page_html(self, request, visit, course_id):
        self.ensure_catalogue()
        if not self.catalogue.course(course_id).complete:
            self.fill_course(course_id)
        course = self.catalogue.course(course_id).detail
        paths = [p for p in self.catalogue.paths if course_id in p["courses"]]
        return visit.render("course.html", course=course, paths=paths,
                            skills=self.skill_names(visit.language))

    @page("GET", "/catalogue/courses/<course_id>/chapters/<chapter_id>")
    def chapter_page_html(self, request, visit, course_id, chapter_id):
        """A chapter's IRI, what a course player puts in an xAPI statement's object
        (decision 0059), leads to its place on the course's page."""
        self.ensure_catalogue()
        if not self.catalogue.course(course_id).complete:
            self.fill_course(course_id)
        course = self.catalogue.course(course_id).detail
        if chapter_id not in {c["id"] for c in course.get("chapters") or []}:
            raise ApiError(404, "not-found", "no such chapter in this course")
        return visit.redirect(f"/catalogue/courses/{course_id}#chapter-{chapter_id}")

    @page("GET", "/catalogue/paths")
    def paths_page(self, request, visit):
        self.ensure_catalogue()
        titles = {r.detail["id"]: r.detail["title"]
                  for r in self.catalogue.records.values()}
        return visit.render("paths.html", paths=self.catalogue.paths, titles=titles,
                            skills=self.skill_names(visit.language))

    # -- applications ------------------------------------------------------------------
    @page("GET", "/apply")
    def apply_page(self, request, visit):
        return visit.render("apply.html", form={"timezone": "Europe/Paris",
                                                "languages": [visit.language]},
                            errors={}, types=INSTITUTION_TYPES,
                            idempotency_key=str(uuid.uuid4()))

    @page("POST", "/apply", rate_limit="apply")
    def apply_submit(self, request, visit):
        form = request.form
        body = application_body(form)
        key = form.get("idempotency_key") or None
        try:
            application = self.call(self.onboarding_rpc.submit_application, body, key)
        except Exception as exc:
            if problem_for(exc)["status"] != 422:
                raise
            shown = {k: form.get(k, "") for k in form}
            shown["languages"] = form.getlist("languages")
            return visit.render("apply.html", status=422, form=shown,
                                errors=field_errors(exc), types=INSTITUTION_TYPES,
                                idempotency_key=key or str(uuid.uuid4()))
        if application.get("duplicate"):
            return visit.render("duplicate.html")
        return visit.redirect(
            f"/applications/{application['id']}?token={application['status_token']}")

    @page("GET", "/applications/<application_id>")
    def application_status_page(self, request, visit, application_id):
        if not wants_html(request):  # the status_url an API client follows
            try:
                return self.get_application(request, None, application_id)
            except Exception as exc:  # noqa: BLE001 - answered as the API would
                return problem_response(exc)
        token = request.args.get("token")
        if not token:
            raise ApiError(404, "not-found", "application not found")
        application = self.call(self.onboarding_rpc.get_application, application_id,
                                token)
        return visit.render("status.html", application=application,
                            timezone=application.get("timezone"))


def application_body(form) -> dict:
    """The form's fields as the API's JSON body, so the same schema judges them."""
    learners = form.get("expected_learners", "").strip()
    return {
        "name": form.get("name", ""), "type": form.get("type", ""),
        "country": form.get("country", "").strip().upper(),
        "city": form.get("city", ""), "website": form.get("website", "").strip(),
        "contact": {"name": form.get("contact.name", ""),
                    "email": form.get("contact.email", "").strip(),
                    "role": form.get("contact.role", "")},
        "expected_learners": int(learners) if learners.isdigit() else learners,
        "languages": form.getlist("languages"),
        "timezone": form.get("timezone", "").strip(),
    }
