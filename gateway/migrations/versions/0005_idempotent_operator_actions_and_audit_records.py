"""Idempotent operator actions and their audit records.

``idempotent_requests`` keeps each operator action's ``Idempotency-Key`` with the
answer a retry gets; ``audit_records`` is the append-only record of who did what
(docs/decisions/0041-idempotent-audited-operator-actions.md).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "idempotent_requests",
        sa.Column("principal", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key"),
    )
    op.create_index(op.f("ix_idempotent_requests_expires_at"), "idempotent_requests",
                    ["expires_at"])
    op.create_table(
        "audit_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator_id", sa.String(length=64), nullable=False),
        sa.Column("operator_email", sa.String(length=254), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("request_id", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_institution", "audit_records", ["institution_id", "id"])
    op.create_index(op.f("ix_audit_records_action"), "audit_records", ["action"])
    op.create_index(op.f("ix_audit_records_at"), "audit_records", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_records_at"), table_name="audit_records")
    op.drop_index(op.f("ix_audit_records_action"), table_name="audit_records")
    op.drop_index("ix_audit_institution", table_name="audit_records")
    op.drop_table("audit_records")
    op.drop_index(op.f("ix_idempotent_requests_expires_at"),
                  table_name="idempotent_requests")
    op.drop_table("idempotent_requests")
