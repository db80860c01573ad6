"""learners by e-mail: an xAPI statement's actor found within its institution

Revision 0003 of tracking's history, after 0002 (decision 0059). A statement whose
actor is a ``mailto:`` address credits the learner of the statement's institution
with that e-mail; one index entry per learner, written once at enrolment (the
e-mail never changes after, so a seat or a progress record stays a HOT update).
"""

from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_index("ix_learners_institution_email", "learners",
                    ["institution_id", "email"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_learners_institution_email", table_name="learners")
