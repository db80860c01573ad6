"""Each licence keeps the language its admin is written in.

``language`` is what institution.approved.v1 announces (minor version 1), or
onboarding's rule on the languages and country of an event of minor version 0.
Licensing never kept the country: a licence issued before gets the rule on its
languages and the country of its time zone (``languages.language_by_zone``).

The column stays nullable: a copy of the previous release still running during a
rolling upgrade issues licences without it, and a notice for one of those applies
the same rule when it is written.
"""

import sqlalchemy as sa
from alembic import op

from services.licensing.languages import language_by_zone

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.add_column("licences", sa.Column("language", sa.String(length=8)))
    licences = sa.table(
        "licences",
        sa.column("id", sa.String),
        sa.column("languages", sa.JSON),
        sa.column("timezone", sa.String),
        sa.column("language", sa.String),
    )
    conn = op.get_bind()
    by_language: dict[str, list[str]] = {}
    for row in conn.execute(sa.select(licences.c.id, licences.c.languages,
                                      licences.c.timezone)):
        language = language_by_zone(row.languages, row.timezone)
        by_language.setdefault(language, []).append(row.id)
    for language, ids in by_language.items():
        for start in range(0, len(ids), 500):
            conn.execute(licences.update()
                         .where(licences.c.id.in_(ids[start : start + 500]))
                         .values(language=language))


def downgrade() -> None:
    with op.batch_alter_table("licences") as batch:
        batch.drop_column("language")
