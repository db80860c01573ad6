"""Events the licensing service produces (published on ``licensing.events``)."""

from marshmallow import Schema, fields, validate

from services.common.contracts import EventType
from services.common.fields import Records, Strings


class LicenceIssuedV1(Schema):
    licence_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    plan = fields.String(required=True)
    seats = fields.Integer(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


# Fires once per institution and plan, when the licence is issued.
LICENCE_ISSUED_V1 = EventType(
    "licensing", "licence.issued.v1", LicenceIssuedV1,
    doc="A licence was issued to an approved institution.",
)


class SeatsAssignedV1(Schema):
    licence_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    learner_ids = Strings(required=True, validate=validate.Length(min=1, max=1000))
    seats_used = fields.Integer(required=True)
    seats_granted = fields.Integer(required=True)


# Fires once per batch of learners that just got a seat (at most 1,000 per event).
SEATS_ASSIGNED_V1 = EventType(
    "licensing", "seats.assigned.v1", SeatsAssignedV1,
    doc="Learners were seated on a licence.",
)


class SeatsWaitlistedV1(Schema):
    licence_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    learner_ids = Strings(required=True, validate=validate.Length(min=1, max=1000))
    waiting = fields.Integer(required=True)


# Fires once per batch of learners that found no free seat and joined the waiting list.
SEATS_WAITLISTED_V1 = EventType(
    "licensing", "seats.waitlisted.v1", SeatsWaitlistedV1,
    doc="Learners joined a licence's waiting list.",
)


class LicenceExtendedV1(Schema):
    licence_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    days = fields.Integer(required=True)
    ends_at = fields.AwareDateTime(required=True)
    extended_at = fields.AwareDateTime(required=True)


# Fires when an operator extends a licence by a number of days.
LICENCE_EXTENDED_V1 = EventType(
    "licensing", "licence.extended.v1", LicenceExtendedV1,
    doc="A licence's end moved later.",
)


class LicenceRevokedV1(Schema):
    licence_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    reason = fields.String(required=True)
    revoked_at = fields.AwareDateTime(required=True)


# Fires once when an operator revokes a licence: progress and monitoring stop.
LICENCE_REVOKED_V1 = EventType(
    "licensing", "licence.revoked.v1", LicenceRevokedV1,
    doc="A licence was revoked before its end.",
)


class LicenceExpiringV1(Schema):
    licence_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    ends_at = fields.AwareDateTime(required=True)
    days_left = fields.Integer(required=True)


# Fires once per warning point of the plan (its days before the end, plans.yml).
LICENCE_EXPIRING_V1 = EventType(
    "licensing", "licence.expiring.v1", LicenceExpiringV1,
    doc="A licence ends soon.",
)


class LicenceExpiredV1(Schema):
    licence_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    expired_at = fields.AwareDateTime(required=True)


# Fires once when a licence reaches its end.
LICENCE_EXPIRED_V1 = EventType(
    "licensing", "licence.expired.v1", LicenceExpiredV1,
    doc="A licence ended.",
)


class SeatsAddedV1(Schema):
    licence_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    added = fields.Integer(required=True)
    seats_granted = fields.Integer(required=True)


# Fires when an operator grants a licence more seats (waiting learners are then seated
# first come, first served and announced with seats.assigned.v1).
SEATS_ADDED_V1 = EventType(
    "licensing", "seats.added.v1", SeatsAddedV1,
    doc="A licence was granted more seats.",
)


class SeatsReleasedV1(Schema):
    licence_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    learner_ids = Strings(required=True, validate=validate.Length(min=1, max=1000))
    seats_used = fields.Integer(required=True)


# Fires when learners leave a licence (removed from the roster): their seats are free.
SEATS_RELEASED_V1 = EventType(
    "licensing", "seats.released.v1", SeatsReleasedV1,
    doc="Learners gave their seats back.",
)


# -- what licensing reads of other services' events ---------------------------------
class EnrolledLearnerSeat(Schema):
    learner_id = fields.String(required=True)


class LearnersEnrolledSeats(Schema):
    """learners.enrolled.v1 as seating reads it: the institution and each learner's
    id. The addresses and names it never stores are costly to read in a roster
    (decision 18); onboarding checked them when it wrote the event."""

    institution_id = fields.String(required=True)
    learners = Records(EnrolledLearnerSeat, required=True,
                       validate=validate.Length(min=1, max=1000))
