"""Learners' progress and skills; institutions' monitoring (dashboard, table, CSV)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from nameko.exceptions import deserialize
from werkzeug.wrappers import Response

from services.tracking.contracts import rpc as tracking

from .base import Answer, RouteBase, api, json_body, json_response, load

log = logging.getLogger(__name__)

MONITORS = {"institution_admin", "operator"}
TAGS = ("tracking",)
REFUSED = ("Forbidden: `reason` says why (no_seat, no_licence, licence_expired, "
           "licence_revoked)")
MONITOR_REFUSED = ("Monitoring needs an active licence: `reason` is no_licence, "
                   "licence_expired or licence_revoked")
PROGRESS_REQUEST = tracking.ProgressRequest()
CSV_TEXT = ("The learners table as CSV for spreadsheets: UTF-8 with BOM, "
            "`;`-separated, CRLF, header row, streamed")


def record_progress(routes, learner_id: str, body: dict) -> dict:
    """One progress record, for the API and the learner's pages alike: checked by the
    request's schema here, then sent to tracking in one batch with the records
    arriving together (gateway/combiner.py), so that a batch holds only records
    tracking reads. A body whose ``id`` was seen before answers ``duplicate``."""
    load(PROGRESS_REQUEST, body)
    return routes.progress_batches.submit((learner_id, body),
                                          routes._record_progress_batch)


class TrackingRoutes(RouteBase):
    # -- learners -------------------------------------------------------------------
    @api("GET", "/api/v1/me/progress", roles={"learner"}, tags=TAGS,
         summary="Your courses: chapters done, best quiz score, completion",
         responses={200: tracking.MyProgress})
    def my_progress(self, request, principal):
        return json_response(
            self.call(self.tracking_rpc.my_progress, principal.subject))

    @api("GET", "/api/v1/me/skills", roles={"learner"}, tags=TAGS,
         summary="The skills you acquired, in order",
         responses={200: tracking.MySkills})
    def my_skills(self, request, principal):
        return json_response(self.call(self.tracking_rpc.my_skills, principal.subject))

    @api("POST", "/api/v1/progress", roles={"learner"}, tags=TAGS,
         summary="Record progress: a chapter done, a quiz score, a course completed",
         body=tracking.ProgressRequest,
         responses={201: tracking.RecordedProgress, 200: tracking.RecordedProgress,
                    403: REFUSED})
    def record_progress(self, request, principal):
        recorded = record_progress(self, principal.subject, json_body(request))
        return json_response(recorded, status=200 if recorded["duplicate"] else 201)

    def _record_progress_batch(self, items: list) -> list:
        outcomes = self.call(self.tracking_rpc.record_progress_batch, items)
        return [deserialize(o["error"]) if "error" in o else o["recorded"]
                for o in outcomes]

    # -- institutions' monitoring ----------------------------------------------------
    @api("GET", "/api/v1/institutions/<institution_id>/dashboard", roles=MONITORS,
         tags=TAGS, summary="Seats, days left, activity, completions and skills, "
                            "overall and per cohort; stalled learners",
         responses={200: tracking.Dashboard, 403: MONITOR_REFUSED})
    def dashboard(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.tracking_rpc.get_dashboard, institution_id))

    @api("GET", "/api/v1/institutions/<institution_id>/activity", roles=MONITORS,
         tags=TAGS, summary="Learners active and progress recorded per week, the "
                            "last 8 weeks (Monday to Sunday, UTC), the current last",
         responses={200: tracking.Activity, 403: MONITOR_REFUSED})
    def activity(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.tracking_rpc.get_activity, institution_id))

    @api("GET", "/api/v1/institutions/<institution_id>/learners", roles=MONITORS,
         tags=TAGS, summary="The learners table, by last name, first name (paged); "
                            "q finds a name or address, status the seated, the "
                            "waiting or the removed",
         query=tracking.LearnersQuery,
         responses={200: tracking.LearnersPage, 403: MONITOR_REFUSED})
    def list_learners(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return json_response(self.call(self.tracking_rpc.list_learners, institution_id,
                                       request.args.to_dict()))

    @api("GET", "/api/v1/institutions/<institution_id>/export.csv", roles=MONITORS,
         tags=TAGS, summary="Download the learners table as CSV",
         query=tracking.ExportQuery, responses={200: Answer(CSV_TEXT, "text/csv"), 403: MONITOR_REFUSED})
    def export_learners(self, request, principal, institution_id):
        self.own_institution(principal, institution_id)
        return self.learners_csv(institution_id, request.args.to_dict())

    def learners_csv(self, institution_id: str, query: dict) -> Response:
        """The learners table as a CSV download, streamed page by page: the API's
        export and the admin's dashboard link alike."""
        # the first page is asked for here, so a refusal is a 403, not a broken file
        first = self.call(self.tracking_rpc.export_learners, institution_id, query)

        def chunks():
            page = first
            yield page["text"].encode("utf-8")
            while page["next_cursor"]:
                try:
                    page = self.call(self.tracking_rpc.export_learners, institution_id,
                                     query, page["next_cursor"])
                except Exception:
                    # headers are gone: end the stream unfinished so clients notice
                    log.exception("export of %s stopped mid-way", institution_id)
                    raise
                yield page["text"].encode("utf-8")

        day = datetime.now(UTC).strftime("%Y-%m-%d")
        name = re.sub(r"[^A-Za-z0-9-]", "", institution_id)[:64]
        return Response(
            chunks(), status=200, content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition":
                    f'attachment; filename="learners-{name}-{day}.csv"',
                "Cache-Control": "no-store",
            },
            direct_passthrough=True,
        )
