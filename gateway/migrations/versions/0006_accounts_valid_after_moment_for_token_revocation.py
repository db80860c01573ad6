"""Each account's "valid after" moment: its tokens issued before it no longer count.

Set by ``gateway/auth.py`` ``revoke_account`` (password change, licence revoked,
learner removed); read by every gateway process into a copy refreshed every few
seconds (docs/decisions/0040-token-key-rotation-and-revocation.md).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.add_column("accounts", sa.Column("valid_after", sa.DateTime(timezone=True),
                                        nullable=True))
    op.create_index(op.f("ix_accounts_valid_after"), "accounts", ["valid_after"])


def downgrade() -> None:
    op.drop_index(op.f("ix_accounts_valid_after"), table_name="accounts")
    op.drop_column("accounts", "valid_after")
