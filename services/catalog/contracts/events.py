"""Events the catalog service produces (published on ``catalog.events``)."""

from marshmallow import Schema, fields, validate

from services.common.contracts import EventType


class Chapter(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)


class Quiz(Schema):
    pass_mark = fields.Integer(required=True, validate=validate.Range(0, 100))
    questions = fields.Integer(required=True)


class CourseV1(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    language = fields.String(required=True)
    level = fields.String(required=True)
    duration_hours = fields.Integer(required=True)
    topic = fields.String(required=True)
    skills = fields.List(fields.String(), required=True)
    chapters = fields.List(fields.Nested(Chapter), required=True)
    quiz = fields.Nested(Quiz, allow_none=True, required=True)
    status = fields.String(required=True)
    updated_at = fields.AwareDateTime(required=True)


# Fires when a course becomes published (created published, or a draft published).
COURSE_PUBLISHED_V1 = EventType(
    "catalog",
    "course.published.v1",
    CourseV1,
    doc="A course is open to learners; carries the whole course.",
)

# Fires when a published course's content changes (chapters, quiz, skills, text).
COURSE_UPDATED_V1 = EventType(
    "catalog",
    "course.updated.v1",
    CourseV1,
    doc="A published course changed; carries the whole course as it now is.",
)


class CourseRetiredV1(Schema):
    course_id = fields.String(required=True)
    retired_at = fields.AwareDateTime(required=True)


# Fires when a published course is retired: it leaves search at once.
COURSE_RETIRED_V1 = EventType(
    "catalog",
    "course.retired.v1",
    CourseRetiredV1,
    doc="A course was withdrawn from the catalogue.",
)
