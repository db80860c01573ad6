"""Events the lrs service produces (published on ``lrs.events``)."""

from marshmallow import Schema, fields, validate

from services.common.contracts import EventType


class StatementsStoredV1(Schema):
    institution_id = fields.String(required=True)
    stored = fields.AwareDateTime(required=True)
    # the statements as stored (with id, stored, timestamp, authority and version), in
    # the order they were sent; a voiding statement is one too: its object names the
    # statement it voids
    statements = fields.List(fields.Dict(), required=True,
                             validate=validate.Length(min=1))


# Fires once per store transaction and institution, with every statement the
# transaction stored for that institution (decision 0064): a request's batch, or the
# requests the gateway sent together (``store_statements_each``). A statement resent
# with the same id and content is in no event.
STATEMENTS_STORED_V1 = EventType(
    "lrs", "statements.stored.v1", StatementsStoredV1,
    doc="xAPI statements were stored by the Learning Record Store: one event per "
        "store transaction and institution, with the statements as stored.",
)


class StatementStoredV1(Schema):
    statement_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    stored = fields.AwareDateTime(required=True)
    # the statement as stored (with id, stored, timestamp, authority and version);
    # a voiding statement is one too: its object names the statement it voids
    statement = fields.Dict(required=True)


# No longer published (decision 0064): statements.stored.v1 carries the same
# statements, one event per store transaction and institution. Lrs processes of the
# release before published it once per statement stored; the type stays declared
# for the consumer that credits what they published during a rolling upgrade.
STATEMENT_STORED_V1 = EventType(
    "lrs", "statement.stored.v1", StatementStoredV1,
    doc="An xAPI statement was stored by the Learning Record Store.",
    superseded_by="statements.stored.v1",
)
