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

from . import domain, mails, metrics
from .contracts import rpc as schemas  # the RPC requests and answers
from .contracts.errors import Invalid, LicensingError
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
from .models import Base, applied_events_table, outbox_table
from .plans import load_plans
from .readers import LearnersEnrolledSeats

register_errors(LicensingError)  # an RPC caller gets them back as themselves

EVENT_BATCH = 1000
TIMER_BATCH = 500


log = logging.getLogger(__name__)

# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=LicensingError)


def chunks(items: list, size: int = EVENT_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
            issued = domain.issue_licence(session, self.plans, event.data, self.clock())
            if not issued.created:
                return
            licence = issued.licence
            self.outbox.add(session, LICENCE_ISSUED_V1, {
                "licence_id": licence.id, "institution_id": licence.institution_id,
                "plan": licence.plan, "seats": licence.seats_granted,
                "starts_at": licence.starts_at, "ends_at": licence.ends_at,
            })
            metrics.LICENCES_ISSUED.labels(licence.plan).inc()
            log.info("licence %s issued to institution %s", licence.id,
                     licence.institution_id)

    @consume_batch(LEARNERS_ENROLLED_V1, reader=LearnersEnrolledSeats)
    def on_onboarding_learners_enrolled(self, events):
        """The rosters that arrived meanwhile, in one transaction: each institution's
        learners seated in the order they came, institutions in one order."""
        with self.db.begin() as session:
            fresh = first_deliveries(session, applied_events_table, events)
            for institution_id, enrolled in in_lock_order(fresh):
                learner_ids = [learner["learner_id"] for event in enrolled
                               for learner in event.data["learners"]]
                seating = domain.seat_learners(
                    session, institution_id, learner_ids, self.clock())
                self._announce(session, seating, enrolled[0].correlation_id)

    @consume(LEARNERS_REMOVED_V1)
    def on_onboarding_learners_removed(self, event):
        with self.db.begin() as session:
            if not first_delivery(session, applied_events_table, event):
                return
            released = domain.release_learners(
                session, event.data["institution_id"], event.data["learner_ids"],
                self.clock(),
            )
            if released is None:
                log.warning("learners removed from institution %s, which holds no "
                            "licence", event.data["institution_id"])
                return
            self.outbox.add_many(session, SEATS_RELEASED_V1, [
                {"licence_id": released.licence_id,
                 "institution_id": released.institution_id,
                 "learner_ids": ids, "seats_used": released.seats_used}
                for ids in chunks(released.learner_ids)
            ])
            metrics.SEATS_RELEASED.inc(len(released.learner_ids))
            self._announce(session, released.seating)

    def _announce(self, session, seating: domain.Seating,
                  correlation_id: str | None = None) -> None:
        common = {"licence_id": seating.licence_id,
                  "institution_id": seating.institution_id}
        self.outbox.add_many(session, SEATS_ASSIGNED_V1, [
            {**common, "learner_ids": ids, "seats_used": seating.seats_used,
             "seats_granted": seating.seats_granted}
            for ids in chunks(seating.seated)
        ], correlation_id)
        self.outbox.add_many(session, SEATS_WAITLISTED_V1, [
            {**common, "learner_ids": ids, "waiting": seating.waiting}
            for ids in chunks(seating.waitlisted)
        ], correlation_id)
        metrics.SEATS_ASSIGNED.inc(len(seating.seated))
        metrics.SEATS_WAITLISTED.inc(len(seating.waitlisted))

    # -- time -----------------------------------------------------------------------
    @config_timer("TIMER_SECONDS")
    def reach_licence_ends(self):
        """Warn at the plan's points before the end, expire at the end (batches)."""
        now = self.clock()
        while True:
            with self.db.begin() as session:
                reached = domain.reach_licence_ends(
                    session, self.plans, now, TIMER_BATCH
                )
                for notice in reached:
                    if isinstance(notice, domain.Expired):
                        self.outbox.add(session, LICENCE_EXPIRED_V1, notice)
                    else:
                        self.outbox.add(session, LICENCE_EXPIRING_V1, notice)
                self.outbox.add_mails(session, [
                    mails.notice_mail(notice, self._plan_label(notice.licence.plan))
                    for notice in reached
                ])
            for notice in reached:
                kind = "expired" if isinstance(notice, domain.Expired) else "expiring"
                metrics.LICENCE_NOTICES.labels(kind).inc()
                log.info("licence %s %s", notice.licence_id, kind)
            if len(reached) < TIMER_BATCH:
                return

    def _plan_label(self, plan_id: str) -> str:
        plan = self.plans.get(plan_id)
        return plan.label if plan is not None else plan_id

    # -- operators ------------------------------------------------------------------
    @rpc
    def get_licence(self, institution_id: str):
        with self.db.begin() as session:
            licence = domain.licence_of(session, institution_id)
            return schemas.LicenceView().dump(
                domain.view(session, licence, self.clock())
            )

    @rpc
    def get_licence_by_id(self, licence_id: str):
        with self.db.begin() as session:
            licence = domain.licence_by_id(session, licence_id)
            return schemas.LicenceView().dump(
                domain.view(session, licence, self.clock())
            )

    @rpc
    def extend_licence(self, licence_id: str, payload: dict, operator: str = ""):
        request = load(schemas.ExtendLicenceRequest(), payload)
        now = self.clock()
        with self.db.begin() as session:
            extended = domain.extend_licence(session, licence_id, request["days"], now)
            self.outbox.add(session, LICENCE_EXTENDED_V1, extended)
            answer = domain.view(session, extended.licence, now)
        log.info("licence %s extended by %d days by %s", licence_id, request["days"],
                 operator or "an operator")
        return schemas.LicenceView().dump(answer)

    @rpc
    def add_seats(self, licence_id: str, payload: dict, operator: str = ""):
        request = load(schemas.AddSeatsRequest(), payload)
        now = self.clock()
        with self.db.begin() as session:
            added = domain.add_seats(
                session, self.plans, licence_id, request["seats"], now
            )
            self.outbox.add(session, SEATS_ADDED_V1, added)
            self._announce(session, added.seating)
            answer = domain.view(session, added.licence, now)
        log.info("licence %s granted %d more seats by %s", licence_id, request["seats"],
                 operator or "an operator")
        return schemas.LicenceView().dump(answer)

    @rpc
    def revoke_licence(self, licence_id: str, payload: dict, operator: str = ""):
        request = load(schemas.RevokeLicenceRequest(), payload)
        reason = request["reason"].strip()
        now = self.clock()
        with self.db.begin() as session:
            revoked = domain.revoke_licence(session, licence_id, reason, now)
            self.outbox.add(session, LICENCE_REVOKED_V1, revoked)
            answer = domain.view(session, revoked.licence, now)
        log.info("licence %s revoked by %s: %s", licence_id, operator or "an operator",
                 reason)
        return schemas.LicenceView().dump(answer)
