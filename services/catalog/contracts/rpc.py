"""Shapes of the catalogue: what operators send (create, patch) and what readers get.

The editing schemas check structure (types, ranges, one-of values); the domain checks
what needs the database (known skills and topic, unique ids) and across fields
(duplicate chapter ids, a quiz answer among its choices). The read schemas describe
the responses for the OpenAPI document; the catalog builds those dicts itself.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from .search import LANGUAGES, LEVELS, SearchQuery

SLUG = validate.Regexp(
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    error="use lower-case letters, digits and single hyphens (a slug)",
)
STATUSES = ("draft", "published", "retired")


def slug(**kwargs) -> fields.String:
    return fields.String(validate=[validate.Length(1, 120), SLUG], **kwargs)


# -- what an operator sends -----------------------------------------------------------
class ChapterIn(Schema):
    id = slug(required=True)
    title = fields.String(required=True, validate=validate.Length(1, 300))


class QuestionIn(Schema):
    question = fields.String(required=True, validate=validate.Length(1, 1000))
    choices = fields.List(
        fields.String(validate=validate.Length(1, 500)),
        required=True,
        validate=validate.Length(2, 10),
    )
    answer = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(0, 9),
        metadata={"description": "index of the right choice"},
    )


class QuizIn(Schema):
    pass_mark = fields.Integer(
        required=True, strict=True, validate=validate.Range(0, 100)
    )
    questions = fields.List(
        fields.Nested(QuestionIn), required=True, validate=validate.Length(min=1)
    )


def content_fields(required: bool) -> dict:
    """The editable fields of a course; required on create, optional on patch."""
    return {
        "title": fields.String(required=required, validate=validate.Length(1, 300)),
        "summary": fields.String(required=required, validate=validate.Length(1, 4000)),
        "language": fields.String(
            required=required, validate=validate.OneOf(LANGUAGES)
        ),
        "level": fields.String(required=required, validate=validate.OneOf(LEVELS)),
        "duration_hours": fields.Integer(
            required=required, strict=True, validate=validate.Range(1, 1000)
        ),
        "topic": slug(required=required),
        "skills": fields.List(
            slug(), required=required, validate=validate.Length(max=50)
        ),
        "chapters": fields.List(
            fields.Nested(ChapterIn),
            required=required,
            validate=validate.Length(1, 200, error="a course needs 1 to 200 chapters"),
        ),
        # no quiz (null) is allowed: such a course completes when its chapters are done
        "quiz": fields.Nested(
            QuizIn, allow_none=True, **({"load_default": None} if required else {})
        ),
    }


CourseCreate = Schema.from_dict(
    {
        "id": slug(
            required=True, metadata={"description": "the course's slug, unique"}
        ),
        **content_fields(required=True),
        "status": fields.String(
            load_default="draft", validate=validate.OneOf(("draft", "published"))
        ),
    },
    name="CourseCreate",
)
CourseCreate.__doc__ = "A new course: a draft (default) or published at once."

CoursePatch = Schema.from_dict(content_fields(required=False), name="CoursePatch")
CoursePatch.__doc__ = (
    "Fields to change; those left out keep their value. The id never changes; "
    "the status changes through /publish and /retire."
)


# -- what readers get ---------------------------------------------------------------
class CourseSummary(Schema):
    id = fields.String()
    title = fields.String()
    summary = fields.String()
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    level = fields.String(validate=validate.OneOf(LEVELS))
    duration_hours = fields.Integer()
    topic = fields.String()
    skills = fields.List(fields.String())
    has_quiz = fields.Boolean()
    updated_at = fields.String(metadata={"format": "date-time"})


class Chapter(Schema):
    id = fields.String()
    title = fields.String()


class QuestionView(Schema):
    question = fields.String()
    choices = fields.List(fields.String())


class QuizView(Schema):
    pass_mark = fields.Integer()
    questions = fields.List(fields.Nested(QuestionView))


class CourseDetail(CourseSummary):
    status = fields.String(validate=validate.OneOf(STATUSES))
    chapters = fields.List(fields.Nested(Chapter))
    quiz = fields.Nested(QuizView, allow_none=True)


class QuizAnswers(Schema):
    """A learner's answers to a course's final quiz, one per question in order."""

    answers = fields.List(
        fields.Integer(strict=True, validate=validate.Range(0, 9)),
        required=True,
        validate=validate.Length(1, 200),
        metadata={"description": "for each question, the index of the choice taken"},
    )


class QuizGrade(Schema):
    """The platform's grading of a quiz: the score it records, never the answers."""

    course_id = fields.String()
    correct = fields.Integer(metadata={"description": "questions answered right"})
    questions = fields.Integer()
    score = fields.Integer(metadata={"description": "percent right, rounded down"})
    pass_mark = fields.Integer()
    passed = fields.Boolean()


class SearchPage(Schema):
    items = fields.List(fields.Nested(CourseSummary))
    next_cursor = fields.String(allow_none=True)
    total = fields.Integer()
    facets = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        metadata={
            "description": "per filter (language, level, topic, skill, path): "
            "value → courses matching with the other filters"
        },
    )


class Skill(Schema):
    id = fields.String()
    name = fields.Dict(keys=fields.String(), values=fields.String())
    topic = fields.String()


class Path(Schema):
    id = fields.String()
    title = fields.String()
    summary = fields.String()
    language = fields.String()
    courses = fields.List(fields.String())
    skills = fields.List(fields.String())


class SkillList(Schema):
    items = fields.List(fields.Nested(Skill))
    next_cursor = fields.String(allow_none=True)


class PathList(Schema):
    items = fields.List(fields.Nested(Path))
    next_cursor = fields.String(allow_none=True)


__all__ = [
    "CourseCreate",
    "CourseDetail",
    "CoursePatch",
    "CourseSummary",
    "Path",
    "PathList",
    "QuizAnswers",
    "QuizGrade",
    "SearchPage",
    "SearchQuery",
    "Skill",
    "SkillList",
]
