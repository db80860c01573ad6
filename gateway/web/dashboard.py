"""The admin's dashboard: skills acquired per cohort and activity over the last weeks
as charts drawn on the server (``charts.py``), the figures as tables, the CSV export;
and the webinar place, booked or moved to another session."""

from __future__ import annotations

from services.onboarding.contracts.errors import Conflict, Invalid, NotFound

from . import charts, i18n
from .institution import for_admins
from .page import page


class DashboardPages:
    @page("GET", "/institutions/<institution_id>/dashboard")
    @for_admins
    def dashboard_page(self, request, visit, institution_id):
        institution, board, activity = self.call_all(
            (self.onboarding_rpc.get_institution, institution_id),
            (self.tracking_rpc.get_dashboard, institution_id),
            (self.tracking_rpc.get_activity, institution_id))
        weeks = activity["weeks"]
        date = i18n.formats(visit.language)["datetime"]
        return visit.render(
            "dashboard.html", institution=institution, board=board, weeks=weeks,
            skills_chart=charts.across(
                [(c["cohort"] or visit.gettext("No cohort"), c["skills_acquired"])
                 for c in board["cohorts"]]),
            activity_chart=charts.upright(
                [(date(w["starts_on"], "d MMM"), w["active_learners"]) for w in weeks]),
            timezone=institution.get("timezone"))

    @page("GET", "/institutions/<institution_id>/export.csv")
    @for_admins
    def export_page(self, request, visit, institution_id):
        return self.learners_csv(institution_id, {})

    # -- the webinar -----------------------------------------------------------------
    def webinar_page_for(self, visit, institution_id: str, status: int = 200,
                         error: str | None = None):
        institution = self.call(self.onboarding_rpc.get_institution, institution_id)
        try:
            booked = self.call(self.onboarding_rpc.get_webinar, institution_id)
        except NotFound:
            booked = None
        choices = self.call(self.onboarding_rpc.webinar_choices, institution_id)
        return visit.render("webinar.html", status=status, institution=institution,
                            booked=booked, choices=choices, error=error,
                            timezone=institution.get("timezone"))

    @page("GET", "/institutions/<institution_id>/webinar")
    @for_admins
    def webinar_page(self, request, visit, institution_id):
        return self.webinar_page_for(visit, institution_id)

    @page("POST", "/institutions/<institution_id>/webinar")
    @for_admins
    def book_webinar_page(self, request, visit, institution_id):
        try:
            self.call(self.onboarding_rpc.book_webinar, institution_id,
                      {"starts_at": request.form.get("starts_at", "")})
        except Conflict:
            return self.webinar_page_for(visit, institution_id, 409, "full")
        except Invalid:
            return self.webinar_page_for(visit, institution_id, 422, "invalid")
        return visit.redirect(f"/institutions/{institution_id}/webinar")
