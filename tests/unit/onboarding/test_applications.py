"""Applications: decided by the rules, never twice, and operator decisions."""

from __future__ import annotations

import pytest

from services.common.db import utcnow
from services.onboarding import applications as domain
from services.onboarding.contracts.errors import Conflict, Invalid, NotFound
from services.onboarding.models import Application, Institution
from tests.support.db import count


def submit(sessions, rules, request, key=None):
    with sessions.begin() as session:
        return domain.submit_application(session, rules, request, key, now=utcnow())


def test_an_eligible_application_has_no_reason_and_is_approved(
    sessions, rules, request_for
):
    submitted = submit(sessions, rules, request_for())

    assert submitted.created is True
    assert submitted.application.reasons == []
    assert submitted.application.status == "received"
    with sessions.begin() as session:
        application = session.get(Application, submitted.application.id)
        institution = domain.approve(session, application, by=None, now=utcnow())
    with sessions() as session:
        application = session.get(Application, submitted.application.id)
        assert application.status == "approved"
        assert application.institution_id == institution.id
        stored = session.get(Institution, institution.id)
        assert (stored.name, stored.status, stored.admin_email) == (
            "Lycée Victor Hugo",
            "approved",
            "anne.martin@lycee-hugo.fr",
        )


def test_an_application_failing_rules_needs_review_with_every_reason(
    sessions,
    rules,
    request_for,
):
    submitted = submit(
        sessions,
        rules,
        request_for(
            country="JP",
            contact={"email": "anne@gmail.com"},
            expected_learners=6000,
        ),
    )

    with sessions() as session:
        stored = session.get(Application, submitted.application.id)
        assert stored.status == "needs_review"
        assert len(stored.reasons) == 3
        assert stored.institution_id is None
    assert count(sessions, Institution) == 0


def test_the_same_contact_for_the_same_website_records_nothing_more(
    sessions,
    rules,
    request_for,
):
    first = submit(sessions, rules, request_for())
    again = submit(
        sessions,
        rules,
        request_for(
            name="Lycée V. Hugo",
            website="http://lycee-hugo.fr/contact",
            contact={"email": "Anne.Martin@lycee-hugo.fr"},
        ),
    )

    assert (again.application, again.created, again.duplicate) == (None, False, True)
    assert again.repeats.id == first.application.id  # its contact is told
    assert count(sessions, Application) == 1


def test_another_contact_for_the_same_website_waits_for_review_beside_the_first(
    sessions,
    rules,
    request_for,
):
    first = submit(sessions, rules, request_for())
    other = submit(
        sessions, rules, request_for(contact={"email": "intrus@lycee-hugo.fr"})
    )

    assert other.created is True and other.duplicate is True
    assert other.repeats.id == first.application.id
    with sessions() as session:
        stored = session.get(Application, other.application.id)
        assert stored.status == "needs_review"
        assert stored.reasons == [domain.DUPLICATE_REASON]
        assert stored.duplicate_of == first.application.id
    assert count(sessions, Application) == 2


def test_a_duplicate_is_approved_only_once_the_first_is_rejected(
    sessions, rules, request_for
):
    first = submit(sessions, rules, request_for(country="JP")).application.id
    other = submit(
        sessions, rules,
        request_for(country="JP", contact={"email": "autre@lycee-hugo.fr"}),
    ).application.id

    with pytest.raises(Conflict), sessions.begin() as session:
        domain.decide(session, other, "approve", "the right contact", "op@x.org",
                      now=utcnow())
    with sessions.begin() as session:
        domain.decide(session, first, "reject", "not the school's", "op@x.org",
                      now=utcnow())
    with sessions.begin() as session:
        domain.decide(session, other, "approve", "the right contact", "op@x.org",
                      now=utcnow())

    with sessions() as session:
        assert session.get(Application, other).status == "approved"
    assert count(sessions, Institution) == 1


def test_after_a_rejection_the_website_may_apply_afresh(sessions, rules, request_for):
    first = submit(sessions, rules, request_for(country="JP")).application.id
    with sessions.begin() as session:
        domain.decide(session, first, "reject", "not the school's", "op@x.org",
                      now=utcnow())

    again = submit(sessions, rules, request_for(country="JP"))

    assert again.created is True and again.duplicate is False
    assert again.application.duplicate_of is None


def test_the_same_website_in_another_country_is_another_application(
    sessions,
    rules,
    request_for,
):
    first = submit(sessions, rules, request_for())
    other = submit(sessions, rules, request_for(country="BE"))

    assert other.created is True
    assert other.application.id != first.application.id
    assert count(sessions, Application) == 2


