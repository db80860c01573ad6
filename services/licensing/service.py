"""Licensing: SPARK licences, the seats they grant, and their end."""

from __future__ import annotations

import logging

from services.common.applied import first_deliveries, first_delivery, in_lock_order
from services.common.clock import Clock, config_timer
from services.common.database import Database, DataFile
from services.common.events import consume, consume_batch
from services.common.observability import EntrypointMetrics
from services.common.registry import ProcessFacts
from services.common.relay import Outbox
from services.common.rpc import register_errors
from services.common.rpc import rpc as nameko_rpc
from services.common.validation import load_or_raise
from services.onboarding.contracts.events import (
    INSTITUTION_APPROVED_V1,
    LEARNERS_ENROLLED_V1,
    LEARNERS_REMOVED_V1,
)

from . import issuing, licence_ends, licences, metrics, seats
from .contracts import rpc as schemas  # the RPC requests and answers
from .contracts.events import (
    LICENCE_EXPIRED_V1,
    LICENCE_EXPIRING_V1,
    LICENCE_EXTENDED_V1,
    LICENCE_ISSUED_V1,
    LICENCE_REVOKED_V1,
    SEATS_ADDED_V1,
    SEATS_ASSIGNED_V1,
    SEATS_RELEASED_V1,
    SEATS_WAITLISTED_V1,
)
from .contracts.errors import Invalid, LicensingError
from .models import Base, applied_events_table, outbox_table
from .plans import load_plans
from .readers import LearnersEnrolledSeats

register_errors(LicensingError)  # an RPC caller gets them back as themselves

TIMER_BATCH = 500


log = logging.getLogger(__name__)

# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=LicensingError)


def load(schema, payload) -> dict:
    return load_or_raise(schema, payload, Invalid)


