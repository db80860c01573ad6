"""What licensing's RPC methods accept and answer (the gateway documents them)."""

from marshmallow import Schema, ValidationError, fields, validate


class WholeNumber(fields.Integer):
    """A JSON integer: not a string, a decimal or a boolean (``true`` is not 1 day)."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be blank")


class LicenceView(Schema):
    id = fields.String()
    institution_id = fields.String()
    plan = fields.String()
    status = fields.String(metadata={"enum": ["active", "expired", "revoked"]})
    seats_granted = fields.Integer()
    seats_used = fields.Integer()
    seats_waiting = fields.Integer()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    days_left = fields.Integer()


class ExtendLicenceRequest(Schema):
    days = WholeNumber(
        required=True, validate=validate.Range(min=1, max=365),
        metadata={"description": "days added to the licence's end (1-365)"},
    )


class AddSeatsRequest(Schema):
    seats = WholeNumber(
        required=True, validate=validate.Range(min=1),
        metadata={"description": "seats added; the total stays within the plan's "
                                 "max_seats"},
    )


class RevokeLicenceRequest(Schema):
    reason = fields.String(
        required=True, validate=[validate.Length(min=3, max=500), not_blank],
        metadata={"description": "why the licence ends now (3-500 characters)"},
    )
