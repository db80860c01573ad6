"""Tracking: progress, completions, skills, and the institution dashboards."""

from __future__ import annotations

import logging

from nameko.dependency_providers import Config
from sqlalchemy.exc import DBAPIError

from services.catalog.contracts.events import (
    COURSE_PUBLISHED_V1,
    COURSE_RETIRED_V1,
    COURSE_UPDATED_V1,
)
from services.common.applied import first_deliveries, first_delivery, in_lock_order
from services.common.clock import Clock
from services.common.contracts import Event
from services.common.database import Database
from services.common.events import consume, consume_batch
from services.common.observability import EntrypointMetrics
from services.common.outage import serialize_error
from services.common.registry import ProcessFacts
from services.common.relay import Outbox
from services.common.rpc import register_errors
from services.common.rpc import rpc as nameko_rpc
from services.common.validation import load_or_raise
from services.licensing.contracts.events import (
    LICENCE_EXPIRED_V1,
    LICENCE_EXTENDED_V1,
    LICENCE_ISSUED_V1,
    LICENCE_REVOKED_V1,
    SEATS_ADDED_V1,
    SEATS_ASSIGNED_V1,
    SEATS_RELEASED_V1,
)
from services.lrs.contracts.events import STATEMENT_STORED_V1, STATEMENTS_STORED_V1
from services.onboarding.contracts.events import (
    LEARNERS_ENROLLED_V1,
    LEARNERS_REMOVED_V1,
)

from . import export, metrics, monitoring, progress, read_models, statements
from .contracts import rpc as schemas  # the RPC requests and answers
from .contracts.errors import Invalid, TrackingError
from .contracts.events import (
    COURSE_COMPLETED_V1,
    PROGRESS_RECORDED_V1,
    SKILL_ACQUIRED_V1,
)
from .models import Base, applied_events_table, outbox_table

register_errors(TrackingError)  # an RPC caller gets them back as themselves

log = logging.getLogger(__name__)

# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=TrackingError)

# made once: a schema's construction costs more than loading one record with it
PROGRESS_REQUEST = schemas.ProgressRequest()
RECORDED_PROGRESS = schemas.RecordedProgress()


def load(schema, payload) -> dict:
    return load_or_raise(schema, payload, Invalid)


def count(announced: progress.Announced) -> None:
    """Once committed (a batch the database gave up on counts nothing)."""
    for record in announced.recorded:
        metrics.PROGRESS_ACCEPTED.labels(record["kind"]).inc()
    metrics.SKILLS_ACQUIRED.inc(len(announced.skills))
    for reason in announced.refused:
        metrics.PROGRESS_REFUSED.labels(reason).inc()


