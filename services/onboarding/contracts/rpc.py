"""Payloads of the onboarding RPC methods: loaded strictly, dumped for the gateway."""

from urllib.parse import urlparse

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
)

from services.common.fields import Email
from services.common.validation import country_code, timezone_name

INSTITUTION_TYPES = (
    "secondary_school", "vocational_school", "university", "grande_ecole",
    "training_centre",
)
LANGUAGES = ("fr", "en")


class Contact(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = Email(required=True)
    role = fields.String(required=True, validate=validate.Length(min=1, max=120))


class ApplicationRequest(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    type = fields.String(required=True, validate=validate.OneOf(INSTITUTION_TYPES))
    country = fields.String(required=True, validate=country_code)
    city = fields.String(required=True, validate=validate.Length(min=1, max=120))
    website = fields.Url(
        required=True, schemes={"http", "https"}, validate=validate.Length(max=300)
    )
    contact = fields.Nested(Contact, required=True)
    expected_learners = fields.Integer(required=True, strict=True)
    languages = fields.List(
        fields.String(validate=validate.OneOf(LANGUAGES)),
        required=True,
        validate=validate.Length(min=1, max=2),
    )
    timezone = fields.String(required=True, validate=timezone_name)

    def __init__(self, *args, max_learners: int = 20000, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_learners = max_learners

    @pre_load
    def _normalise(self, data, **kwargs):
        if isinstance(data, dict):
            data = dict(data)
            for key in ("name", "city"):
                if isinstance(data.get(key), str):
                    data[key] = " ".join(data[key].split())
            if isinstance(data.get("country"), str):
                data["country"] = data["country"].strip().upper()
        return data

    @validates("expected_learners")
    def _learners(self, value, **kwargs):
        if not 1 <= value <= self.max_learners:
            raise ValidationError(f"must be between 1 and {self.max_learners}")

    @post_load
    def _derive(self, data, **kwargs):
        host = (urlparse(data["website"]).hostname or "").lower()
        data["website_domain"] = host.removeprefix("www.")
        data["languages"] = sorted(set(data["languages"]))
        return data


class Decision(Schema):
    class Meta:
        unknown = RAISE

    decision = fields.String(required=True, validate=validate.OneOf(("approve", "reject")))
    reason = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class ContactView(Schema):
    name = fields.String()
    email = fields.String()
    role = fields.String()


class ApplicationView(Schema):
    id = fields.String()
    status = fields.String()
    status_token = fields.String()
    name = fields.String()
    type = fields.String()
    country = fields.String()
    city = fields.String()
    website = fields.String()
    expected_learners = fields.Integer()
    languages = fields.List(fields.String())
    timezone = fields.String()
    reasons = fields.List(fields.String())
    institution_id = fields.String(allow_none=True)
    received_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    contact = fields.Nested(ContactView)


class ReviewView(ApplicationView):
    """An application as operators see it: with the one it repeats, if any."""

    duplicate_of = fields.String(allow_none=True)


class InstitutionView(Schema):
    id = fields.String()
    name = fields.String()
    type = fields.String()
    country = fields.String()
    city = fields.String()
    languages = fields.List(fields.String())
    timezone = fields.String()
    status = fields.String()
    licence_id = fields.String(allow_none=True)
    applied_at = fields.AwareDateTime()
    approved_at = fields.AwareDateTime()
    licence_issued_at = fields.AwareDateTime(allow_none=True)
    activated_at = fields.AwareDateTime(allow_none=True)


class InstitutionsQuery(Schema):
    """Filters of the operators' list of institutions (``list_institutions``)."""

    class Meta:
        unknown = RAISE

    q = fields.String(validate=validate.Length(min=1, max=200),
                      metadata={"description": "a part of the name or the city"})
    country = fields.String(validate=country_code,
                            metadata={"description": "ISO 3166-1 alpha-2 code"})
    status = fields.String(validate=validate.OneOf(("approved", "active")))
    ids = fields.List(fields.String(), load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(validate=validate.Length(min=1, max=36),
                           metadata={"description": "next_cursor of the page before"})

    @pre_load
    def _country_upper(self, data, **kwargs):
        if isinstance(data.get("country"), str):
            data = {**data, "country": data["country"].strip().upper()}
        return data


class InviteAdmin(Schema):
    class Meta:
        unknown = RAISE

    email = Email(required=True)


class AdminRemovedView(Schema):
    institution_id = fields.String()
    member_id = fields.String()
    email = fields.String()
    admins_left = fields.Integer()


class RosterJobView(Schema):
    id = fields.String()
    institution_id = fields.String()
    status = fields.String()
    rows_read = fields.Integer()
    rows_total = fields.Integer(allow_none=True)
    imported = fields.Integer()
    duplicates = fields.Integer()
    rejected = fields.Integer()
    errors = fields.List(fields.Dict())
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)


class MemberView(Schema):
    id = fields.String()
    institution_id = fields.String()
    role = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    cohort = fields.String(allow_none=True)
    external_id = fields.String(allow_none=True)


class InvitationResent(Schema):
    """A learner's invitation sent again: ``sent`` is false when one went out less
    than two minutes before (a double click sends one mail)."""

    learner_id = fields.String(required=True)
    email = fields.String(required=True)
    sent = fields.Boolean(required=True)
    sent_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(required=True)


class WebinarChoice(Schema):
    """A session the institution may book: ``id`` null for a slot that opens when
    it is booked first; ``full`` when it has no place left."""

    id = fields.String(allow_none=True, required=True)
    language = fields.String(required=True)
    starts_at = fields.String(required=True)
    ends_at = fields.String(required=True)
    capacity = fields.Integer(required=True)
    booked = fields.Integer(required=True)
    full = fields.Boolean(required=True)
    yours = fields.Boolean(required=True)


class BookWebinarRequest(Schema):
    class Meta:
        unknown = RAISE

    starts_at = fields.AwareDateTime(
        required=True, metadata={"description": "a session's start, as offered"})
