"""Shapes the gateway itself answers with (the services' contracts give the rest)."""

from marshmallow import RAISE, Schema, fields, validate

from services.common.fields import Email
from services.onboarding.contracts.rpc import (
    AdminRemovedView,
    ApplicationView,
    InstitutionView,
    MemberView,
    ReviewView,
    RosterJobView,
    WebinarChoice,
)


class ProblemField(Schema):
    field = fields.String(allow_none=True)
    reason = fields.String()
    rule = fields.String(metadata={"description": "xAPI resources: the rule broken"})


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


class ApplicationAccepted(ApplicationView):
    """The answer to an application: the sender's own, or, when this website and
    country have an application already, only ``status: duplicate`` and ``detail``
    (nothing of the other application; its contact is e-mailed)."""

    status = fields.String(metadata={
        "description": "the application's status, or `duplicate`"})
    status_url = fields.String()
    detail = fields.String(metadata={"description": "with `status: duplicate` only"})


class ReviewOut(ReviewView):
    """An application as an operator sees it: all but the applicant's own status link
    (a capability for the applicant, which operators have no use for)."""

    class Meta:
        exclude = ("status_token",)


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


class WebinarChoicePage(Schema):
    items = fields.List(fields.Nested(WebinarChoice))
    next_cursor = fields.String(allow_none=True)


class ApplicationPage(Schema):
    items = fields.List(fields.Nested(ReviewOut))
    next_cursor = fields.String(allow_none=True)


class Surge(Schema):
    applications_by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    time_to_active_seconds = fields.Dict(metadata={
        "description": "count, p50, p95, p99, max of application → active; `stages` "
                       "gives the same for each step: review (applied → approved), "
                       "licensing (approved → licence issued), activation (licence "
                       "issued → active), so a backlog shows where it sits"})
    backlog = fields.Dict(keys=fields.String(), values=fields.Integer())
    activated_per_hour = fields.List(fields.Dict(), metadata={
        "description": "institutions activated in each of the last 24 hours, oldest "
                       "first: `hour` (its start, UTC) and `activated`"})
    at = fields.String()


class InstitutionsQuery(Schema):
    q = fields.String(metadata={"description": "a part of the name or the city"})
    country = fields.String(metadata={"description": "ISO 3166-1 alpha-2 code"})
    status = fields.String(metadata={"enum": ["approved", "active"]})
    plan = fields.String(metadata={"description": "the plan of its licence (spark)"})
    limit = fields.Integer(metadata={"minimum": 1, "maximum": 200})
    cursor = fields.String(metadata={"description": "next_cursor of the page before"})


class InstitutionRow(InstitutionView):
    plan = fields.String(allow_none=True)


class InstitutionPage(Schema):
    items = fields.List(fields.Nested(InstitutionRow))
    next_cursor = fields.String(allow_none=True)


class AdminRemovedOut(AdminRemovedView):
    account_ended = fields.Boolean(metadata={
        "description": "false when the admin had not set a password yet"})


class AdminPage(Schema):
    items = fields.List(fields.Nested(MemberView))
    next_cursor = fields.String(allow_none=True)


class ApplicationsQuery(Schema):
    status = fields.String(metadata={"enum": ["received", "needs_review", "approved",
                                              "rejected", "active"]})
    limit = fields.Integer(metadata={"minimum": 1, "maximum": 200})
    cursor = fields.String()


class PageQuery(Schema):
    """A page of a list that only pages: its size and where the last one ended."""

    limit = fields.Integer(metadata={"minimum": 1, "maximum": 200})
    cursor = fields.String(metadata={"description": "next_cursor of the page before"})


class StatusQuery(Schema):
    token = fields.String(required=True, metadata={"description": "the status token"})


class PartnerRequest(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    contact_email = Email(required=True)
    event_types = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z_#*]+(\.[a-z_#*0-9]+)*$")),
        required=True, validate=validate.Length(min=1, max=50),
        metadata={"description": "AMQP topic patterns, e.g. licence.*.v1 or #"})
    institution_ids = fields.List(fields.String(), allow_none=True, load_default=None,
                                  metadata={"description": "null: every institution"})


class PartnerOut(Schema):
    id = fields.String()
    name = fields.String()
    contact_email = fields.String()
    event_types = fields.List(fields.String())
    institution_ids = fields.List(fields.String(), allow_none=True)
    created_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)
    api_key = fields.String(metadata={"description": "shown once, at creation"})


class PartnerListed(PartnerOut):
    """A partner as a list shows it: its key was shown once, at creation."""

    class Meta:
        exclude = ("api_key",)


class PartnerPage(Schema):
    items = fields.List(fields.Nested(PartnerListed))
    next_cursor = fields.String(allow_none=True)


