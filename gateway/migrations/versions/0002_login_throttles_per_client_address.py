"""Failed logins are counted per e-mail and client address.

``login_throttles`` replaces ``login_failures`` (per e-mail only). The old table
stays: the previous release's gateway copies still count in it while a rolling
upgrade replaces them; its counts (failures in a row, for minutes) are not carried
over, since no address is known for them. A later revision drops it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("email", "client"),
    )


def downgrade() -> None:
    op.drop_table("login_throttles")
