"""Applications: recorded once, decided by the rules or an operator, and never shown
to anyone but their sender (the Idempotency-Key) and operators."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.ids import new_id

from .contracts.events import primary_language
from .contracts.errors import Conflict, Invalid, NotFound
from .mails import ANOTHER_CONTACT, APPLIED_AGAIN, IN_REVIEW, application_mail
from .models import Application, Institution
from .rules import Rules

PLAN = "spark"


@dataclass(frozen=True)
class Submitted:
    """What an application request came to.

    ``application``: the sender's own, new (``created``) or found by its
    Idempotency-Key; None when the sender's contact already has an open application
    for this website and country. ``repeats``: the application of this website and
    country the request repeats, whose contact is told by e-mail; never shown to the
    sender.
    """

    application: Application | None
    created: bool
    repeats: Application | None = None

    @property
    def duplicate(self) -> bool:
        """The sender learns only that the institution has applied already."""
        return self.application is None or self.application.duplicate_of is not None


DUPLICATE_REASON = (
    "another application exists for this website and country: check with the "
    "institution which contact speaks for it"
)


def institution_key(request: dict) -> str:
    return f"{request['website_domain']}|{request['country']}"


def request_hash(request: dict) -> str:
    """The fingerprint of a loaded request: an Idempotency-Key retry must match it."""
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def by_idempotency_key(
    session: Session, key: str, fingerprint: str
) -> Application | None:
    """The application first sent with this key, for the same request only (one
    recorded before requests were fingerprinted is found by its key alone)."""
    found = session.scalars(
        select(Application).where(Application.idempotency_key == key)
    ).first()
    if found is not None and found.request_hash not in (None, fingerprint):
        raise Invalid({"Idempotency-Key": [
            "already used for a different request: send a new key for a new one"]})
    return found


def open_applications(session: Session, request: dict) -> list[Application]:
    """Applications for this website and country not rejected, the first first."""
    return list(session.scalars(
        select(Application)
        .where(Application.website_domain == request["website_domain"],
               Application.country == request["country"],
               Application.status != "rejected")
        .order_by(Application.received_at, Application.id)
    ))


def submit_application(
    session: Session, rules: Rules, request: dict, idempotency_key: str | None,
    *, now: datetime,
) -> Submitted:
    """Record a new application and decide it by the rules.

    Only a retry with the same Idempotency-Key and the same request gets an
    application back. A request for a website and country that has an open
    application is answered without it: from that application's contact, nothing is
    recorded (the contact is e-mailed); from another contact, a new application waits
    for an operator (``DUPLICATE_REASON``).
    """
    fingerprint = request_hash(request)
    if idempotency_key:
        found = by_idempotency_key(session, idempotency_key, fingerprint)
        if found is not None:
            return Submitted(found, created=False)
    email = request["contact"]["email"].lower()
    others = open_applications(session, request)
    for other in others:
        if idempotency_key and other.idempotency_key == idempotency_key:
            # a twin with our key committed between the two reads above (each sees
            # what was committed when it ran): it is our application, not a repeat
            return Submitted(by_idempotency_key(session, idempotency_key, fingerprint),
                             created=False)
        if other.contact_email == email:
            return Submitted(None, created=False, repeats=other)
    key = institution_key(request)
    holder = next((o for o in others if o.institution_key == key), None)
    contact = request["contact"]
    reasons = rules.failing_reasons(
        country=request["country"],
        type=request["type"],
        email_domain=email.rsplit("@", 1)[1],
        website_domain=request["website_domain"],
        expected_learners=request["expected_learners"],
    )
    if holder is not None:
        reasons.append(DUPLICATE_REASON)
    application = Application(
        id=new_id(),
        status="needs_review" if reasons else "received",
        status_token=secrets.token_urlsafe(24),
        idempotency_key=idempotency_key,
        request_hash=fingerprint,
        institution_key=None if holder is not None else key,
        duplicate_of=holder.id if holder is not None else None,
        name=request["name"],
        type=request["type"],
        country=request["country"],
        city=request["city"],
        website=request["website"],
        website_domain=request["website_domain"],
        contact_name=contact["name"],
        contact_email=email,
        contact_role=contact["role"],
        expected_learners=request["expected_learners"],
        languages=request["languages"],
        timezone=request["timezone"],
        reasons=reasons,
        received_at=now,
    )
    session.add(application)
    # no flush: the row goes in with the transaction (approved by the rules, in the
    # same INSERT); a twin that raced us fails the commit on a unique index (its key,
    # or the website's), and the caller submits again: it finds the twin then
    return Submitted(application, created=True, repeats=holder)


def approve(
    session: Session, application: Application, by: str | None, *, now: datetime
) -> Institution:
    if application.status not in ("received", "needs_review"):
        raise Conflict(f"application is already {application.status}")
    if application.institution_key is None:  # another contact's: if nobody holds it
        key = f"{application.website_domain}|{application.country}"
        holder = session.scalars(
            select(Application.id).where(Application.institution_key == key)
        ).first()
        if holder is not None:
            raise Conflict(
                f"application {holder} stands for this website and country: reject "
                "one of the two; an institution has one application approved")
        application.institution_key = key
    institution = Institution(
        id=new_id(),
        application_id=application.id,
        name=application.name,
        type=application.type,
        country=application.country,
        city=application.city,
        languages=application.languages,
        timezone=application.timezone,
        status="approved",
        admin_email=application.contact_email,
        expected_learners=application.expected_learners,
        applied_at=application.received_at,
        approved_at=now,
    )
    session.add(institution)
    application.status = "approved"
    application.institution_id = institution.id
    application.decided_at = now
    application.decided_by = by
    return institution


def decide(
    session: Session, application_id: str, decision: str, reason: str, operator: str,
    *, now: datetime,
) -> Application:
    application = session.get(Application, application_id, with_for_update=True)
    if application is None:
        raise NotFound("application not found")
    if application.status != "needs_review":
        raise Conflict(
            f"application is {application.status}: it cannot be decided again")
    if decision == "approve":
        approve(session, application, by=operator, now=now)
    else:
        application.status = "rejected"
        application.institution_key = None  # the next application may stand for it
        application.decided_at = now
        application.decided_by = operator
    application.decision_reason = reason
    return application


# -- what a request or a decision announces ------------------------------------------
@dataclass(frozen=True)
class Received:
    """``application.received.v1``: a new application was recorded."""

    application_id: str
    name: str
    type: str
    country: str
    expected_learners: int
    received_at: datetime


@dataclass(frozen=True)
class Approved:
    """``institution.approved.v1``: the institution exists, in its one language."""

    institution_id: str
    application_id: str
    name: str
    country: str
    type: str
    expected_learners: int
    languages: list[str]
    timezone: str
    admin_email: str
    plan: str
    approved_at: datetime
    language: str


@dataclass(frozen=True)
class Rejected:
    """``institution.rejected.v1``: an operator turned the application down."""

    application_id: str
    reasons: list[str]
    rejected_at: datetime


@dataclass(frozen=True)
class Applied:
    """What an application request came to and what it announces.

    ``submitted``: the sender's answer. ``received``: the new application's event,
    ``approved``: the institution the rules approved at once (None: it waits for an
    operator, or nothing new was recorded). ``mails``: to the contacts of the
    application the request repeats.
    """

    submitted: Submitted
    received: Received | None = None
    approved: Approved | None = None
    mails: tuple[dict, ...] = ()

    @property
    def outcome(self) -> str | None:
        """A new application's status (``approved`` or ``needs_review``), else None."""
        if self.received is None or self.submitted.application is None:
            return None
        return self.submitted.application.status


