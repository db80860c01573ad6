"""Tracking's tables as create_all made them before there were histories.

A database made then has these tables and no version: it is stamped with this
revision at start, then upgraded (services/common/migrations.py).
"""

import sqlalchemy as sa
from alembic import op

from services.common.migrations import (
    create_infrastructure_tables,
    drop_infrastructure_tables,
)

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_infrastructure_tables()
    op.create_table(
        "chapters_done",
        sa.Column("learner_id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=120), nullable=False),
        sa.Column("chapter_id", sa.String(length=120), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("learner_id", "course_id", "chapter_id"),
    )
    op.create_table(
        "course_states",
        sa.Column("learner_id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=120), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("chapters_done", sa.Integer(), nullable=False),
        sa.Column("best_score", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("learner_id", "course_id"),
    )
    op.create_index(
        "ix_course_states_institution",
        "course_states",
        ["institution_id"],
        unique=False,
    )
    op.create_table(
        "courses",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("chapters", sa.JSON(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "learners",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("first_name", sa.String(length=120), nullable=True),
        sa.Column("last_name", sa.String(length=120), nullable=True),
        sa.Column("cohort", sa.String(length=120), nullable=True),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("seated", sa.Boolean(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seat_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("courses_started", sa.Integer(), nullable=False),
        sa.Column("courses_completed", sa.Integer(), nullable=False),
        sa.Column("skills_acquired", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        postgresql_with={"fillfactor": 50},
    )
    op.create_index(
        "ix_learners_institution_cohort_name",
        "learners",
        ["institution_id", "cohort", "last_name", "first_name", "id"],
        unique=False,
    )
    op.create_index(
        "ix_learners_institution_name",
        "learners",
        ["institution_id", "last_name", "first_name", "id"],
        unique=False,
    )
    op.create_table(
        "licences",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("seats_granted", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_licences_institution_id"), "licences", ["institution_id"], unique=False
    )
    op.create_table(
        "progress",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("learner_id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("chapter_id", sa.String(length=120), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_progress_institution_id"), "progress", ["institution_id"], unique=False
    )
    op.create_index(
        "ix_progress_learner", "progress", ["learner_id", "recorded_at"], unique=False
    )
    op.create_table(
        "skills_acquired",
        sa.Column("learner_id", sa.String(length=36), nullable=False),
        sa.Column("skill_id", sa.String(length=120), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=120), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("learner_id", "skill_id"),
    )
    op.create_index(
        "ix_skills_acquired_institution",
        "skills_acquired",
        ["institution_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("skills_acquired")
    op.drop_table("progress")
    op.drop_table("licences")
    op.drop_table("learners")
    op.drop_table("courses")
    op.drop_table("course_states")
    op.drop_table("chapters_done")
    drop_infrastructure_tables()
