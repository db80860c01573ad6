"""One application stands for an institution; another contact's waits for an operator.

The website and country were unique among applications; now ``institution_key``
(website domain and country) is unique, held by the application that stands for the
institution, and an application from another contact points at it (``duplicate_of``)
with no key. ``request_hash`` is what an Idempotency-Key was first sent with.

Every application the previous schema held is the only one of its website and
country: each one not rejected stands for its institution and gets the key.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"

# SQLite rebuilds the table to drop a constraint, naming the unnamed ones it reads
# the way PostgreSQL named them when the table was made
NAMES = {"uq": "%(table_name)s_%(column_0_N_name)s_key"}


def upgrade() -> None:
    with op.batch_alter_table("applications", naming_convention=NAMES) as batch:
        batch.add_column(sa.Column("request_hash", sa.String(length=64)))
        batch.add_column(sa.Column("institution_key", sa.String(length=260)))
        batch.add_column(sa.Column("duplicate_of", sa.String(length=36)))
        batch.drop_constraint("applications_website_domain_country_key", type_="unique")
        batch.create_unique_constraint("applications_institution_key_key",
                                       ["institution_key"])
        batch.create_index("ix_applications_website", ["website_domain", "country"])
    op.execute("UPDATE applications SET institution_key = website_domain || '|' || "
               "country WHERE status <> 'rejected'")


def downgrade() -> None:
    with op.batch_alter_table("applications", naming_convention=NAMES) as batch:
        batch.drop_index("ix_applications_website")
        batch.drop_constraint("applications_institution_key_key", type_="unique")
        batch.create_unique_constraint("applications_website_domain_country_key",
                                       ["website_domain", "country"])
        batch.drop_column("duplicate_of")
        batch.drop_column("institution_key")
        batch.drop_column("request_hash")
