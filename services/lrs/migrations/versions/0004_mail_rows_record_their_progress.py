"""mail rows record their progress

Revision 0004 of lrs's history, after 0003: the outbox's mail rows say how many
of their mails are sent and which relay sends them (decision 0057).
"""

from services.common.migrations import add_mail_progress, drop_mail_progress

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    add_mail_progress()


def downgrade() -> None:
    drop_mail_progress()