class LicensingService:
    name = "licensing"
    facts = ProcessFacts(ops_port=9103)

    db = Database(Base.metadata)
    outbox = Outbox(outbox_table)
    metrics = EntrypointMetrics()
    plans = DataFile(load_plans, "LICENSING_PLANS")
    clock = Clock()

    # -- events ---------------------------------------------------------------------
    @consume(INSTITUTION_APPROVED_V1)
    def on_onboarding_institution_approved(self, event):
        with self.db.begin() as session:
            if not first_delivery(session, applied_events_table, event):
                return
            issued = issuing.issue_licence(
                session, self.plans, event.data, self.clock())
            if not issued.created:
                return
            self.outbox.add(session, LICENCE_ISSUED_V1, issued)
            metrics.LICENCES_ISSUED.labels(issued.plan).inc()
            log.info("licence %s issued to institution %s", issued.licence_id,
                     issued.institution_id)

    @consume_batch(LEARNERS_ENROLLED_V1, reader=LearnersEnrolledSeats)
    def on_onboarding_learners_enrolled(self, events):
        """The rosters that arrived meanwhile, in one transaction: each institution's
        learners seated in the order they came, institutions in one order."""
        with self.db.begin() as session:
            fresh = first_deliveries(session, applied_events_table, events)
            for institution_id, enrolled in in_lock_order(fresh):
                learner_ids = [learner["learner_id"] for event in enrolled
                               for learner in event.data["learners"]]
                seating = seats.seat_learners(
                    session, institution_id, learner_ids, self.clock())
                self._announce(session, seating, enrolled[0].correlation_id)

    @consume(LEARNERS_REMOVED_V1)
    def on_onboarding_learners_removed(self, event):
        with self.db.begin() as session:
            if not first_delivery(session, applied_events_table, event):
                return
            released = seats.release_learners(
                session, event.data["institution_id"], event.data["learner_ids"],
                self.clock(),
            )
            if released is None:
                log.warning("learners removed from institution %s, which holds no "
                            "licence", event.data["institution_id"])
                return
            self.outbox.add_many(session, SEATS_RELEASED_V1, released.releases)
            metrics.SEATS_RELEASED.inc(len(released.learner_ids))
            self._announce(session, released.seating)

    def _announce(self, session, seating: seats.Seating,
                  correlation_id: str | None = None) -> None:
        self.outbox.add_many(
            session, SEATS_ASSIGNED_V1, seating.assignments, correlation_id)
        self.outbox.add_many(
            session, SEATS_WAITLISTED_V1, seating.waitlistings, correlation_id)
        metrics.SEATS_ASSIGNED.inc(len(seating.seated))
        metrics.SEATS_WAITLISTED.inc(len(seating.waitlisted))

    # -- time -----------------------------------------------------------------------
    @config_timer("TIMER_SECONDS")
    def reach_licence_ends(self):
        """Warn at the plan's points before the end, expire at the end (batches)."""
        now = self.clock()
        while True:
            with self.db.begin() as session:
                reached = licence_ends.notify_licence_ends(
                    session, self.plans, now, TIMER_BATCH
                )
                self.outbox.add_many(session, LICENCE_EXPIRED_V1, reached.expired)
                self.outbox.add_many(session, LICENCE_EXPIRING_V1, reached.expiring)
                self.outbox.add_mails(session, reached.mails)
            for notice in [*reached.expired, *reached.expiring]:
                metrics.LICENCE_NOTICES.labels(notice.kind).inc()
                log.info("licence %s %s", notice.licence_id, notice.kind)
            if not reached.more:
                return

    # -- operators ------------------------------------------------------------------
    @rpc
    def get_licence(self, institution_id: str):
        with self.db.begin() as session:
            licence = licences.licence_of(session, institution_id)
            return schemas.LicenceView().dump(
                licences.view(session, licence, self.clock())
            )

    @rpc
    def list_plans(self, institution_ids: list[str] | None = None,
                   plan: str | None = None) -> dict[str, str]:
        with self.db.begin() as session:
            return licences.plans_of(session, institution_ids, plan)

    @rpc
    def get_licence_by_id(self, licence_id: str):
        with self.db.begin() as session:
            licence = licences.licence_by_id(session, licence_id)
            return schemas.LicenceView().dump(
                licences.view(session, licence, self.clock())
            )

    @rpc
    def extend_licence(self, licence_id: str, payload: dict, operator: str = ""):
        request = load(schemas.ExtendLicenceRequest(), payload)
        now = self.clock()
        with self.db.begin() as session:
            extended = licences.extend_licence(
                session, licence_id, request["days"], now)
            self.outbox.add(session, LICENCE_EXTENDED_V1, extended)
            answer = licences.view(session, extended.licence, now)
        log.info("licence %s extended by %d days by %s", licence_id, request["days"],
                 operator or "an operator")
        return schemas.LicenceView().dump(answer)

    @rpc
    def add_seats(self, licence_id: str, payload: dict, operator: str = ""):
        request = load(schemas.AddSeatsRequest(), payload)
        now = self.clock()
        with self.db.begin() as session:
            added = seats.add_seats(
                session, self.plans, licence_id, request["seats"], now
            )
            self.outbox.add(session, SEATS_ADDED_V1, added)
            self._announce(session, added.seating)
            answer = licences.view(session, added.licence, now)
        log.info("licence %s granted %d more seats by %s", licence_id, request["seats"],
                 operator or "an operator")
        return schemas.LicenceView().dump(answer)

    @rpc
    def revoke_licence(self, licence_id: str, payload: dict, operator: str = ""):
        request = load(schemas.RevokeLicenceRequest(), payload)
        reason = request["reason"].strip()
        now = self.clock()
        with self.db.begin() as session:
            revoked = licences.revoke_licence(session, licence_id, reason, now)
            self.outbox.add(session, LICENCE_REVOKED_V1, revoked)
            answer = licences.view(session, revoked.licence, now)
        log.info("licence %s revoked by %s: %s", licence_id, operator or "an operator",
                 reason)
        return schemas.LicenceView().dump(answer)
