"""mail rows record their progress

Revision 0013 of gateway's history, after 0012: the outbox's mail rows say how many
of their mails are sent and which relay sends them (decision 0057).
"""

from services.common.migrations import add_mail_progress, drop_mail_progress

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    add_mail_progress()


def downgrade() -> None:
    drop_mail_progress()
