"""Events the licensing service produces (published on ``licensing.events``)."""

from marshmallow import Schema, fields, validate

from services.common.events import EventType


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
    learner_ids = fields.List(
        fields.String(), required=True, validate=validate.Length(min=1, max=1000)
    )
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
    learner_ids = fields.List(
        fields.String(), required=True, validate=validate.Length(min=1, max=1000)
    )
    waiting = fields.Integer(required=True)


# Fires once per batch of learners that found no free seat and joined the waiting list.
SEATS_WAITLISTED_V1 = EventType(
    "licensing", "seats.waitlisted.v1", SeatsWaitlistedV1,
    doc="Learners joined a licence's waiting list.",
)
