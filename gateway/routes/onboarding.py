"""Applications, institutions, rosters and the surge view."""

from __future__ import annotations

import base64

from werkzeug.wrappers import Response

from services.common.validation import text_problem
from services.licensing.contracts.rpc import LicenceView
from services.onboarding.contracts.links import status_url
from services.onboarding.contracts.rpc import (
    ApplicationRequest,
    BookWebinarRequest,
    Decision,
    InstitutionView,
    InvitationResent,
)

from ..audit import state
from ..http import invalid_text
from ..schemas import (
    ApplicationAccepted,
    ApplicationOut,
    ApplicationPage,
    ApplicationsQuery,
    ReviewOut,
    RosterJobOut,
    StatusQuery,
    Surge,
    Webinar,
    WebinarChoicePage,
    WebinarPage,
)
from .base import Answer, ApiError, RouteBase, api, int_arg, json_body, json_response

ROSTER_MAX_BYTES = 20 * 1024 * 1024
# the answer to an application for a website and country that have one already: the
# same for anyone, whoever the contact, so it tells nothing of the other application
DUPLICATE = {
    "status": "duplicate",
    "detail": "we already have an application for this institution; its contact has "
              "been e-mailed",
}
# what an application's audit record keeps of the decision
APPLICATION_STATE = ("status", "decision_reason", "institution_id")
CSV_TYPES = ("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER_BODIES = {  # what upload_roster reads (roster_file)
    "text/csv": {"type": "string", "description": "UTF-8; , ; or tab separated"},
    XLSX_TYPE: {"type": "string", "format": "binary"},
    "multipart/form-data": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "a .csv, .tsv or .xlsx file"}}},
}
LOCATION = {"Location": {"description": "Where to follow it", "required": True,
                         "schema": {"type": "string"}}}


def review_out(application: dict) -> dict:
    """What an operator sees of an application (``ReviewOut``)."""
    return {k: v for k, v in application.items() if k not in ("created", "status_token")}


