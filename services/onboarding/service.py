"""Onboarding: applications, institutions, members and roster imports."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta

from kombu import Exchange, Queue
from nameko.dependency_providers import Config
from nameko.messaging import Publisher
from nameko.timer import timer
from sqlalchemy.exc import IntegrityError, OperationalError

from services.common.applied import first_delivery
from services.common.broker import consume as consume_queue
from services.common.clock import Clock
from services.common.database import Database, DataFile
from services.common.db import autocommit_session
from services.common.events import consume
from services.common.observability import EntrypointMetrics
from services.common.outage import is_outage
from services.common.registry import ProcessFacts
from services.common.relay import Outbox
from services.common.rpc import register_errors
from services.common.rpc import rpc as nameko_rpc
from services.common.validation import load_or_raise
from services.licensing.contracts.events import LICENCE_ISSUED_V1

from . import (
    activation,
    applications,
    directory,
    invitations,
    members,
    metrics,
    roster_jobs,
    surge_view,
    webinars,
)
from .contracts import rpc as schemas  # the RPC requests and answers
from .contracts.events import (
    APPLICATION_RECEIVED_V1,
    INSTITUTION_ACTIVATED_V1,
    INSTITUTION_APPROVED_V1,
    INSTITUTION_REJECTED_V1,
    LEARNERS_ENROLLED_V1,
    LEARNERS_REMOVED_V1,
    WEBINAR_SCHEDULED_V1,
)
from .contracts.errors import Conflict, Invalid, NotFound, OnboardingError
from .mails import ANOTHER_ADMIN, LEARNER_INVITATION, MAIL_TEMPLATES, invitation_mail
from .models import Base, applied_events_table, outbox_table
from .rules import Rules

register_errors(OnboardingError)  # an RPC caller gets them back as themselves

log = logging.getLogger(__name__)

# roster imports to run: any onboarding process takes them (competing consumers)
ROSTER_WORK = Queue(
    "onboarding-roster-imports",
    exchange=Exchange("onboarding.work", type="direct", durable=True),
    routing_key="roster-imports", durable=True,
)

# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=OnboardingError)


# made once: building a schema costs an upload more than dumping the job with it
ROSTER_JOB_VIEW = schemas.RosterJobView()


def load(schema, payload) -> dict:
    return load_or_raise(schema, payload, Invalid)


class OnboardingService:
    name = "onboarding"
    # its workers serve the gateway's calls and the activations at once: too few,
    # and a surge's applications hold them while licence.issued waits (decision 13)
    facts = ProcessFacts(ops_port=9102, workers=30)

    db = Database(Base.metadata)
    clock = Clock()
    outbox = Outbox(outbox_table, MAIL_TEMPLATES)
    metrics = EntrypointMetrics()

    rules = DataFile(Rules.load, "ONBOARDING_RULES")
    roster_work = Publisher(exchange=ROSTER_WORK.exchange, routing_key=ROSTER_WORK.routing_key)
    config = Config()

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.config["ROSTER_LEASE_SECONDS"])

    @property
    def public_url(self) -> str:
        return self.config["PUBLIC_URL"]

    # -- applications ---------------------------------------------------------------
    @rpc
    def submit_application(self, payload: dict, idempotency_key: str | None = None):
        """The sender's application; only ``{"duplicate": True}`` when it repeats one
        for the same website and country (whose contact is e-mailed instead)."""
        request = load(
            schemas.ApplicationRequest(max_learners=self.rules.max_learners), payload
        )
        for attempt in (1, 2, 3):
            try:
                with self.db.begin() as session:
                    applied = applications.receive_application(
                        session, self.rules, request, idempotency_key,
                        self.public_url, now=self.clock(),
                    )
                    self._announce_application(session, applied)
                break
            except IntegrityError:  # a twin committed first: submitting again finds it
                if attempt == 3:
                    raise
        if applied.outcome is not None:
            metrics.APPLICATIONS.labels(applied.outcome).inc()
        submitted = applied.submitted
        if submitted.duplicate:
            return {"duplicate": True}
        return {
            **schemas.ApplicationView().dump(submitted.application),
            "created": submitted.created,
        }

    def _announce_application(self, session, applied: applications.Applied) -> None:
        if applied.mails:
            self.outbox.add_mails(session, list(applied.mails))
        if applied.received is not None:
            log.info("application %s received for %s",
                     applied.received.application_id, applied.received.name)
            self.outbox.add(session, APPLICATION_RECEIVED_V1, applied.received)
        if applied.approved is not None:
            self.outbox.add(session, INSTITUTION_APPROVED_V1, applied.approved)

    @rpc
    def get_application(self, application_id: str, token: str | None = None):
        with self.db.begin() as session:
            application = applications.get_application(session, application_id, token)
            return schemas.ApplicationView().dump(application)

    @rpc
    def list_applications(self, status=None, limit=50, after=None):
        with self.db.begin() as session:
            items = applications.list_applications(session, status, limit, after)
            return schemas.ReviewView(many=True).dump(items)

    @rpc
    def decide_application(self, application_id: str, payload: dict, operator: str):
        request = load(schemas.Decision(), payload)
        try:
            with self.db.begin() as session:
                decided = applications.decide_application(
                    session, application_id, request["decision"], request["reason"],
                    operator, now=self.clock(),
                )
                if decided.approved is not None:
                    self.outbox.add(session, INSTITUTION_APPROVED_V1, decided.approved)
                if decided.rejected is not None:
                    self.outbox.add(session, INSTITUTION_REJECTED_V1, decided.rejected)
        except IntegrityError:  # another application of its website approved meanwhile
            raise Conflict("another application for this website and country was "
                           "approved at the same time") from None
        metrics.APPLICATIONS.labels(decided.application.status).inc()
        return schemas.ReviewView().dump(decided.application)

    # -- activation -----------------------------------------------------------------
    @consume(LICENCE_ISSUED_V1)
    def on_licensing_licence_issued(self, event):
        data = event.data
        # the webinar place first, in a short transaction of its own (see book_webinar)
        with autocommit_session(self.db) as session:
            scheduled = activation.book_webinar(
                session, data["institution_id"], now=self.clock())
        with self.db.begin() as session:
            if not first_delivery(session, applied_events_table, event):
                return
            activated = activation.activate_institution(
                session, data["institution_id"], data["licence_id"], data["starts_at"],
                scheduled, self.public_url, now=self.clock(),
            )
            if activated is None:
                return
            self.outbox.add(session, WEBINAR_SCHEDULED_V1, activated.scheduled)
            self.outbox.add_mails(session, [activated.invitation])
            self.outbox.add(session, INSTITUTION_ACTIVATED_V1, activated)
        metrics.APPLICATIONS.labels("active").inc()
        metrics.TIME_TO_ACTIVE.observe(activated.seconds_to_active)
        log.info("institution %s active, admin invited", activated.institution_id)

    @rpc
    def get_invitation(self, token: str):
        """The invited member, if the invitation can be used; it stays unused."""
        with self.db.begin() as session:
            return schemas.MemberView().dump(invitations.usable_invitation(
                session, token, now=self.clock()))

    @rpc
    def redeem_invitation(self, token: str):
        with self.db.begin() as session:
            member = invitations.redeem_invitation(session, token, now=self.clock())
            return schemas.MemberView().dump(member)

    @rpc
    def get_institution(self, institution_id: str):
        with self.db.begin() as session:
            return schemas.InstitutionView().dump(
                activation.get_institution(session, institution_id)
            )

    @rpc
    def list_institutions(self, filters: dict):
        request = load(schemas.InstitutionsQuery(), filters)
        with self.db.begin() as session:
            return schemas.InstitutionView(many=True).dump(directory.list_institutions(
                session, text=request.get("q"), country=request.get("country"),
                status=request.get("status"), ids=request["ids"],
                limit=request["limit"], before=request.get("cursor")))

    # -- admins ---------------------------------------------------------------------
    @rpc
    def list_admins(self, institution_id: str):
        with self.db.begin() as session:
            return schemas.MemberView(many=True).dump(
                directory.admins_of(session, institution_id))

    @rpc
    def invite_admin(self, institution_id: str, payload: dict):
        request = load(schemas.InviteAdmin(), payload)
        with self.db.begin() as session:
            member, invite = directory.invite_admin(
                session, institution_id, request["email"], now=self.clock())
            institution = activation.get_institution(session, institution_id)
            self.outbox.add_mails(session, [invitation_mail(
                ANOTHER_ADMIN, invite.email, invite.language, self.public_url,
                invite.token, institution=institution.name)])
            return schemas.MemberView().dump(member)

    @rpc
    def remove_admin(self, institution_id: str, member_id: str):
        with self.db.begin() as session:
            removed = directory.remove_admin(session, institution_id, member_id)
        log.info("admin %s removed from %s", member_id, institution_id)
        return schemas.AdminRemovedView().dump(removed)

    # -- rosters --------------------------------------------------------------------
    @rpc
    def start_roster_import(self, institution_id: str, content: str, filename=None,
                            workbook_base64=None):
        if workbook_base64 is not None:  # an .xlsx: read once into the CSV a job reads
            content = roster_jobs.workbook_text(base64.b64decode(workbook_base64))
        try:
            view, queued = self._start_roster_job(
                institution_id, content, filename, inline=True)
        except (OnboardingError, OperationalError):
            raise
        except Exception:  # the file cannot be read: the job says why, as a big one
            log.exception("roster for %s: queued, the inline import failed",
                          institution_id)
            view, queued = self._start_roster_job(
                institution_id, content, filename, inline=False)
        # committed: any onboarding process may take each part now (the sweeper covers
        # a message lost between the commit and this publish, or a broker away)
        try:
            for job_id in queued:
                self.roster_work({"job_id": job_id})
        except Exception as exc:
            if not is_outage(exc):
                raise
            log.warning("roster jobs %s wait for the sweeper: %r", queued, exc)
        return view

    def _start_roster_job(self, institution_id, content, filename, inline):
        """The job's view, and the jobs to queue: the file's, and its other parts'."""
        with self.db.begin() as session:
            started = roster_jobs.start_roster_import(
                session, institution_id, content, filename, self.lease, inline,
                now=self.clock())
            if started.batch is not None:  # a small file, imported already
                self._announce_batch(session, started.batch)
            return ROSTER_JOB_VIEW.dump(started.job), started.queued

    @rpc
    def get_roster_job(self, institution_id: str, job_id: str):
        with self.db.begin() as session:
            return ROSTER_JOB_VIEW.dump(
                roster_jobs.get_roster_job(session, institution_id, job_id)
            )

    @rpc
    def list_roster_jobs(self, institution_id: str, limit: int = 20):
        with self.db.begin() as session:
            return ROSTER_JOB_VIEW.dump(
                roster_jobs.list_roster_jobs(session, institution_id, limit), many=True)

    @consume_queue(ROSTER_WORK, requeue_on_error=True)
    def run_roster_job(self, body):
        """A roster import named on the work queue: run it if nobody else is."""
        self._run_roster_job(body["job_id"])

    @timer(interval=5)
    def sweep_roster_jobs(self):
        """Safety net: jobs whose message was lost, or whose worker died (lease over)."""
        while self._run_roster_job(None):
            pass

    def _run_roster_job(self, job_id: str | None) -> bool:
        with self.db.begin() as session:
            job = roster_jobs.claim_roster_job(session, self.lease, job_id,
                                               now=self.clock())
            job_id = job.id if job else None
        if job_id is None:
            return False
        done, cursor = False, None
        while not done:
            try:
                with self.db.begin() as session:
                    batch = roster_jobs.import_next_batch(
                        session, job_id, self.lease, cursor, now=self.clock())
                    self._announce_batch(session, batch)
                    done, cursor = batch.done, batch.cursor
            except OperationalError:
                raise  # the database is away: the lease expires, the job resumes later
            except Exception as exc:  # a file this code cannot read: say so, stop
                log.exception("roster import %s failed", job_id)
                with self.db.begin() as session:
                    roster_jobs.mark_job_failed(
                        session, job_id, f"the import failed: {exc}", now=self.clock())
                return True
        return True

    def _announce_batch(self, session, batch: roster_jobs.BatchResult) -> None:
        if not batch.learners:
            return
        self.outbox.add(session, LEARNERS_ENROLLED_V1, batch)
        if batch.invites:
            self.outbox.add_mail_merge(
                session, LEARNER_INVITATION, batch.language,
                {"institution": batch.institution_name, "public_url": self.public_url},
                batch.recipients(),
            )
        metrics.ROSTER_ROWS.labels("imported").inc(len(batch.learners))

    @rpc
    def remove_learners(self, institution_id: str, learner_ids: list[str]):
        with self.db.begin() as session:
            removed = members.remove_learners(
                session, institution_id, learner_ids, now=self.clock())
            self.outbox.add(session, LEARNERS_REMOVED_V1, removed)
        return {"removed": removed.learner_ids}

    @rpc
    def get_learner(self, institution_id: str, learner_id: str):
        with self.db.begin() as session:
            return schemas.MemberView().dump(
                members.get_learner(session, institution_id, learner_id))

    @rpc
    def resend_invitation(self, institution_id: str, learner_id: str):
        with self.db.begin() as session:
            resent = invitations.resend_invitation(
                session, institution_id, learner_id, public_url=self.public_url,
                now=self.clock(), quiet=timedelta(
                    seconds=self.config.get("INVITATION_RESEND_QUIET_SECONDS", 120)))
            if resent.mail is not None:
                self.outbox.add_mails(session, [resent.mail])
        return schemas.InvitationResent().dump({
            "learner_id": resent.member_id, "email": resent.email,
            "sent": resent.mail is not None, "sent_at": resent.sent_at,
            "expires_at": resent.expires_at})

    # -- webinars and the surge ------------------------------------------------------
    @rpc
    def webinar_choices(self, institution_id: str):
        with self.db.begin() as session:
            return schemas.WebinarChoice(many=True).dump(
                webinars.choices_for(session, institution_id, self.clock()))

    @rpc
    def book_webinar(self, institution_id: str, payload: dict):
        request = load(schemas.BookWebinarRequest(), payload)
        with self.db.begin() as session:
            return webinars.book_for(session, institution_id, request["starts_at"],
                                     self.clock())

    @rpc
    def get_webinar(self, institution_id: str):
        with self.db.begin() as session:
            webinar = webinars.booking_of(session, institution_id)
            if webinar is None:
                raise NotFound("no webinar booked yet: the institution is not active")
            return webinars.view(webinar)

    @rpc
    def list_webinars(self, days_back: int = 1):
        with self.db.begin() as session:
            since = self.clock() - timedelta(days=days_back)
            return [webinars.view(w) for w in webinars.list_sessions(session, since)]

    @rpc
    def surge_summary(self):
        with self.db.begin() as session:
            surge = surge_view.surge(session, now=self.clock())
        return {"applications_by_status": surge.applications_by_status,
                "activated_per_hour": surge.activated_per_hour,
                "time_to_active_seconds": surge.time_to_active,
                "backlog": surge.backlog, "at": self.clock().isoformat()}
