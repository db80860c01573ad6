"""The lrs's first schema: the statements, the documents (State, Activity Profile,
Agent Profile), the outbox (decision 0051)."""

import sqlalchemy as sa
from alembic import op

from services.common.migrations import (
    create_infrastructure_tables,
    drop_infrastructure_tables,
)

revision = "0001"
down_revision = None

INDEXES = {  # name: columns, each after institution_id
    "ix_statements_institution_seq": ["seq"],
    "ix_statements_owner": ["owner_key", "seq"],
    "ix_statements_verb": ["verb_key", "seq"],
    "ix_statements_activity": ["activity_key", "seq"],
    "ix_statements_registration": ["registration", "seq"],
    "ix_statements_stored": ["stored", "seq"],
}


def upgrade() -> None:
    create_infrastructure_tables()
    op.create_table(
        "statements",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_key", sa.String(length=32), nullable=False),
        sa.Column("verb_key", sa.String(length=32), nullable=False),
        sa.Column("activity_key", sa.String(length=32), nullable=True),
        sa.Column("registration", sa.String(length=36), nullable=True),
        sa.Column("voids", sa.String(length=36), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("ux_statements_institution_id", "statements",
                    ["institution_id", "id"], unique=True)
    for name, columns in INDEXES.items():
        op.create_index(name, "statements", ["institution_id", *columns])
    voiding = sa.text("voids IS NOT NULL")
    op.create_index("ix_statements_voids", "statements", ["institution_id", "voids"],
                    postgresql_where=voiding, sqlite_where=voiding)
    op.create_table(
        "statement_links",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "kind", "key", "seq"),
    )
    op.create_table(
        "documents",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("scope_key", sa.String(length=32), nullable=False),
        sa.Column("doc_key", sa.String(length=32), nullable=False),
        sa.Column("doc_id", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("etag", sa.String(length=40), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "kind", "scope_key", "doc_key"),
    )
    op.create_index("ix_documents_updated", "documents",
                    ["institution_id", "kind", "scope_key", "updated"])


def downgrade() -> None:
    op.drop_table("documents")
    op.drop_table("statement_links")
    op.drop_table("statements")
    drop_infrastructure_tables()
