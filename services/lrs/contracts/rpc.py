"""The lrs's RPC requests and replies.

The statements themselves are checked by ``statements`` (xAPI's rules), not here:
these schemas carry them as JSON objects.
"""

from marshmallow import RAISE, Schema, fields, validate

PAGE_MAX = 500  # statements in one page of a query (limit=0 asks for this many)
BATCH_MAX = 1000  # statements in one store request
ATTACHMENTS_MAX = 1000  # attachments' parts in one store request, hashes in one read
# the data one read of attachments answers at most (a page's, for a GET with
# attachments=true): as much as one request may write, 13.4 MiB in base64, under
# RabbitMQ 4's default max_message_size of 16 MiB
ATTACHMENTS_READ_MAX_BYTES = 10 * 1024 * 1024
FORMATS = ("exact", "ids", "canonical")


class AttachmentData(Schema):
    """One attachment's data, as its part of a multipart/mixed request carried it."""

    class Meta:
        unknown = RAISE

    sha2 = fields.String(required=True, validate=validate.Length(1, 128))
    content_type = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(1, 255))
    content = fields.String(required=True)  # base64


class StoreStatements(Schema):
    class Meta:
        unknown = RAISE

    institution_id = fields.String(required=True, validate=validate.Length(1, 36))
    # the credentials' agent, set as each statement's authority
    authority = fields.Dict(required=True)
    # whose statements they are, for the "read mine" scope (a client's or a
    # learner's key); it is not part of a statement
    owner = fields.String(required=True, validate=validate.Length(1, 80))
    statements = fields.List(fields.Dict(), required=True,
                             validate=validate.Length(1, BATCH_MAX))
    # the data of the statements' attachments (those without a fileUrl at least)
    attachments = fields.List(fields.Nested(AttachmentData), load_default=list,
                              validate=validate.Length(0, ATTACHMENTS_MAX))


class StoreEach(Schema):
    """Several callers' store requests, sent together by the gateway."""

    class Meta:
        unknown = RAISE

    requests = fields.List(fields.Nested(StoreStatements), required=True,
                           validate=validate.Length(1, 256))


class StoredStatements(Schema):
    ids = fields.List(fields.String(), required=True)  # in the order given
    consistent_through = fields.AwareDateTime(required=True)


class GetStatement(Schema):
    class Meta:
        unknown = RAISE

    institution_id = fields.String(required=True, validate=validate.Length(1, 36))
    statement_id = fields.String(required=True)
    voided = fields.Boolean(load_default=False)  # by voidedStatementId
    owner = fields.String(load_default=None)  # only if this owner stored it
    format = fields.String(load_default="exact", validate=validate.OneOf(FORMATS))
    languages = fields.List(fields.String(), load_default=list)  # for "canonical"


class GetActivity(Schema):
    class Meta:
        unknown = RAISE

    institution_id = fields.String(required=True, validate=validate.Length(1, 36))
    activity_id = fields.String(required=True)


class QueryStatements(Schema):
    class Meta:
        unknown = RAISE

    institution_id = fields.String(required=True, validate=validate.Length(1, 36))
    owner = fields.String(load_default=None)  # only this owner's statements
    agent = fields.Dict(load_default=None)
    verb = fields.String(load_default=None)
    activity = fields.String(load_default=None)
    registration = fields.String(load_default=None)
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)
    limit = fields.Integer(load_default=0, validate=validate.Range(0, None))
    ascending = fields.Boolean(load_default=False)
    # the agent filter also matches the authority, instructor, team, a sub-statement's
    related_agents = fields.Boolean(load_default=False)
    # the activity filter also matches context activities and a sub-statement's
    related_activities = fields.Boolean(load_default=False)
    format = fields.String(load_default="exact", validate=validate.OneOf(FORMATS))
    languages = fields.List(fields.String(), load_default=list)  # for "canonical"
    # where the previous page ended: the token of its "more" link
    more = fields.String(load_default=None)


class GetAttachments(Schema):
    class Meta:
        unknown = RAISE

    institution_id = fields.String(required=True, validate=validate.Length(1, 36))
    sha2s = fields.List(fields.String(validate=validate.Length(1, 128)),
                        required=True, validate=validate.Length(0, ATTACHMENTS_MAX))


class AttachmentOut(Schema):
    sha2 = fields.String(required=True)  # lower case
    content_type = fields.String(required=True)
    content = fields.String(required=True)  # base64


class StatementPage(Schema):
    statements = fields.List(fields.Dict(), required=True)
    more = fields.String(allow_none=True, required=True)  # None: the last page
    consistent_through = fields.AwareDateTime(required=True)


class OneStatement(Schema):
    statement = fields.Dict(required=True)
    consistent_through = fields.AwareDateTime(required=True)


# -- documents: State, Activity Profile, Agent Profile ------------------------------
DOCUMENT_KINDS = ("state", "activity-profile", "agent-profile")


class DocumentAddress(Schema):
    """Which document (or, without ``doc_id``, which documents)."""

    class Meta:
        unknown = RAISE

    institution_id = fields.String(required=True, validate=validate.Length(1, 36))
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    activity_id = fields.String(load_default=None)  # state, activity-profile
    agent = fields.Dict(load_default=None)  # state, agent-profile
    registration = fields.String(load_default=None)  # state
    doc_id = fields.String(load_default=None)  # stateId / profileId


class WriteDocument(DocumentAddress):
    content = fields.String(required=True)  # base64
    content_type = fields.String(required=True, validate=validate.Length(1, 255))
    merge = fields.Boolean(load_default=False)  # POST: merge JSON objects
    if_match = fields.String(load_default=None)
    if_none_match = fields.String(load_default=None)
    # the profiles' PUT: an existing document needs If-Match or If-None-Match
    precondition_required = fields.Boolean(load_default=False)


class ListDocuments(DocumentAddress):
    since = fields.AwareDateTime(load_default=None)


class DeleteDocuments(DocumentAddress):
    if_match = fields.String(load_default=None)


class DocumentOut(Schema):
    content = fields.String(required=True)  # base64
    content_type = fields.String(required=True)
    etag = fields.String(required=True)
    updated = fields.AwareDateTime(required=True)
