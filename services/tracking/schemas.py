from marshmallow import RAISE, Schema, fields, validate

KINDS = ("chapter_completed", "quiz_submitted", "course_completed")


class ProgressRequest(Schema):
    class Meta:
        unknown = RAISE

    id = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9._:-]{1,64}$"))
    course_id = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    chapter_id = fields.String(validate=validate.Length(min=1, max=120))
    score = fields.Integer(strict=True, validate=validate.Range(0, 100))


class ProgressView(Schema):
    id = fields.String()
    course_id = fields.String()
    kind = fields.String()
    chapter_id = fields.String(allow_none=True)
    score = fields.Integer(allow_none=True)
    recorded_at = fields.AwareDateTime()