class OnboardingRoutes(RouteBase):
    # -- applications ---------------------------------------------------------------
    def application_out(self, application: dict) -> dict:
        out = {k: v for k, v in application.items() if k != "created"}
        out["status_url"] = status_url(
            self.config["PUBLIC_URL"], application["id"], application["status_token"])
        return out

    @api("POST", "/api/v1/applications", tags=("applications",), rate_limit="apply",
         summary="Apply for an institution. A retry with the same Idempotency-Key "
         "and body gets the same application (another body: 422); an application "
         "for a website and country that have one already is answered "
         "`status: duplicate` (its contact is e-mailed; another contact's goes to "
         "review and gets its link by e-mail)",
         body=ApplicationRequest,
         responses={202: Answer("Accepted: the application, its status URL in Location",
                                "application/json", ApplicationAccepted, LOCATION)})
    def submit_application(self, request, principal):
        body = json_body(request)
        key = request.headers.get("Idempotency-Key")
        if key is not None and not 1 <= len(key) <= 200:
            raise ApiError(422, "validation-error", "Idempotency-Key must be 1-200 characters",
                           errors={"Idempotency-Key": ["must be 1-200 characters"]})
        application = self.call(self.onboarding_rpc.submit_application, body, key)
        if application.get("duplicate"):
            return json_response(DUPLICATE, status=202)
        out = self.application_out(application)
        return json_response(out, status=202, headers={"Location": out["status_url"]})

    @api("GET", "/api/v1/applications/<application_id>", tags=("applications",),
         summary="An application's status, with its status token", query=StatusQuery,
         responses={200: ApplicationOut})
    def get_application(self, request, principal, application_id):
        token = request.args.get("token")
        if not token:
            raise ApiError(404, "not-found", "application not found")
        application = self.call(self.onboarding_rpc.get_application, application_id, token)
        return json_response(self.application_out(application))

    @api("GET", "/api/v1/applications", roles={"operator"}, tags=("applications",),
         summary="Applications, by status (the review queue: status=needs_review)",
         query=ApplicationsQuery, responses={200: ApplicationPage})
    def list_applications(self, request, principal):
        limit = int_arg(request, "limit", 50, 1, 200)
        items = self.call(self.onboarding_rpc.list_applications,
                          request.args.get("status"), limit, request.args.get("cursor"))
        return json_response({"items": [review_out(item) for item in items],
                              "next_cursor": items[-1]["id"] if len(items) == limit else None})

    @api("POST", "/api/v1/applications/<application_id>/decision", roles={"operator"},
         tags=("applications",), summary="Approve or reject an application under review",
         body=Decision, responses={200: ReviewOut}, idempotent=True,
         errors={409: "Decided already, or another application of the website was "
                      "approved meanwhile, or the first request with this "
                      "Idempotency-Key still runs"})
    def decide_application(self, request, principal, application_id):
        return json_response(review_out(
            self.decide(request, principal, application_id, json_body(request))))

    def decide(self, request, principal, application_id: str, body: dict) -> dict:
        """An operator's decision, audited: the API's and the review queue's alike."""
        before = self.call(self.onboarding_rpc.get_application, application_id)
        decided = self.call(self.onboarding_rpc.decide_application, application_id,
                            body, principal.email or principal.subject)
        self.audited(request, principal, f"application.{decided['status']}",
                     ("application", application_id), decided.get("institution_id"),
                     state(before, APPLICATION_STATE),
                     state(decided, APPLICATION_STATE))
        return decided

    # -- institutions ---------------------------------------------------------------
    @api("GET", "/api/v1/institutions/<institution_id>", roles={"institution_admin", "operator"},
         tags=("institutions",), summary="An institution", responses={200: InstitutionView})
    def get_institution(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.onboarding_rpc.get_institution, institution_id))

    @api("GET", "/api/v1/institutions/<institution_id>/licence", tags=("licences",),
         summary="The institution's licence: seats granted, used, waiting; days left",
         responses={200: LicenceView},
         roles={"institution_admin", "operator"})
    def get_licence(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.licensing_rpc.get_licence, institution_id))

    @api("POST", "/api/v1/institutions/<institution_id>/rosters", tags=("rosters",),
         summary="Import learners: a text/csv or .xlsx body or multipart 'file' (CSV "
         "with , ; or tab, French or English headers; OneRoster users.csv; Excel "
         ".xlsx, its first sheet; ≤ 20 MB, ≤ 100,000 rows). A file of < 1,000 rows "
         "is imported before the answer (its job is done); a larger one runs as the "
         "job the answer names",
         responses={202: Answer("Accepted: the job, its URL in Location",
                                "application/json", RosterJobOut, LOCATION)},
         content=ROSTER_BODIES,
         errors={409: "The institution is not active yet: its licence is being issued",
                 415: "Not text/csv, an .xlsx workbook or multipart/form-data"},
         roles={"institution_admin", "operator"})
    def upload_roster(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        job = self.start_roster(request, institution_id)
        url = f"/api/v1/institutions/{institution_id}/rosters/{job['id']}"
        return json_response({**job, "url": url}, status=202, headers={"Location": url})

    def start_roster(self, request, institution_id: str) -> dict:
        """The roster sent in ``request``, handed to onboarding: its job's view (the
        API's upload and the admin's upload page alike)."""
        content, filename = self.roster_file(request)
        if isinstance(content, bytes):  # a workbook: onboarding reads it into CSV text
            workbook = base64.b64encode(content).decode()
            return self.call(self.onboarding_rpc.start_roster_import, institution_id,
                             "", filename, workbook_base64=workbook)
        return self.call(self.onboarding_rpc.start_roster_import, institution_id,
                         content, filename)

    def roster_file(self, request) -> tuple[str | bytes, str | None]:
        """The CSV's text, or a workbook's bytes, and the file's name."""
        if (request.content_length or 0) > ROSTER_MAX_BYTES:
            raise ApiError(413, "payload-too-large", "a roster file may not exceed 20 MB")
        mimetype = request.mimetype
        filename = None
        if mimetype == "multipart/form-data":
            upload = request.files.get("file")
            if upload is None:
                raise ApiError(422, "validation-error", "send the roster as the 'file' field",
                               errors={"file": ["missing"]})
            raw, filename = upload.read(ROSTER_MAX_BYTES + 1), upload.filename
            problem = text_problem(filename or "", one_line=True)
            if problem:  # the job keeps the name: text a database can store
                raise invalid_text({"file": f"its name {problem}"})
        elif mimetype in CSV_TYPES or mimetype == XLSX_TYPE:
            raw = request.get_data(cache=False)
        else:
            raise ApiError(415, "unsupported-media-type",
                           "send text/csv, an .xlsx workbook or multipart/form-data "
                           "with a 'file' field")
        if len(raw) > ROSTER_MAX_BYTES:
            raise ApiError(413, "payload-too-large", "a roster file may not exceed 20 MB")
        if raw[:4] == b"PK\x03\x04":  # a zip archive, as every .xlsx is
            return raw, filename
        if mimetype == XLSX_TYPE or (filename or "").lower().endswith(".xlsx"):
            raise ApiError(422, "validation-error", "the file is not an Excel workbook "
                           "(.xlsx): save it again as .xlsx or as CSV UTF-8",
                           errors={"file": ["not an .xlsx workbook"]})
        try:
            return raw.decode("utf-8-sig"), filename
        except UnicodeDecodeError as exc:
            raise ApiError(400, "bad-encoding",
                           f"the file is not UTF-8 (byte {exc.start}); export it as CSV UTF-8",
                           errors={"file": ["not UTF-8"]}) from None

    @api("GET", "/api/v1/institutions/<institution_id>/rosters/<job_id>", tags=("rosters",),
         summary="A roster import's live counts and first 100 errors",
         responses={200: RosterJobOut},
         roles={"institution_admin", "operator"})
    def get_roster_job(self, request, principal, institution_id, job_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.onboarding_rpc.get_roster_job, institution_id, job_id))

    # -- operators ------------------------------------------------------------------
    @api("GET", "/api/v1/surge", roles={"operator"}, tags=("operations",),
         summary="Time to active (p50/p95/p99), applications by status, backlog",
         responses={200: Surge})
    def surge(self, request, principal):
        return json_response(self.call(self.onboarding_rpc.surge_summary))

    @api("GET", "/api/v1/webinars", roles={"operator"}, tags=("onboarding",),
         responses={200: WebinarPage},
         summary="Every onboarding webinar from yesterday on, with its fill")
    def list_webinars(self, request, principal):
        items = self.call(self.onboarding_rpc.list_webinars)
        return json_response({"items": items, "next_cursor": None})

    @api("GET", "/api/v1/institutions/<institution_id>/webinar",
         roles={"institution_admin", "operator"}, tags=("onboarding",),
         summary="The onboarding webinar the institution is booked into",
         responses={200: Webinar})
    def get_webinar(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.onboarding_rpc.get_webinar, institution_id))

    @api("DELETE", "/api/v1/institutions/<institution_id>/learners/<learner_id>",
         roles={"institution_admin", "operator"}, tags=("onboarding",),
         summary="Remove a learner from the roster; the seat goes to the first waiting",
         responses={204: "Removed"})
    def remove_learner(self, request, principal, institution_id, learner_id):
        self.own_institution(principal, institution_id)
        self.take_off_roster(institution_id, learner_id)
        return Response(status=204)

    def take_off_roster(self, institution_id: str, learner_id: str) -> None:
        """The API's DELETE and the admin's page alike: licensing frees the seat
        when it reads ``learners.removed.v1``."""
        self.call(self.onboarding_rpc.remove_learners, institution_id, [learner_id])

    @api("POST",
         "/api/v1/institutions/<institution_id>/learners/<learner_id>/invitation",
         roles={"institution_admin", "operator"}, tags=("onboarding",),
         rate_limit="resend_invitation",
         summary="Send a learner's invitation again, with a new link (the old one "
                 "stops working). Within 2 minutes of the last one nothing is sent "
                 "(`sent: false`): a double click sends one mail. 409 once the "
                 "learner has set a password",
         responses={200: InvitationResent})
    def resend_invitation(self, request, principal, institution_id, learner_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.onboarding_rpc.resend_invitation,
                                       institution_id, learner_id))

    @api("GET", "/api/v1/institutions/<institution_id>/webinars",
         roles={"institution_admin", "operator"}, tags=("onboarding",),
         summary="The next onboarding webinars the institution may book, in its "
                 "language and working hours; `full` ones have no place left, "
                 "`yours` is its booking", responses={200: WebinarChoicePage})
    def webinar_choices(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        items = self.call(self.onboarding_rpc.webinar_choices, institution_id)
        return json_response({"items": items, "next_cursor": None})

    @api("PUT", "/api/v1/institutions/<institution_id>/webinar",
         roles={"institution_admin", "operator"}, tags=("onboarding",),
         summary="Book the institution's webinar place, or move it, to one of the "
                 "sessions offered (409 when that session is full)",
         body=BookWebinarRequest, responses={200: Webinar})
    def book_webinar(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.onboarding_rpc.book_webinar,
                                       institution_id, json_body(request)))
