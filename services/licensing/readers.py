"""What licensing reads of other services' events: its own schemas for the fields it
uses, a subset of the producer's (``reader=`` of ``@consume`` / ``@consume_batch``).

Licensing's own concern, not part of what it publishes: its contracts hold only what it
emits. The contract tests check each reader against the producer's schema and frozen
sample (docs/decisions/0018).
"""

from marshmallow import Schema, fields, validate

from services.common.fields import Records


class EnrolledLearnerSeat(Schema):
    learner_id = fields.String(required=True)


class LearnersEnrolledSeats(Schema):
    """learners.enrolled.v1 as seating reads it: the institution and each learner's
    id. Onboarding checked each learner's address and names when it wrote the event,
    and seating stores none of them, so it does not read them again."""

    institution_id = fields.String(required=True)
    learners = Records(EnrolledLearnerSeat, required=True,
                       validate=validate.Length(min=1, max=1000))
