"""Licensing's tables as create_all made them before there were histories.

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
        "licence_notices",
        sa.Column("licence_id", sa.String(length=36), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("noticed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("licence_id", "ends_at", "days_before"),
    )
    op.create_table(
        "licences",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("plan", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("seats_granted", sa.Integer(), nullable=False),
        sa.Column("seats_used", sa.Integer(), nullable=False),
        sa.Column("seats_waiting", sa.Integer(), nullable=False),
        sa.Column("admin_email", sa.String(length=254), nullable=False),
        sa.Column("institution_name", sa.String(length=200), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("institution_id", "plan"),
    )
    op.create_index(
        op.f("ix_licences_institution_id"), "licences", ["institution_id"], unique=False
    )
    op.create_index(
        "ix_licences_status_ends_at", "licences", ["status", "ends_at"], unique=False
    )
    op.create_table(
        "seats",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("licence_id", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("licence_id", "learner_id"),
    )
    op.create_index(
        "ix_seats_licence_status_seq",
        "seats",
        ["licence_id", "status", "seq"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("seats")
    op.drop_table("licences")
    op.drop_table("licence_notices")
    drop_infrastructure_tables()
