"""Events the lrs service produces (published on ``lrs.events``)."""

from marshmallow import Schema, fields

from services.common.contracts import EventType


class StatementStoredV1(Schema):
    statement_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    stored = fields.AwareDateTime(required=True)
    # the statement as stored (with id, stored, timestamp, authority and version);
    # a voiding statement is one too: its object names the statement it voids
    statement = fields.Dict(required=True)


# Fires once per statement stored (a statement resent with the same id and content
# fires nothing).
STATEMENT_STORED_V1 = EventType(
    "lrs", "statement.stored.v1", StatementStoredV1,
    doc="An xAPI statement was stored by the Learning Record Store.",
)
