"""Events the onboarding service produces (published on ``onboarding.events``)."""

from collections.abc import Sequence

from marshmallow import Schema, fields, validate

from services.common.contracts import EventType
from services.common.fields import Email, Records, Strings


class ApplicationReceivedV1(Schema):
    application_id = fields.String(required=True)
    name = fields.String(required=True)
    type = fields.String(required=True)
    country = fields.String(required=True)
    expected_learners = fields.Integer(required=True)
    received_at = fields.AwareDateTime(required=True)


# Fires once per new application (a repeated application fires nothing).
APPLICATION_RECEIVED_V1 = EventType(
    "onboarding", "application.received.v1", ApplicationReceivedV1,
    doc="A new institution application was received.",
)


class InstitutionApprovedV1(Schema):
    institution_id = fields.String(required=True)
    application_id = fields.String(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True)
    type = fields.String(required=True)
    expected_learners = fields.Integer(required=True)
    languages = fields.List(fields.String(), required=True)
    timezone = fields.String(required=True)
    admin_email = Email(required=True)
    plan = fields.String(required=True)
    approved_at = fields.AwareDateTime(required=True)
    language = fields.String()  # onboarding helper's version wins at merge


# Fires once per institution, when its application is approved (by the rules or an
# operator). Licensing issues the licence from it.
INSTITUTION_APPROVED_V1 = EventType(
    "onboarding", "institution.approved.v1", InstitutionApprovedV1,
    minor_version=1,  # onboarding helper's version wins at merge
    doc="An application was approved and the institution exists.",
)


# onboarding helper's version wins at merge
FRANCOPHONE = frozenset(
    "FR BE CH LU MC CA SN CI ML BF NE TG BJ GN CM GA CG CD MG TN DZ MA HT RW BI DJ KM "
    "TD CF".split()
)


# onboarding helper's version wins at merge
def primary_language(languages: Sequence[str], country: str) -> str:
    """The language of its e-mails and webinar: its only one, or French where spoken."""
    if len(languages) == 1:
        return languages[0]
    return "fr" if country in FRANCOPHONE else "en"


class InstitutionRejectedV1(Schema):
    application_id = fields.String(required=True)
    reasons = fields.List(fields.String(), required=True)
    rejected_at = fields.AwareDateTime(required=True)


# Fires once when an operator rejects an application.
INSTITUTION_REJECTED_V1 = EventType(
    "onboarding", "institution.rejected.v1", InstitutionRejectedV1,
    doc="An operator rejected an application.",
)


class InstitutionActivatedV1(Schema):
    institution_id = fields.String(required=True)
    licence_id = fields.String(required=True)
    admin_member_id = fields.String(required=True)
    applied_at = fields.AwareDateTime(required=True)
    activated_at = fields.AwareDateTime(required=True)


# Fires once per institution, when its licence is issued and its admin invited.
INSTITUTION_ACTIVATED_V1 = EventType(
    "onboarding", "institution.activated.v1", InstitutionActivatedV1,
    doc="The institution holds a licence and its admin has been invited.",
)


class EnrolledLearner(Schema):
    learner_id = fields.String(required=True)
    email = Email(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    cohort = fields.String(required=True)
    external_id = fields.String(allow_none=True)


class LearnersEnrolledV1(Schema):
    institution_id = fields.String(required=True)
    import_job_id = fields.String(required=True)
    learners = Records(
        EnrolledLearner, required=True,
        validate=validate.Length(min=1, max=1000),
    )


# Fires once per committed batch of a roster import (at most 1,000 new learners).
LEARNERS_ENROLLED_V1 = EventType(
    "onboarding", "learners.enrolled.v1", LearnersEnrolledV1,
    doc="New learners joined an institution's roster (a batch of up to 1,000).",
)


class LearnersRemovedV1(Schema):
    institution_id = fields.String(required=True)
    learner_ids = Strings(required=True, validate=validate.Length(min=1, max=1000))
    removed_at = fields.AwareDateTime(required=True)


# Fires when an admin removes learners from the roster (their seats are released).
LEARNERS_REMOVED_V1 = EventType(
    "onboarding", "learners.removed.v1", LearnersRemovedV1,
    doc="Learners left an institution's roster.",
)


class WebinarScheduledV1(Schema):
    institution_id = fields.String(required=True)
    webinar_id = fields.String(required=True)
    language = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)


# Fires once per institution, when it is booked into an onboarding webinar.
WEBINAR_SCHEDULED_V1 = EventType(
    "onboarding", "webinar.scheduled.v1", WebinarScheduledV1,
    doc="An institution was booked into an onboarding webinar.",
)