class TrackingService:
    name = "tracking"
    facts = ProcessFacts(ops_port=9104)

    db = Database(Base.metadata)
    config = Config()  # PUBLIC_URL: the catalogue's IRIs and the learners' accounts
    clock = Clock()
    outbox = Outbox(outbox_table)
    metrics = EntrypointMetrics()

    # -- read models (events may come in any order; see read_models) ----------------
    def _apply(self, event: Event, change) -> None:
        """``change(session, data, occurred_at)``, once per event id."""
        with self.db.begin() as session:
            if first_delivery(session, applied_events_table, event):
                change(session, event.data, event.occurred_at)

    @consume(COURSE_PUBLISHED_V1)
    def on_catalog_course_published(self, event):
        self._apply(event, lambda s, d, at: read_models.upsert_course(s, d))

    @consume(COURSE_UPDATED_V1)
    def on_catalog_course_updated(self, event):
        self._apply(event, lambda s, d, at: read_models.upsert_course(s, d))

    @consume(COURSE_RETIRED_V1)
    def on_catalog_course_retired(self, event):
        self._apply(event, lambda s, d, at: read_models.retire_course(
            s, d["course_id"], d["retired_at"]))

    def _apply_batch(self, events: list[Event], change) -> None:
        """``change(session, events)`` once for the events of a batch not applied yet,
        in one transaction; the events come by institution in one order (the batches
        of two entrypoints write the same learners' rows: they never wait in a
        circle)."""
        with self.db.begin() as session:
            fresh = first_deliveries(session, applied_events_table, events)
            ordered = [event for _, group in in_lock_order(fresh) for event in group]
            if ordered:
                change(session, ordered)

    @consume_batch(LEARNERS_ENROLLED_V1)
    def on_onboarding_learners_enrolled(self, events):
        self._apply_batch(events, lambda session, fresh: read_models.enrol_rosters(
            session, [(e.data["institution_id"], e.data["learners"], e.occurred_at)
                      for e in fresh]))

    @consume(LEARNERS_REMOVED_V1)
    def on_onboarding_learners_removed(self, event):
        self._apply(event, lambda s, d, at: read_models.remove_learners(
            s, d["institution_id"], d["learner_ids"], d["removed_at"]))

    @consume(LICENCE_ISSUED_V1)
    def on_licensing_licence_issued(self, event):
        self._apply(event, lambda s, d, at: read_models.upsert_licence(s, d, at))

    @consume(LICENCE_EXTENDED_V1)
    def on_licensing_licence_extended(self, event):
        self._apply(event, lambda s, d, at: read_models.extend_licence(s, d))

    @consume(LICENCE_REVOKED_V1)
    def on_licensing_licence_revoked(self, event):
        self._apply(event, lambda s, d, at: read_models.revoke_licence(s, d))

    @consume(LICENCE_EXPIRED_V1)
    def on_licensing_licence_expired(self, event):
        self._apply(event, lambda s, d, at: read_models.expire_licence(s, d))

    @consume(SEATS_ADDED_V1)
    def on_licensing_seats_added(self, event):
        self._apply(event, read_models.grant_seats)

    @consume_batch(SEATS_ASSIGNED_V1)
    def on_licensing_seats_assigned(self, events):
        self._apply_batch(events, lambda session, fresh: read_models.assign_seats(
            session, [(e.data, e.occurred_at) for e in fresh]))

    @consume(SEATS_RELEASED_V1)
    def on_licensing_seats_released(self, event):
        self._apply(event, lambda s, d, at: read_models.unseat(
            s, d["institution_id"], d["learner_ids"], at))

    # -- statements of the LRS (decisions 0059, 0064) -------------------------------
    @consume_batch(STATEMENTS_STORED_V1)
    def on_lrs_statements_stored(self, events):
        """The statements that are learning facts of the catalogue, recorded as
        ``POST /api/v1/progress`` records them; the others change nothing. A refusal
        (no seat, licence ended, unknown chapter) is counted, never retried: the
        statement stays stored in the LRS, it is not a poison message.

        An event whose statements are all about something else (most of what
        players send: attempted, answered, terminated…) leaves nothing here, not
        even its dedupe row: it changes nothing however often it comes, and the
        LRS's events would otherwise grow ``applied_events`` by as many."""
        self._credit_statements(events, lambda data: data["statements"])

    # Kept for one release (decision 0064): the lrs no longer publishes
    # statement.stored.v1, but during a rolling upgrade the previous release's lrs
    # processes still do, and what they stored must be credited too (and a rebuild
    # replays those still kept in the lrs's outbox). The same code as above, one
    # statement an event. Remove it, and the type, in the release after.
    @consume_batch(STATEMENT_STORED_V1)
    def on_lrs_statement_stored(self, events):
        self._credit_statements(events, lambda data: [data["statement"]])

    def _credit_statements(self, events: list[Event], statements_of) -> None:
        """``statements_of(event.data)``: an event's statements. The once rule is
        the progress record's client id, made of each statement's id (the same
        statement in two events counts once); the dedupe row only spares the work
        of an event delivered again."""
        public_url = self.config["PUBLIC_URL"]
        facts: dict[str, tuple[Event, list]] = {}  # by event id: each event once
        for event in events:
            found, skipped = statements.sorted_out(statements_of(event.data),
                                                   public_url)
            for reason, n in skipped.items():
                metrics.STATEMENTS.labels("ignored", reason).inc(n)
            if found:
                facts.setdefault(event.event_id, (event, found))
        if not facts:
            return
        with self.db.begin() as session:
            fresh = first_deliveries(session, applied_events_table,
                                     [event for event, _ in facts.values()])
            items = [(e.data["institution_id"], statement, claim)
                     for e in fresh for statement, claim in facts[e.event_id][1]]
            credited = statements.credit(
                session, [(institution_id, statement)
                          for institution_id, statement, _ in items],
                public_url, self.clock(), claims=[claim for *_, claim in items])
            announced = credited.announced
            self.outbox.add_many(session, PROGRESS_RECORDED_V1, announced.recorded)
            self.outbox.add_many(session, COURSE_COMPLETED_V1, announced.completed)
            self.outbox.add_many(session, SKILL_ACQUIRED_V1, announced.skills)
        count(announced)
        for (outcome, reason), n in credited.counts().items():
            metrics.STATEMENTS.labels(outcome, reason).inc(n)

    # -- progress -------------------------------------------------------------------
    @rpc
    def record_progress(self, learner_id: str, payload: dict):
        outcome, = self._record([(learner_id, payload)])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    @rpc
    def record_progress_batch(self, items: list) -> list[dict]:
        """``[(learner_id, payload), …]`` → per item ``{"recorded": …}`` or
        ``{"error": …}`` (a serialized error), in order: the gateway sends the
        records that arrive together as one call (gateway/combiner.py)."""
        return [{"error": serialize_error(o)} if isinstance(o, Exception)
                else {"recorded": o} for o in self._record(items)]

    def _record(self, items: list) -> list:
        """Record a batch in one transaction; a refused record refuses only itself.

        The domain refuses a record before it writes anything, so the others commit.
        It locks the batch's learners in id order (no deadlock between concurrent
        batches); if the database gives up on the batch all the same, each record
        goes alone.
        """
        outcomes: list = [None] * len(items)
        try:
            self._record_together(items, range(len(items)), outcomes)
        except DBAPIError:
            log.warning("a batch of %d records failed; recording each alone",
                        len(items))
            for i in range(len(items)):
                try:
                    self._record_together(items, [i], outcomes)
                except DBAPIError as exc:
                    outcomes[i] = exc
        return outcomes

    def _record_together(self, items: list, which, outcomes: list) -> None:
        requests: list[tuple[int, str, dict]] = []
        for i in which:
            learner_id, payload = items[i]
            try:
                requests.append((i, learner_id, load(PROGRESS_REQUEST, payload)))
            except Invalid as exc:
                outcomes[i] = exc
        with self.db.begin() as session:
            recorded = progress.record_batch(
                session, [(learner_id, request) for _, learner_id, request in requests],
                self.clock())
            announced = progress.announced(recorded)
            self.outbox.add_many(session, PROGRESS_RECORDED_V1, announced.recorded)
            self.outbox.add_many(session, COURSE_COMPLETED_V1, announced.completed)
            self.outbox.add_many(session, SKILL_ACQUIRED_V1, announced.skills)
        for (i, _, _), outcome in zip(requests, recorded, strict=True):
            outcomes[i] = (outcome if isinstance(outcome, TrackingError)
                           else RECORDED_PROGRESS.dump(outcome.reply()))
        count(announced)

    @rpc
    def my_progress(self, learner_id: str):
        with self.db.begin() as session:
            page = monitoring.my_progress_page(session, learner_id)
        return schemas.MyProgress().dump(page)

    @rpc
    def my_course(self, learner_id: str, course_id: str):
        with self.db.begin() as session:
            state = monitoring.my_course(session, learner_id, course_id)
        return schemas.MyCourse().dump(state)

    @rpc
    def my_standing(self, learner_id: str):
        with self.db.begin() as session:
            return schemas.Standing().dump(
                monitoring.standing(session, learner_id, self.clock()))

    @rpc
    def my_skills(self, learner_id: str):
        with self.db.begin() as session:
            page = monitoring.my_skills_page(session, learner_id)
        return schemas.MySkills().dump(page)

    # -- monitoring (needs an active licence: Forbidden says why) --------------------
    @rpc
    def get_dashboard(self, institution_id: str):
        with self.db.begin() as session:
            board = monitoring.dashboard(session, institution_id, self.clock())
        return schemas.Dashboard().dump(board)

    @rpc
    def list_learners(self, institution_id: str, query: dict | None = None):
        request = load(schemas.LearnersQuery(), query)
        with self.db.begin() as session:
            page = monitoring.learners_page(
                session, institution_id, self.clock(), **request)
        return schemas.LearnersPage().dump(page)

    @rpc
    def get_activity(self, institution_id: str):
        with self.db.begin() as session:
            weeks = monitoring.activity(session, institution_id, self.clock())
        return schemas.Activity().dump(weeks)

    @rpc
    def export_learners(self, institution_id: str, query: dict | None = None,
                        cursor: str | None = None):
        request = load(schemas.ExportQuery(), query)
        with self.db.begin() as session:
            chunk = export.export_page(session, institution_id, self.clock(),
                                       cohort=request.get("cohort"), cursor=cursor)
        return schemas.ExportChunk().dump(chunk)
