"""The HTTP front: routes of DESIGN.md, each a thin call to the service that owns it."""

from __future__ import annotations

import eventlet
from marshmallow import RAISE, Schema, ValidationError, fields, validate
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.wrappers import Response

from services.common.db import Database
from services.common.observability import EntrypointMetrics

from . import auth
from .errors import ApiError, RpcTimeout
from .http import api, json_body, json_response
from .models import Base

ROSTER_MAX_BYTES = 20 * 1024 * 1024
CSV_TYPES = ("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel")


class LoginRequest(Schema):
    class Meta:
        unknown = RAISE

    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class AcceptInvitation(Schema):
    class Meta:
        unknown = RAISE

    password = fields.String(required=True, validate=validate.Length(min=10, max=1024))


def load(schema: Schema, body: dict) -> dict:
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise ApiError(422, "validation-error", "some fields are invalid: see errors",
                       errors=exc.messages) from None


def int_arg(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ApiError(422, "validation-error", f"{name} must be between {low} and {high}",
                       errors={name: [f"must be an integer between {low} and {high}"]})
    return int(raw)


class GatewayService:
    name = "gateway"

    db = Database(Base.metadata, on_ready=auth.ensure_operator)
    metrics = EntrypointMetrics(serve_ops=False)
    config = Config()

    catalog_rpc = RpcProxy("catalog")
    onboarding_rpc = RpcProxy("onboarding")
    licensing_rpc = RpcProxy("licensing")
    tracking_rpc = RpcProxy("tracking")

    def call(self, method, *args, **kwargs):
        """An RPC with a deadline: a service that is down gives 503, not a hang."""
        try:
            with eventlet.Timeout(self.config.get("RPC_TIMEOUT", 30)):
                return method(*args, **kwargs)
        except eventlet.Timeout:
            raise RpcTimeout("a service did not answer in time; try again") from None

    def own_institution(self, principal, institution_id: str) -> None:
        if principal.role == "institution_admin" and principal.institution_id != institution_id:
            raise ApiError(404, "not-found", "no such institution")

    # -- ops ------------------------------------------------------------------------
    @api("GET", "/health")
    def health(self, request, principal):
        return json_response({"status": "ok"})

    @api("GET", "/ready")
    def ready(self, request, principal):
        ok, checks = self.metrics.readiness()
        return json_response({"status": "ready" if ok else "not ready", "checks": checks},
                             status=200 if ok else 503)

    @api("GET", "/metrics")
    def prometheus(self, request, principal):
        return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)

    # -- catalogue ------------------------------------------------------------------
    @api("GET", "/api/v1/courses")
    def list_courses(self, request, principal):
        filters = {k: request.args[k] for k in ("q", "language", "level", "topic", "skill", "path")
                   if request.args.get(k)}
        filters["limit"] = int_arg(request, "limit", 20, 1, 100)
        filters["cursor"] = int_arg(request, "cursor", 0, 0, 10**6)
        return json_response(self.call(self.catalog_rpc.search_courses, filters))

    @api("GET", "/api/v1/courses/<course_id>")
    def get_course(self, request, principal, course_id):
        return json_response(self.call(self.catalog_rpc.get_course, course_id))

    @api("GET", "/api/v1/skills")
    def list_skills(self, request, principal):
        return json_response({"items": self.call(self.catalog_rpc.list_skills),
                              "next_cursor": None})

    @api("GET", "/api/v1/paths")
    def list_paths(self, request, principal):
        return json_response({"items": self.call(self.catalog_rpc.list_paths),
                              "next_cursor": None})

    @api("GET", "/api/v1/paths/<path_id>")
    def get_path(self, request, principal, path_id):
        return json_response(self.call(self.catalog_rpc.get_path, path_id))

    # -- applications ---------------------------------------------------------------
    def application_out(self, application: dict) -> dict:
        public = self.config["PUBLIC_URL"]
        out = {k: v for k, v in application.items() if k != "created"}
        out["status_url"] = (
            f"{public}/api/v1/applications/{application['id']}?token={application['status_token']}"
        )
        return out

    @api("POST", "/api/v1/applications")
    def submit_application(self, request, principal):
        body = json_body(request)
        key = request.headers.get("Idempotency-Key")
        if key is not None and not 1 <= len(key) <= 200:
            raise ApiError(422, "validation-error", "Idempotency-Key must be 1-200 characters",
                           errors={"Idempotency-Key": ["must be 1-200 characters"]})
        application = self.call(self.onboarding_rpc.submit_application, body, key)
        out = self.application_out(application)
        return json_response(out, status=202, headers={"Location": out["status_url"]})

    @api("GET", "/api/v1/applications/<application_id>")
    def get_application(self, request, principal, application_id):
        token = request.args.get("token")
        if not token:
            raise ApiError(404, "not-found", "application not found")
        application = self.call(self.onboarding_rpc.get_application, application_id, token)
        return json_response(self.application_out(application))

    @api("GET", "/api/v1/applications", roles={"operator"})
    def list_applications(self, request, principal):
        limit = int_arg(request, "limit", 50, 1, 200)
        items = self.call(self.onboarding_rpc.list_applications,
                          request.args.get("status"), limit, request.args.get("cursor"))
        return json_response({"items": items,
                              "next_cursor": items[-1]["id"] if len(items) == limit else None})

    @api("POST", "/api/v1/applications/<application_id>/decision", roles={"operator"})
    def decide_application(self, request, principal, application_id):
        decided = self.call(self.onboarding_rpc.decide_application, application_id,
                            json_body(request), principal.email or principal.subject)
        return json_response(self.application_out(decided))

    # -- accounts -------------------------------------------------------------------
    def token_response(self, principal) -> Response:
        ttl = self.config["TOKEN_TTL_SECONDS"]
        token = auth.issue_token(self.config["TOKEN_SECRET"], principal, ttl)
        return json_response({
            "access_token": token, "token_type": "Bearer", "expires_in": ttl,
            "role": principal.role, "subject": principal.subject,
            "institution_id": principal.institution_id,
        })

    @api("POST", "/api/v1/auth/token")
    def login(self, request, principal):
        credentials = load(LoginRequest(), json_body(request))
        with self.db.begin() as session:
            who = auth.login(session, credentials["email"], credentials["password"])
        return self.token_response(who)

    @api("POST", "/api/v1/invitations/<token>/accept")
    def accept_invitation(self, request, principal, token):
        body = load(AcceptInvitation(), json_body(request))
        member = self.call(self.onboarding_rpc.redeem_invitation, token)
        with self.db.begin() as session:
            who = auth.create_account(
                session, account_id=member["id"], email=member["email"],
                password=body["password"], role=member["role"],
                institution_id=member["institution_id"],
            )
        return self.token_response(who)

    # -- learners -------------------------------------------------------------------
    @api("GET", "/api/v1/me", roles={"learner", "institution_admin", "operator"})
    def me(self, request, principal):
        return json_response({"id": principal.subject, "role": principal.role,
                              "email": principal.email,
                              "institution_id": principal.institution_id})

    @api("GET", "/api/v1/me/progress", roles={"learner"})
    def my_progress(self, request, principal):
        return json_response({"items": self.call(self.tracking_rpc.my_progress, principal.subject),
                              "next_cursor": None})

    @api("GET", "/api/v1/me/skills", roles={"learner"})
    def my_skills(self, request, principal):
        return json_response({"items": self.call(self.tracking_rpc.my_skills, principal.subject),
                              "next_cursor": None})

    @api("POST", "/api/v1/progress", roles={"learner"})
    def record_progress(self, request, principal):
        recorded = self.call(self.tracking_rpc.record_progress, principal.subject,
                             json_body(request))
        return json_response(recorded, status=200 if recorded["duplicate"] else 201)

    # -- institutions ---------------------------------------------------------------
    @api("GET", "/api/v1/institutions/<institution_id>", roles={"institution_admin", "operator"})
    def get_institution(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.onboarding_rpc.get_institution, institution_id))

    @api("GET", "/api/v1/institutions/<institution_id>/licence",
         roles={"institution_admin", "operator"})
    def get_licence(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.licensing_rpc.get_licence, institution_id))

    @api("POST", "/api/v1/institutions/<institution_id>/rosters",
         roles={"institution_admin", "operator"})
    def upload_roster(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        content, filename = self.roster_file(request)
        job = self.call(self.onboarding_rpc.start_roster_import, institution_id, content, filename)
        url = f"/api/v1/institutions/{institution_id}/rosters/{job['id']}"
        return json_response({**job, "url": url}, status=202, headers={"Location": url})

    def roster_file(self, request) -> tuple[str, str | None]:
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
        elif mimetype in CSV_TYPES:
            raw = request.get_data(cache=False)
        else:
            raise ApiError(415, "unsupported-media-type",
                           "send text/csv or multipart/form-data with a 'file' field")
        if len(raw) > ROSTER_MAX_BYTES:
            raise ApiError(413, "payload-too-large", "a roster file may not exceed 20 MB")
        try:
            return raw.decode("utf-8-sig"), filename
        except UnicodeDecodeError as exc:
            raise ApiError(400, "bad-encoding",
                           f"the file is not UTF-8 (byte {exc.start}); export it as CSV UTF-8",
                           errors={"file": ["not UTF-8"]}) from None

    @api("GET", "/api/v1/institutions/<institution_id>/rosters/<job_id>",
         roles={"institution_admin", "operator"})
    def get_roster_job(self, request, principal, institution_id, job_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.onboarding_rpc.get_roster_job, institution_id, job_id))

    @api("GET", "/api/v1/institutions/<institution_id>/learners",
         roles={"institution_admin", "operator"})
    def list_learners(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        items = self.call(self.onboarding_rpc.list_learners, institution_id)
        return json_response({"items": items, "next_cursor": None})

    @api("GET", "/api/v1/institutions/<institution_id>/dashboard",
         roles={"institution_admin", "operator"})
    def dashboard(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.tracking_rpc.get_dashboard, institution_id))

    # -- operators ------------------------------------------------------------------
    @api("GET", "/api/v1/surge", roles={"operator"})
    def surge(self, request, principal):
        return json_response(self.call(self.onboarding_rpc.surge_summary))
