from marshmallow import Schema, fields


class LicenceView(Schema):
    id = fields.String()
    institution_id = fields.String()
    plan = fields.String()
    status = fields.String()
    seats_granted = fields.Integer()
    seats_used = fields.Integer()
    seats_waiting = fields.Integer()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    days_left = fields.Integer()
