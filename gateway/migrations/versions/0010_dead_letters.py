"""Dead letters: events a consumer failed to handle ATTEMPTS times, with why, kept
for an operator to replay (gateway/dead_letters.py, decision 0049)."""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("letter_key", sa.String(length=200), nullable=False),
        sa.Column("queue", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=True),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=True),
        sa.Column("dead_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=True),
        sa.Column("content_encoding", sa.String(length=40), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replayed_by", sa.String(length=254), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("letter_key"),
    )
    op.create_index("ix_dead_letters_queue", "dead_letters", ["queue", "id"])
    op.create_index(op.f("ix_dead_letters_dead_at"), "dead_letters", ["dead_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_dead_letters_dead_at"), table_name="dead_letters")
    op.drop_index("ix_dead_letters_queue", table_name="dead_letters")
    op.drop_table("dead_letters")
