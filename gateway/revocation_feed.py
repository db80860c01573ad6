"""What ends an account's tokens and web sessions from elsewhere: its institution's
licence revoked, a learner removed from the roster. Thin handlers over
``gateway/auth.py``; every gateway process learns of it through its copy of the
revocations (``auth.Revocations``)."""

from __future__ import annotations

from services.common.applied import first_delivery
from services.common.db import utcnow
from services.common.events import consume
from services.licensing.contracts.events import LICENCE_REVOKED_V1
from services.onboarding.contracts.events import LEARNERS_REMOVED_V1

from . import auth
from .models import applied_events_table


class RevocationFeed:
    """Mixed into the gateway: uses its ``db``. One gateway process handles each
    event; the moment is when it is handled, so a token issued between the event
    and its handling ends too."""

    @consume(LICENCE_REVOKED_V1)
    def on_licensing_licence_revoked(self, event):
        with self.db.begin() as session:
            if first_delivery(session, applied_events_table, event):
                auth.revoke_institution(session, event.data["institution_id"],
                                        utcnow())

    @consume(LEARNERS_REMOVED_V1)
    def on_onboarding_learners_removed(self, event):
        with self.db.begin() as session:
            if first_delivery(session, applied_events_table, event):
                now = utcnow()
                for learner_id in event.data["learner_ids"]:
                    auth.revoke_account(session, learner_id, now)
