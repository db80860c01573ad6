"""activity weeks: an institution's weeks that are over, counted once

Revision 0002 of tracking's history, after 0001. The index on progress by institution
becomes one by institution and time (the dashboard's current week reads only its own
records).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "activity_weeks",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("active_learners", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "starts_on"),
    )
    op.create_index("ix_progress_institution_time", "progress",
                    ["institution_id", "recorded_at"], unique=False)
    op.drop_index(op.f("ix_progress_institution_id"), table_name="progress")


def downgrade() -> None:
    op.create_index(op.f("ix_progress_institution_id"), "progress",
                    ["institution_id"], unique=False)
    op.drop_index("ix_progress_institution_time", table_name="progress")
    op.drop_table("activity_weeks")
