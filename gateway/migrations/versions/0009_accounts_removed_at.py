"""An account an operator removed (an institution admin taken off): it signs in no
more, and its row stays so that its "valid after" moment keeps refusing the tokens
issued before (docs/decisions/0048-operator-pages-and-admin-removal.md).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"


def upgrade() -> None:
    op.add_column("accounts", sa.Column("removed_at", sa.DateTime(timezone=True),
                                        nullable=True))


def downgrade() -> None:
    op.drop_column("accounts", "removed_at")
