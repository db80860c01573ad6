"""mail rows record their progress

Revision 0002 of catalog's history, after 0001: the outbox's mail rows say how many
of their mails are sent and which relay sends them (decision 0057).
"""

from services.common.migrations import add_mail_progress, drop_mail_progress

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    add_mail_progress()


def downgrade() -> None:
    drop_mail_progress()
