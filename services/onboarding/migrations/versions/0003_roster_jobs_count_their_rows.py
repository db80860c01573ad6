"""roster jobs count their rows

Revision 0003 of onboarding's history, after 0002.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table('roster_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rows_total', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('roster_jobs', schema=None) as batch_op:
        batch_op.drop_column('rows_total')
