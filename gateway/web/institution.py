"""The institution admin's pages: the licence card, roster uploads and their jobs.

They call what the API routes call (``routes/onboarding.py``'s ``start_roster``, the
RPCs) and refuse the same people the same way: another institution's admin, or any
role but admin and operator, gets the 404 page, as for an institution that does not
exist.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable

from werkzeug.wrappers import Response

from ..errors import ApiError, problem_for
from . import reasons
from .page import page

ADMINS = ("institution_admin", "operator")
FINISHED = ("done", "failed")
# a spreadsheet runs a cell that starts with one of these as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def errors_csv(errors: list[dict], gettext: Callable[[str], str]) -> str:
    """The job's errors as the page shows them, in the admin's language."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext("Line"), gettext("Column"), gettext("Reason for refusal")])
    for error in errors:
        writer.writerow([csv_cell(error.get("line")),
                         csv_cell(reasons.column_name(error.get("column"), gettext)),
                         csv_cell(reasons.translated(error.get("reason"), gettext))])
    return out.getvalue()


def progress(job: dict) -> tuple[int, int]:
    """(rows done, rows in all) for the bar: a finished job is full."""
    total = job.get("rows_total") or 0
    done = min(job.get("rows_read") or 0, total) if total else 0
    if job["status"] in FINISHED:
        total = total or 1
        done = total
    return done, total


def for_admins(handler):
    """An institution's page, for its admin or an operator: someone not signed in is
    sent to sign in (and back), anyone else gets the 404 page (``admin_of``)."""

    @functools.wraps(handler)
    def admins_only(self, request, visit, institution_id, **values):
        away = self.signed_in_or_redirect(visit)
        if away:
            return away
        self.admin_of(visit, institution_id)
        return handler(self, request, visit, institution_id, **values)

    return admins_only


class InstitutionPages:
    def admin_of(self, visit, institution_id: str) -> None:
        """The signed-in admin of this institution, or an operator; else 404."""
        who = visit.principal
        if who is None or who.role not in ADMINS:
            raise ApiError(404, "not-found", "no such page")
        self.own_institution(who, institution_id)

    def signed_in_or_redirect(self, visit):
        if visit.principal is None:
            return visit.redirect(f"/sign-in?next={visit.request.path}")
        return None

    @page("GET", "/institution")
    def my_institution(self, request, visit):
        away = self.signed_in_or_redirect(visit)
        if away:
            return away
        who = visit.principal
        if who.role != "institution_admin" or not who.institution_id:
            raise ApiError(404, "not-found", "no such page")
        return visit.redirect(f"/institutions/{who.institution_id}")

    def institution_page(self, visit, institution_id: str, status: int = 200,
                         error: str | None = None) -> Response:
        institution = self.call(self.onboarding_rpc.get_institution, institution_id)
        licence = self.call(self.licensing_rpc.get_licence, institution_id)
        imports = self.call(self.onboarding_rpc.list_roster_jobs, institution_id)
        return visit.render("institution.html", status=status, institution=institution,
                            licence=licence, imports=imports, error=error,
                            timezone=institution.get("timezone"))

    @page("GET", "/institutions/<institution_id>")
    @for_admins
    def institution(self, request, visit, institution_id):
        return self.institution_page(visit, institution_id)

    @page("POST", "/institutions/<institution_id>/rosters")
    @for_admins
    def upload_roster_page(self, request, visit, institution_id):
        try:
            job = self.start_roster(request, institution_id)
        except Exception as exc:  # the file's problem is said next to the form
            body = problem_for(exc)
            if body["status"] >= 500 or body["status"] == 404:
                raise
            return self.institution_page(visit, institution_id, status=body["status"],
                                         error=visit.reason(body["detail"]))
        return visit.redirect(f"/institutions/{institution_id}/rosters/{job['id']}")

    @page("GET", "/institutions/<institution_id>/rosters/<job_id>")
    @for_admins
    def roster_job_page(self, request, visit, institution_id, job_id):
        job = self.call(self.onboarding_rpc.get_roster_job, institution_id, job_id)
        institution = self.call(self.onboarding_rpc.get_institution, institution_id)
        done, total = progress(job)
        return visit.render("roster_job.html", job=job, institution_id=institution_id,
                            done=done, total=total, finished=job["status"] in FINISHED,
                            timezone=institution.get("timezone"))

    @page("GET", "/institutions/<institution_id>/rosters/<job_id>/errors.csv")
    @for_admins
    def roster_errors_csv(self, request, visit, institution_id, job_id):
        job = self.call(self.onboarding_rpc.get_roster_job, institution_id, job_id)
        return Response(errors_csv(job.get("errors") or [], visit.gettext),
                        content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition":
                                 f'attachment; filename="import-{job_id}-errors.csv"'})
