"""Events the tracking service produces (published on ``tracking.events``)."""

from marshmallow import Schema, fields

from services.common.contracts import EventType


class ProgressRecordedV1(Schema):
    progress_id = fields.String(required=True)
    learner_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    course_id = fields.String(required=True)
    kind = fields.String(required=True)
    chapter_id = fields.String(allow_none=True)
    score = fields.Integer(allow_none=True)
    recorded_at = fields.AwareDateTime(required=True)


# Fires once per accepted progress record (a duplicate fires nothing).
PROGRESS_RECORDED_V1 = EventType(
    "tracking", "progress.recorded.v1", ProgressRecordedV1,
    doc="A learner's progress record was accepted.",
)


class CourseCompletedV1(Schema):
    learner_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    course_id = fields.String(required=True)
    best_score = fields.Integer(allow_none=True)
    completed_at = fields.AwareDateTime(required=True)


# Fires once per learner and course, when every chapter is done and the final quiz
# (if any) is passed.
COURSE_COMPLETED_V1 = EventType(
    "tracking", "course.completed.v1", CourseCompletedV1,
    doc="A learner completed a course.",
)


class SkillAcquiredV1(Schema):
    learner_id = fields.String(required=True)
    institution_id = fields.String(required=True)
    skill_id = fields.String(required=True)
    course_id = fields.String(required=True)
    acquired_at = fields.AwareDateTime(required=True)


# Fires once per learner and skill, when a completed course first teaches it.
SKILL_ACQUIRED_V1 = EventType(
    "tracking", "skill.acquired.v1", SkillAcquiredV1,
    doc="A learner acquired a skill by completing a course that teaches it.",
)
