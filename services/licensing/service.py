"""Licensing: SPARK licences and the seats they grant."""

from __future__ import annotations

import logging

from nameko.rpc import rpc as nameko_rpc

from services.common.db import Database, DataFile
from services.common.events import consume, first_delivery
from services.common.observability import EntrypointMetrics
from services.common.outbox import Outbox
from services.onboarding.events import INSTITUTION_APPROVED_V1, LEARNERS_ENROLLED_V1

from .exceptions import LicensingError
from . import domain, metrics, schemas
from .events import LICENCE_ISSUED_V1, SEATS_ASSIGNED_V1, SEATS_WAITLISTED_V1
from .models import Base, applied_events_table, outbox_table
from .plans import load_plans

EVENT_BATCH = 1000


log = logging.getLogger(__name__)

# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=LicensingError)


def chunks(items: list, size: int = EVENT_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class LicensingService:
    name = "licensing"

    db = Database(Base.metadata)
    outbox = Outbox(outbox_table)
    metrics = EntrypointMetrics()
    plans = DataFile(load_plans, "LICENSING_PLANS")

    @consume(INSTITUTION_APPROVED_V1)
    def on_onboarding_institution_approved(self, event):
        with self.db.begin() as session:
            if not first_delivery(session, applied_events_table, event):
                return
            issued = domain.issue_licence(session, self.plans, event.data)
            if not issued.created:
                return
            licence = issued.licence
            self.outbox.add(session, LICENCE_ISSUED_V1, {
                "licence_id": licence.id, "institution_id": licence.institution_id,
                "plan": licence.plan, "seats": licence.seats_granted,
                "starts_at": licence.starts_at, "ends_at": licence.ends_at,
            })
            metrics.LICENCES_ISSUED.labels(licence.plan).inc()
            log.info("licence %s issued to institution %s", licence.id, licence.institution_id)

    @consume(LEARNERS_ENROLLED_V1)
    def on_onboarding_learners_enrolled(self, event):
        learner_ids = [learner["learner_id"] for learner in event.data["learners"]]
        with self.db.begin() as session:
            if not first_delivery(session, applied_events_table, event):
                return
            seating = domain.seat_learners(
                session, event.data["institution_id"], learner_ids
            )
            self._announce(session, seating)

    def _announce(self, session, seating: domain.Seating) -> None:
        common = {"licence_id": seating.licence_id, "institution_id": seating.institution_id}
        self.outbox.add_many(session, SEATS_ASSIGNED_V1, [
            {**common, "learner_ids": ids, "seats_used": seating.seats_used,
             "seats_granted": seating.seats_granted}
            for ids in chunks(seating.seated)
        ])
        self.outbox.add_many(session, SEATS_WAITLISTED_V1, [
            {**common, "learner_ids": ids, "waiting": seating.waiting}
            for ids in chunks(seating.waitlisted)
        ])
        metrics.SEATS_ASSIGNED.inc(len(seating.seated))
        metrics.SEATS_WAITLISTED.inc(len(seating.waitlisted))

    @rpc
    def get_licence(self, institution_id: str):
        with self.db.begin() as session:
            licence = domain.licence_of(session, institution_id)
            return schemas.LicenceView().dump(domain.view(session, licence))
