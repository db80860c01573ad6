"""Tracking: progress, completions, skills, and the institution dashboards."""

from __future__ import annotations

from marshmallow import ValidationError
from nameko.rpc import rpc as nameko_rpc

from services.catalog.events import (
    COURSE_PUBLISHED_V1,
    COURSE_RETIRED_V1,
    COURSE_UPDATED_V1,
)
from services.common.db import Database
from services.common.events import consume, first_delivery
from services.common.observability import EntrypointMetrics
from services.common.outbox import Outbox
from services.licensing.events import LICENCE_ISSUED_V1, SEATS_ASSIGNED_V1
from services.onboarding.events import LEARNERS_ENROLLED_V1

from . import domain, metrics, schemas
from .events import COURSE_COMPLETED_V1, PROGRESS_RECORDED_V1, SKILL_ACQUIRED_V1
from .exceptions import Forbidden, Invalid, TrackingError
from .models import Base, applied_events_table, outbox_table


# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=TrackingError)


class TrackingService:
    name = "tracking"

    db = Database(Base.metadata)
    outbox = Outbox(outbox_table)
    metrics = EntrypointMetrics()

    # -- read models ----------------------------------------------------------------
    def _apply(self, event, change) -> None:
        with self.db.begin() as session:
            if first_delivery(session, applied_events_table, event):
                change(session, event.data)

    @consume(COURSE_PUBLISHED_V1)
    def on_catalog_course_published(self, event):
        self._apply(event, domain.upsert_course)

    @consume(COURSE_UPDATED_V1)
    def on_catalog_course_updated(self, event):
        self._apply(event, domain.upsert_course)

    @consume(COURSE_RETIRED_V1)
    def on_catalog_course_retired(self, event):
        self._apply(event, lambda s, d: domain.retire_course(s, d["course_id"], d["retired_at"]))

    @consume(LEARNERS_ENROLLED_V1)
    def on_onboarding_learners_enrolled(self, event):
        self._apply(event, lambda s, d: domain.enrol_learners(s, d["institution_id"], d["learners"]))

    @consume(SEATS_ASSIGNED_V1)
    def on_licensing_seats_assigned(self, event):
        self._apply(event, lambda s, d: domain.seat(s, d["institution_id"], d["learner_ids"]))

    @consume(LICENCE_ISSUED_V1)
    def on_licensing_licence_issued(self, event):
        self._apply(event, lambda s, d: domain.upsert_licence(s, {**d, "status": "active"}))

    # -- progress -------------------------------------------------------------------
    @rpc
    def record_progress(self, learner_id: str, payload: dict):
        try:
            request = schemas.ProgressRequest().load(payload)
        except ValidationError as exc:
            raise Invalid(exc.messages) from None
        try:
            with self.db.begin() as session:
                recorded = domain.record_progress(session, learner_id, request)
                if not recorded.duplicate:
                    self._announce(session, recorded)
        except Forbidden as exc:
            metrics.PROGRESS_REFUSED.labels(exc.code).inc()
            raise
        return {
            **schemas.ProgressView().dump(recorded.progress),
            "duplicate": recorded.duplicate,
            "course_completed": recorded.completed is not None,
            "skills_acquired": [s["skill_id"] for s in recorded.skills],
        }

    def _announce(self, session, recorded: domain.Recorded) -> None:
        p = recorded.progress
        self.outbox.add(session, PROGRESS_RECORDED_V1, {**p, "progress_id": p["id"]})
        if recorded.completed:
            self.outbox.add(session, COURSE_COMPLETED_V1, recorded.completed)
        self.outbox.add_many(session, SKILL_ACQUIRED_V1, recorded.skills)
        metrics.PROGRESS_ACCEPTED.labels(p["kind"]).inc()
        metrics.SKILLS_ACQUIRED.inc(len(recorded.skills))

    @rpc
    def my_progress(self, learner_id: str):
        with self.db.begin() as session:
            return _jsonable(domain.my_progress(session, learner_id))

    @rpc
    def my_skills(self, learner_id: str):
        with self.db.begin() as session:
            return _jsonable(domain.my_skills(session, learner_id))

    @rpc
    def get_dashboard(self, institution_id: str):
        with self.db.begin() as session:
            return _jsonable(domain.dashboard(session, institution_id))


def _jsonable(value):
    """Datetimes to ISO 8601 for the RPC reply (the JSON serializer knows no dates)."""
    from datetime import datetime

    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