class LrsClientRequest(Schema):
    class Meta:
        unknown = RAISE

    institution_id = fields.String(required=True, validate=validate.Length(1, 36))
    name = fields.String(required=True, validate=validate.Length(min=2, max=200),
                         metadata={"description": "the tool, e.g. 'Moodle of Lyon 2'"})
    scopes = fields.List(
        fields.String(validate=validate.OneOf(
            ("statements/write", "statements/read/mine", "statements/read"))),
        required=True, validate=validate.Length(min=1, max=3),
        metadata={"description": "statements/write, statements/read/mine (what it "
                                 "wrote), statements/read (its institution's)"})


class LrsClientOut(Schema):
    id = fields.String()
    institution_id = fields.String()
    name = fields.String()
    key = fields.String(metadata={"description": "HTTP Basic user name"})
    scopes = fields.List(fields.String())
    created_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)
    secret = fields.String(metadata={"description": "HTTP Basic password: shown once, "
                                                    "at creation"})


class LrsClientListed(LrsClientOut):
    """A client as the list shows it: its secret was shown once, at creation."""

    class Meta:
        exclude = ("secret",)


class LrsClientList(Schema):
    items = fields.List(fields.Nested(LrsClientListed))


class WebhookRequest(Schema):
    class Meta:
        unknown = RAISE

    url = fields.Url(required=True, require_tld=False, schemes={"http", "https"},
                     validate=validate.Length(max=2000))
    event_types = fields.List(fields.String(validate=validate.Length(min=1, max=120)),
                              required=True, validate=validate.Length(min=1, max=50))


class WebhookOut(Schema):
    id = fields.String()
    url = fields.String()
    event_types = fields.List(fields.String())
    status = fields.String()
    failing_since = fields.AwareDateTime(allow_none=True)
    disabled_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    secret = fields.String(metadata={"description": "whsec_…: verify webhook-signature"})


class WebhookPage(Schema):
    items = fields.List(fields.Nested(WebhookOut))
    next_cursor = fields.String(allow_none=True)


class DeliveryOut(Schema):
    id = fields.String()
    event_id = fields.String()
    event_type = fields.String()
    replay = fields.Integer()
    status = fields.String()
    attempts = fields.Integer()
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    delivered_at = fields.AwareDateTime(allow_none=True)


class DeliveryPage(Schema):
    items = fields.List(fields.Nested(DeliveryOut))
    next_cursor = fields.String(allow_none=True)


class ReplayRequest(Schema):
    class Meta:
        unknown = RAISE

    since = fields.AwareDateTime(required=True)


class ReplayOut(Schema):
    queued = fields.Integer()


class AuditQuery(Schema):
    institution_id = fields.String()
    action = fields.String(metadata={"description": "licence.extended, "
                                     "licence.seats_added, licence.revoked, "
                                     "application.approved, application.rejected, "
                                     "partner.created, partner.revoked"})
    since = fields.AwareDateTime(
        metadata={"description": "records at or after this time"})
    limit = fields.Integer(metadata={"minimum": 1, "maximum": 200})
    cursor = fields.String()


class AuditRecordOut(Schema):
    id = fields.String()
    at = fields.AwareDateTime()
    operator_id = fields.String()
    operator_email = fields.String(allow_none=True)
    action = fields.String()
    target_type = fields.String()
    target_id = fields.String()
    institution_id = fields.String(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    request_id = fields.String(allow_none=True)


class AuditPage(Schema):
    items = fields.List(fields.Nested(AuditRecordOut))
    next_cursor = fields.String(allow_none=True)


class DeadLetterQuery(Schema):
    queue = fields.String(metadata={"description": "the consumer's queue"})
    state = fields.String(validate=validate.OneOf(("waiting", "replayed")),
                          metadata={"description": "waiting (not replayed) or "
                                                   "replayed; both when absent"})
    limit = fields.Integer(metadata={"minimum": 1, "maximum": 200})
    cursor = fields.String()


class DeadLetterOut(Schema):
    id = fields.String()
    queue = fields.String(metadata={"description": "the consumer's queue it failed in"})
    event_type = fields.String(allow_none=True)
    event_id = fields.String(allow_none=True)
    error = fields.String(metadata={"description": "why its handler failed"})
    attempts = fields.Integer(allow_none=True)
    dead_at = fields.AwareDateTime()
    replayed_at = fields.AwareDateTime(allow_none=True)
    replayed_by = fields.String(allow_none=True)


class DeadLetterPage(Schema):
    items = fields.List(fields.Nested(DeadLetterOut))
    next_cursor = fields.String(allow_none=True)


class ReplayQueueRequest(Schema):
    class Meta:
        unknown = RAISE

    queue = fields.String(required=True, validate=validate.Length(min=1, max=255))


class ReplayedOut(Schema):
    replayed = fields.Integer(metadata={"description": "dead letters put back"})