def test_the_same_idempotency_key_and_request_return_the_first_application(
    sessions,
    rules,
    request_for,
):
    first = submit(sessions, rules, request_for(), key="key-123")
    again = submit(sessions, rules, request_for(), key="key-123")

    assert again.created is False and again.duplicate is False
    assert again.application.id == first.application.id
    assert count(sessions, Application) == 1


def test_the_same_idempotency_key_with_another_request_is_invalid(
    sessions,
    rules,
    request_for,
):
    submit(sessions, rules, request_for(), key="key-123")

    with pytest.raises(Invalid) as refused:
        submit(
            sessions,
            rules,
            request_for(
                website="https://www.autre-lycee.fr",
                contact={"email": "x@autre-lycee.fr"},
            ),
            key="key-123",
        )

    assert list(refused.value.errors) == ["Idempotency-Key"]
    assert count(sessions, Application) == 1


def needs_review(sessions, rules, request_for) -> str:
    return submit(sessions, rules, request_for(country="JP")).application.id


def test_an_operator_approval_creates_the_institution(sessions, rules, request_for):
    application_id = needs_review(sessions, rules, request_for)

    with sessions.begin() as session:
        domain.decide(
            session, application_id, "approve", "checked by phone", "op@x.org",
                now=utcnow()
        )

    with sessions() as session:
        application = session.get(Application, application_id)
        assert application.status == "approved"
        assert application.decision_reason == "checked by phone"
        assert application.decided_at is not None
        institution = session.get(Institution, application.institution_id)
        assert institution.status == "approved"
        assert institution.country == "JP"


def test_an_operator_rejection_creates_no_institution(sessions, rules, request_for):
    application_id = needs_review(sessions, rules, request_for)

    with sessions.begin() as session:
        domain.decide(session, application_id, "reject", "not a school", "op@x.org",
                      now=utcnow())

    with sessions() as session:
        application = session.get(Application, application_id)
        assert (application.status, application.decision_reason) == (
            "rejected",
            "not a school",
        )
        assert application.institution_id is None
    assert count(sessions, Institution) == 0


@pytest.mark.parametrize(
    "first, second",
    [
        ("approve", "approve"),
        ("approve", "reject"),
        ("reject", "approve"),
    ],
)
def test_deciding_twice_is_a_conflict(sessions, rules, request_for, first, second):
    application_id = needs_review(sessions, rules, request_for)
    with sessions.begin() as session:
        domain.decide(session, application_id, first, "first decision", "op@x.org",
                      now=utcnow())

    with pytest.raises(Conflict), sessions.begin() as session:
        domain.decide(session, application_id, second, "second decision", "op@x.org",
                      now=utcnow())

    with sessions() as session:
        application = session.get(Application, application_id)
        assert application.decision_reason == "first decision"
    assert count(sessions, Institution) == (1 if first == "approve" else 0)


def test_an_application_approved_by_the_rules_cannot_be_decided(
    sessions,
    rules,
    request_for,
):
    submitted = submit(sessions, rules, request_for())
    with sessions.begin() as session:
        domain.approve(
            session, session.get(Application, submitted.application.id), None,
                now=utcnow()
        )

    with pytest.raises(Conflict), sessions.begin() as session:
        domain.decide(session, submitted.application.id, "reject", "changed mind", "op",
                      now=utcnow())


def test_deciding_an_unknown_application_is_not_found(sessions):
    with pytest.raises(NotFound), sessions.begin() as session:
        domain.decide(
            session,
            "00000000-0000-0000-0000-000000000000",
            "approve",
            "why not",
            "op@x.org", now=utcnow()
        )


def test_the_status_token_guards_an_application(sessions, rules, request_for):
    submitted = submit(sessions, rules, request_for())
    token = submitted.application.status_token

    with sessions() as session:
        assert domain.get_application(session, submitted.application.id, token).id == (
            submitted.application.id
        )
        with pytest.raises(NotFound):
            domain.get_application(session, submitted.application.id, "wrong-token")


def test_a_twin_with_our_key_committed_between_the_two_reads_is_our_application(
    sessions, rules, request_for, monkeypatch
):
    """Two requests with one Idempotency-Key race: the second looks the key up before
    the first commits and reads the open applications after. It must answer with the
    first's application, not as a repeat of someone else's."""
    first = submit(sessions, rules, request_for(), key="key-1")
    looked_up = []

    def before_the_twin_committed(session, key, fingerprint):
        if not looked_up:  # the first read sees nothing yet
            looked_up.append(key)
            return None
        return real_lookup(session, key, fingerprint)

    real_lookup = domain.by_idempotency_key
    monkeypatch.setattr(domain, "by_idempotency_key", before_the_twin_committed)
    second = submit(sessions, rules, request_for(), key="key-1")

    assert looked_up == ["key-1"]
    assert second.created is False and second.repeats is None
    assert second.application.id == first.application.id
