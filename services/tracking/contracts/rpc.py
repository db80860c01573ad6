"""Tracking's RPC requests and replies; the gateway's OpenAPI document shows them.

Every RPC reply is dumped through one of these, so the document and the wire agree.
"""

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

KINDS = ("chapter_completed", "quiz_submitted", "course_completed")
PAGE_MAX = 200
LEARNER_STATUSES = ("seated", "waiting", "removed")


# -- progress -------------------------------------------------------------------------
class ProgressRequest(Schema):
    class Meta:
        unknown = RAISE

    id = fields.String(
        validate=validate.Regexp(r"^[A-Za-z0-9._:-]{1,64}$"),
        metadata={"description": "client-chosen: sending it again is a no-op (200)"},
    )
    course_id = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    chapter_id = fields.String(
        validate=validate.Length(min=1, max=120),
        metadata={"description": "required for chapter_completed"},
    )
    score = fields.Integer(
        strict=True, validate=validate.Range(0, 100),
        metadata={"description": "required for quiz_submitted"},
    )


class ProgressView(Schema):
    id = fields.String(required=True)
    course_id = fields.String(required=True)
    kind = fields.String(required=True)
    chapter_id = fields.String(allow_none=True)
    score = fields.Integer(allow_none=True)
    recorded_at = fields.AwareDateTime(required=True)


class RecordedProgress(ProgressView):
    """201 for a new record, 200 (``duplicate``) when its id was seen before."""

    duplicate = fields.Boolean(required=True)
    course_completed = fields.Boolean(
        required=True, metadata={"description": "this record completed the course"}
    )
    skills_acquired = fields.List(
        fields.String(), required=True,
        metadata={"description": "skills this record made the learner acquire"},
    )


class CourseProgress(Schema):
    course_id = fields.String(required=True)
    title = fields.String(required=True)
    chapters_done = fields.Integer(required=True)
    chapters_total = fields.Integer(required=True)
    best_score = fields.Integer(allow_none=True)
    pass_mark = fields.Integer(allow_none=True)
    started_at = fields.AwareDateTime(required=True)
    completed_at = fields.AwareDateTime(allow_none=True)


class MyProgress(Schema):
    items = fields.List(fields.Nested(CourseProgress), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class MyCourse(Schema):
    """One learner's state in one course, for the learner's own course page."""

    course_id = fields.String(required=True)
    chapters_done = fields.List(
        fields.String(), required=True,
        metadata={"description": "ids of the chapters done, first done first"},
    )
    best_score = fields.Integer(allow_none=True, required=True)
    completed_at = fields.AwareDateTime(allow_none=True, required=True)


class Standing(Schema):
    """Whether the learner may record progress now; ``refused`` says why not
    (no_licence, licence_expired, licence_revoked, no_seat), as a refusal would."""

    refused = fields.String(allow_none=True, required=True)
    institution_id = fields.String(allow_none=True, required=True)


class SkillView(Schema):
    skill_id = fields.String(required=True)
    course_id = fields.String(required=True)
    acquired_at = fields.AwareDateTime(required=True)


class MySkills(Schema):
    items = fields.List(fields.Nested(SkillView), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


# -- monitoring -----------------------------------------------------------------------
class DashboardLicence(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True)
    seats_granted = fields.Integer(required=True)
    seats_used = fields.Integer(required=True)
    seats_left = fields.Integer(required=True)
    ends_at = fields.AwareDateTime(required=True)
    days_left = fields.Integer(required=True)


class Numbers(Schema):
    learners = fields.Integer(required=True, metadata={"description": "on the roster"})
    seated = fields.Integer(required=True)
    active_7d = fields.Integer(
        required=True, metadata={"description": "recorded progress in the last 7 days"}
    )
    courses_started = fields.Integer(required=True)
    courses_completed = fields.Integer(required=True)
    skills_acquired = fields.Integer(required=True)


class CohortNumbers(Numbers):
    cohort = fields.String(required=True)


class StalledLearner(Schema):
    learner_id = fields.String(required=True)
    email = fields.String(allow_none=True)
    first_name = fields.String(allow_none=True)
    last_name = fields.String(allow_none=True)
    cohort = fields.String(allow_none=True)
    last_activity_at = fields.AwareDateTime(allow_none=True)


class Dashboard(Schema):
    institution_id = fields.String(required=True)
    licence = fields.Nested(DashboardLicence, required=True)
    totals = fields.Nested(Numbers, required=True)
    cohorts = fields.List(fields.Nested(CohortNumbers), required=True)
    stalled = fields.List(
        fields.Nested(StalledLearner), required=True,
        metadata={"description": "seated learners with no activity for 14 days "
                                 "(the first 100, longest idle first)"},
    )
    stalled_total = fields.Integer(required=True)
    generated_at = fields.AwareDateTime(required=True)


class LearnersQuery(Schema):
    class Meta:
        unknown = EXCLUDE  # other query parameters are ignored

    limit = fields.Integer(load_default=50, validate=validate.Range(1, PAGE_MAX))
    cursor = fields.String(
        validate=validate.Length(max=2000),
        metadata={"description": "next_cursor of the previous page"},
    )
    cohort = fields.String(validate=validate.Length(min=1, max=120))
    q = fields.String(
        validate=validate.Length(min=1, max=120),
        metadata={"description": "part of a name or e-mail address (any case)"},
    )
    status = fields.String(
        validate=validate.OneOf(LEARNER_STATUSES),
        metadata={"description": "seated: has a seat; waiting: on the waiting list; "
                                 "removed: taken off the roster (listed only so)"},
    )


class ExportQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    cohort = fields.String(validate=validate.Length(min=1, max=120))


class LearnerRow(Schema):
    learner_id = fields.String(required=True)
    email = fields.String(allow_none=True)
    first_name = fields.String(allow_none=True)
    last_name = fields.String(allow_none=True)
    cohort = fields.String(allow_none=True)
    external_id = fields.String(allow_none=True)
    seated = fields.Boolean(required=True)
    last_activity_at = fields.AwareDateTime(allow_none=True)
    courses_started = fields.Integer(required=True)
    courses_completed = fields.Integer(required=True)
    skills_acquired = fields.Integer(required=True)
    skills = fields.List(fields.String(), required=True,
                         metadata={"description": "skill ids, in order of acquisition"})


class LearnersPage(Schema):
    items = fields.List(fields.Nested(LearnerRow), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ExportChunk(Schema):
    """One page of the CSV export: text to append, and where to go on."""

    text = fields.String(required=True)
    rows = fields.Integer(required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ActivityWeek(Schema):
    starts_on = fields.Date(required=True, metadata={"description": "a Monday (UTC)"})
    active_learners = fields.Integer(required=True)
    records = fields.Integer(required=True)


class Activity(Schema):
    """Progress recorded per week, oldest first; the last week is the current one."""

    weeks = fields.List(fields.Nested(ActivityWeek), required=True)