@dataclass(frozen=True)
class Decided:
    """An operator's decision: the application, and the one event it announces."""

    application: Application
    approved: Approved | None = None
    rejected: Rejected | None = None


def approved_fact(institution: Institution, application: Application) -> Approved:
    return Approved(
        institution_id=institution.id,
        application_id=application.id,
        name=institution.name,
        country=institution.country,
        type=institution.type,
        expected_learners=institution.expected_learners,
        languages=institution.languages,
        timezone=institution.timezone,
        admin_email=institution.admin_email,
        plan=PLAN,
        approved_at=institution.approved_at,
        language=primary_language(institution.languages, institution.country),
    )


def received_fact(application: Application) -> Received:
    return Received(
        application.id, application.name, application.type, application.country,
        application.expected_learners, application.received_at,
    )


def contact_mails(submitted: Submitted, public_url: str) -> tuple[dict, ...]:
    """A repeated application's contact hears of it; another contact gets the link
    to their own application under review (the answer to the request had none)."""
    repeated, application = submitted.repeats, submitted.application
    if repeated is None:
        return ()

    def mail(kind: dict, to: Application) -> dict:
        return application_mail(
            kind, to, primary_language(to.languages, to.country), public_url)

    if application is None:
        return (mail(APPLIED_AGAIN, repeated),)
    if submitted.created:
        return (mail(ANOTHER_CONTACT, repeated), mail(IN_REVIEW, application))
    return ()


def receive_application(
    session: Session, rules: Rules, request: dict, idempotency_key: str | None,
    public_url: str, *, now: datetime,
) -> Applied:
    """Record an application (``submit_application``), approve it at once when the
    rules find no reason to review it, and say what to announce."""
    submitted = submit_application(session, rules, request, idempotency_key, now=now)
    mails = contact_mails(submitted, public_url)
    application = submitted.application
    if application is None or not submitted.created:
        return Applied(submitted, mails=mails)
    received = received_fact(application)
    if application.reasons:
        return Applied(submitted, received, None, mails)
    institution = approve(session, application, by=None, now=now)
    return Applied(submitted, received, approved_fact(institution, application), mails)


def decide_application(
    session: Session, application_id: str, decision: str, reason: str,
    operator: str, *, now: datetime,
) -> Decided:
    """An operator's decision (``decide``), and its event."""
    application = decide(session, application_id, decision, reason, operator, now=now)
    if application.status == "approved":
        institution = session.get(Institution, application.institution_id)
        return Decided(application, approved=approved_fact(institution, application))
    return Decided(application, rejected=Rejected(
        application.id, [reason], application.decided_at))


def get_application(
    session: Session, application_id: str, token: str | None
) -> Application:
    application = session.get(Application, application_id)
    if application is None or (
        token is not None
        and not secrets.compare_digest(application.status_token, token)
    ):
        raise NotFound("application not found")
    return application


def list_applications(
    session: Session, status: str | None, limit: int, after: str | None
) -> list[Application]:
    query = select(Application).order_by(Application.received_at, Application.id)
    if status:
        query = query.where(Application.status == status)
    if after:
        anchor = session.get(Application, after)
        if anchor is not None:
            later = Application.received_at > anchor.received_at
            same_time = Application.received_at == anchor.received_at
            query = query.where(later | (same_time & (Application.id > anchor.id)))
    return list(session.scalars(query.limit(limit)))
