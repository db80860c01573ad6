"""Shapes the gateway itself answers with (the services' schemas describe the rest)."""

from marshmallow import Schema, fields

from services.onboarding.schemas import ApplicationView, RosterJobView


class ProblemField(Schema):
    field = fields.String(allow_none=True)
    reason = fields.String()


class Problem(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested(ProblemField))
    reason = fields.String(metadata={"description": "why access was refused (403)"})


class ApplicationOut(ApplicationView):
    status_url = fields.String(required=True)


class RosterJobOut(RosterJobView):
    url = fields.String()


class Token(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    role = fields.String(required=True)
    subject = fields.String(required=True)
    institution_id = fields.String(allow_none=True)


class Me(Schema):
    id = fields.String()
    role = fields.String()
    email = fields.String(allow_none=True)
    institution_id = fields.String(allow_none=True)


class Status(Schema):
    status = fields.String(required=True)
    checks = fields.Dict()


class Webinar(Schema):
    id = fields.String()
    language = fields.String()
    starts_at = fields.String()
    ends_at = fields.String()
    capacity = fields.Integer()
    booked = fields.Integer()


class WebinarPage(Schema):
    items = fields.List(fields.Nested(Webinar))
    next_cursor = fields.String(allow_none=True)


class ApplicationPage(Schema):
    items = fields.List(fields.Nested(ApplicationView))
    next_cursor = fields.String(allow_none=True)


class Surge(Schema):
    applications_by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    time_to_active_seconds = fields.Dict()
    backlog = fields.Dict(keys=fields.String(), values=fields.Integer())
    at = fields.String()


class ApplicationsQuery(Schema):
    status = fields.String(metadata={"enum": ["received", "needs_review", "approved",
                                              "rejected", "active"]})
    limit = fields.Integer(metadata={"minimum": 1, "maximum": 200})
    cursor = fields.String()


class StatusQuery(Schema):
    token = fields.String(required=True, metadata={"description": "the status token"})
