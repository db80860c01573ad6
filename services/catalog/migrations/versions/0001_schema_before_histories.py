"""Catalog's tables as create_all made them before there were histories.

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
        "courses",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("duration_hours", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("chapters", sa.JSON(), nullable=False),
        sa.Column("quiz", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_courses_language"), "courses", ["language"], unique=False)
    op.create_index(op.f("ix_courses_status"), "courses", ["status"], unique=False)
    op.create_table(
        "paths",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("courses", sa.JSON(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "seed_applied",
        sa.Column("course_id", sa.String(length=120), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("course_id"),
    )
    op.create_table(
        "skills",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("topics")
    op.drop_table("skills")
    op.drop_table("seed_applied")
    op.drop_table("paths")
    op.drop_table("courses")
    drop_infrastructure_tables()
