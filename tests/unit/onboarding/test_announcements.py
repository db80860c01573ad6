"""What each decision announces, decided in plain code: an application received and
approved by the rules, an operator's decision, an activation, a roster upload, learners
removed; and the one language rule the announcements carry."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select

from services.common.contracts import serialize
from services.common.db import utcnow
from services.common.outbox import BoundOutbox
from services.common.relay import Outbox
from services.onboarding import activation, applications, members, roster_jobs
from services.onboarding.contracts.events import (
    APPLICATION_RECEIVED_V1,
    INSTITUTION_ACTIVATED_V1,
    INSTITUTION_APPROVED_V1,
    INSTITUTION_REJECTED_V1,
    LEARNERS_ENROLLED_V1,
    LEARNERS_REMOVED_V1,
    WEBINAR_SCHEDULED_V1,
    primary_language,
)
from services.onboarding.contracts.errors import Invalid
from services.onboarding.mails import IN_REVIEW
from services.onboarding.models import outbox_table
from services.onboarding.service import OnboardingService

PUBLIC_URL = "https://continuity.example"


# -- the language rule ---------------------------------------------------------------
@pytest.mark.parametrize("languages, country, language", [
    (["en"], "FR", "en"),
    (["fr"], "GB", "fr"),
    (["fr", "en"], "BE", "fr"),
    (["en", "fr"], "CA", "fr"),
    (["fr", "en"], "GB", "en"),
    (("fr", "en"), "DE", "en"),
])
def test_an_institution_has_one_language_its_own_or_french_where_spoken(
        languages, country, language):
    assert primary_language(languages, country) == language


# -- applications --------------------------------------------------------------------
def receive(sessions, rules, request, key=None):
    with sessions.begin() as session:
        return applications.receive_application(
            session, rules, request, key, PUBLIC_URL, now=utcnow())


def test_an_application_the_rules_accept_is_received_and_approved_at_once(
        sessions, rules, request_for):
    applied = receive(sessions, rules,
                      request_for(languages=["fr", "en"], country="BE"))

    application = applied.submitted.application
    assert applied.outcome == "approved"
    assert applied.received.application_id == application.id
    assert applied.approved.application_id == application.id
    assert applied.approved.institution_id == application.institution_id
    approved = applied.approved
    assert (sorted(approved.languages), approved.language) == (["en", "fr"], "fr")
    assert applied.mails == ()
    assert serialize(INSTITUTION_APPROVED_V1, applied.approved)["language"] == "fr"
    assert serialize(APPLICATION_RECEIVED_V1, applied.received)["name"] == (
        application.name)


def test_an_application_with_reasons_is_received_and_waits_for_an_operator(
        sessions, rules, request_for):
    applied = receive(sessions, rules, request_for(
        contact={"email": "someone@gmail.com"}))

    assert applied.outcome == "needs_review"
    assert applied.received is not None
    assert applied.approved is None


def test_a_retry_with_its_key_announces_nothing_again(sessions, rules, request_for):
    request = request_for()
    first = receive(sessions, rules, request, key="key-1")
    again = receive(sessions, rules, request, key="key-1")

    assert again.submitted.application.id == first.submitted.application.id
    assert (again.outcome, again.received, again.approved, again.mails) == (
        None, None, None, ())


def test_a_repeat_from_the_same_contact_records_nothing_and_mails_the_contact(
        sessions, rules, request_for):
    first = receive(sessions, rules, request_for())
    again = receive(sessions, rules, request_for())

    assert again.submitted.duplicate and again.outcome is None
    assert [m["to"] for m in again.mails] == [
        first.submitted.application.contact_email]
    assert first.submitted.application.status_token in again.mails[0]["text"]
    assert again.mails[0]["language"] == "fr"


def test_another_contact_for_the_same_website_is_told_its_application_waits(
        sessions, rules, request_for):
    first = receive(sessions, rules, request_for())
    other = receive(sessions, rules, request_for(
        contact={"email": "other@lycee-hugo.fr"}))

    assert other.outcome == "needs_review" and other.approved is None
    assert [m["to"] for m in other.mails] == [
        first.submitted.application.contact_email, "other@lycee-hugo.fr"]
    assert other.mails[1]["subject"].startswith(IN_REVIEW["fr"][0].split("{")[0])


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_an_operator_decision_announces_one_event(
        sessions, rules, request_for, decision):
    waiting = receive(sessions, rules, request_for(
        contact={"email": "someone@gmail.com"}, languages=["en"]))
    with sessions.begin() as session:
        decided = applications.decide_application(
            session, waiting.submitted.application.id, decision, "checked by phone",
            "operator@continuity.local", now=utcnow())

    if decision == "approve":
        assert decided.application.status == "approved" and decided.rejected is None
        assert decided.approved.language == "en"
        serialize(INSTITUTION_APPROVED_V1, decided.approved)
    else:
        assert decided.application.status == "rejected" and decided.approved is None
        assert decided.rejected.reasons == ["checked by phone"]
        serialize(INSTITUTION_REJECTED_V1, decided.rejected)


# -- activation ----------------------------------------------------------------------
def test_activation_books_a_webinar_and_invites_the_admin_in_one_language(
        sessions, approved_institution):
    institution_id = approved_institution(languages=["fr", "en"], country="CH")
    now = utcnow()
    with sessions.begin() as session:
        scheduled = activation.book_webinar(session, institution_id, now=now)
    with sessions.begin() as session:
        activated = activation.activate_institution(
            session, institution_id, "lic-1", now, scheduled, PUBLIC_URL, now=now)

    assert scheduled.language == "fr"
    assert scheduled.starts_at >= now + timedelta(hours=24)
    assert activated.scheduled == scheduled
    assert activated.licence_id == "lic-1"
    assert activated.invitation["language"] == "fr"
    assert activated.invitation["text"].count(f"{PUBLIC_URL}/invitations/") == 1
    assert activated.seconds_to_active >= 0
    serialize(WEBINAR_SCHEDULED_V1, activated.scheduled)
    serialize(INSTITUTION_ACTIVATED_V1, activated)

    with sessions.begin() as session:  # a redelivery: the same place, no second admin
        assert activation.book_webinar(session, institution_id, now=now) == scheduled
        assert activation.activate_institution(
            session, institution_id, "lic-1", now, scheduled, PUBLIC_URL,
            now=now) is None


# -- rosters -------------------------------------------------------------------------
LEASE = timedelta(seconds=30)


def test_a_small_roster_is_imported_with_its_upload_and_queues_nothing(
        sessions, active_institution, roster):
    institution_id, _ = active_institution(languages=["en"], country="FR")
    with sessions.begin() as session:
        started = roster_jobs.start_roster_import(
            session, institution_id, roster(3), "r.csv", LEASE, now=utcnow())

    assert started.job.status == "done" and started.queued == ()
    batch = started.batch
    assert batch.import_job_id == started.job.id
    assert batch.language == "en"
    recipients = batch.recipients()
    assert [r["first_name"] for r in recipients] == ["First0", "First1", "First2"]
    assert {r["to"] for r in recipients} == {
        learner["email"] for learner in batch.learners}
    serialize(LEARNERS_ENROLLED_V1, batch)


def test_a_big_roster_queues_the_file_and_each_of_its_parts(
        sessions, active_institution, roster, monkeypatch):
    monkeypatch.setattr(roster_jobs, "PART_ROWS", 1200)
    institution_id, _ = active_institution()
    with sessions.begin() as session:
        started = roster_jobs.start_roster_import(
            session, institution_id, roster(3000), "r.csv", LEASE, now=utcnow())
        parts = [p.id for p in roster_jobs.parts_of(session, started.job.id)]

    assert started.batch is None
    assert started.queued == (started.job.id, *parts) and len(parts) == 2


def test_a_file_that_cannot_be_read_is_refused_as_invalid(
        sessions, active_institution):
    institution_id, _ = active_institution()
    with pytest.raises(Invalid) as refused, sessions.begin() as session:
        roster_jobs.start_roster_import(
            session, institution_id, "name;age\nAnne;12\n", "r.csv", LEASE,
            now=utcnow())
    assert "file" in refused.value.args[0]


def test_removing_learners_says_who_left_and_when(sessions, active_institution, roster):
    institution_id, _ = active_institution()
    with sessions.begin() as session:
        started = roster_jobs.start_roster_import(
            session, institution_id, roster(2), "r.csv", LEASE, now=utcnow())
    ids = [learner["learner_id"] for learner in started.batch.learners]
    now = utcnow()
    with sessions.begin() as session:
        removed = members.remove_learners(
            session, institution_id, [ids[0], "not-a-learner"], now=now)

    assert (removed.institution_id, removed.learner_ids, removed.removed_at) == (
        institution_id, [ids[0]], now)
    serialize(LEARNERS_REMOVED_V1, removed)


# -- the service announces what the domain returns -----------------------------------
class UnitOutbox(Outbox):
    """The real outbox (each event checked against its schema), no relay to wake."""

    def wake(self, kinds=None) -> None:
        pass


def test_the_service_announces_an_approval_with_the_institution_language(
        sessions, rules, payload):
    service = worker_factory(
        OnboardingService, db=sessions, clock=utcnow, rules=rules,
        outbox=BoundOutbox(UnitOutbox(outbox_table, {}),
                           SimpleNamespace(context_data={})),
        config={"ROSTER_LEASE_SECONDS": 30, "PUBLIC_URL": PUBLIC_URL},
    )
    answer = service.submit_application(payload(languages=["en", "fr"], country="SN"))

    assert answer["status"] == "approved" and answer["created"] is True
    with sessions() as session:
        rows = session.execute(select(outbox_table.c.topic, outbox_table.c.body)
                               .where(outbox_table.c.kind != "mail")
                               .order_by(outbox_table.c.seq)).all()
    assert [topic for topic, _ in rows] == [
        "application.received.v1", "institution.approved.v1"]
    assert rows[1].body["minor_version"] == 1
    assert rows[1].body["data"]["language"] == "fr"

