"""The statements and their links partitioned by month of ``stored`` on PostgreSQL;
a statement id's uniqueness in ``statement_ids`` (decision 0061).

Revision 0003 of lrs's history, after 0002. Every row is kept: on PostgreSQL the
tables are made anew, partitioned, with a partition for every month the rows span
and the months after the last (``partitions.AHEAD``), the rows copied, then the indexes made
(once, on full partitions: cheaper than keeping them up to date row by row), and
the old tables dropped. The sequence numbering ``seq`` carries on. SQLite keeps
plain tables: the links gain ``stored``, the unique index moves to statement_ids.
"""

import sqlalchemy as sa
from alembic import op

from services.lrs import partitions

revision = "0003"
down_revision = "0002"

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INDEXES = {  # name: columns, each after institution_id (0001's, and the id's)
    "ix_statements_id": ["id"],
    "ix_statements_institution_seq": ["seq"],
    "ix_statements_owner": ["owner_key", "seq"],
    "ix_statements_verb": ["verb_key", "seq"],
    "ix_statements_activity": ["activity_key", "seq"],
    "ix_statements_registration": ["registration", "seq"],
    "ix_statements_stored": ["stored", "seq"],
}
VOIDING = sa.text("voids IS NOT NULL")
STATEMENT_COLUMNS = ("seq, institution_id, id, stored, owner_key, verb_key,"
                     " activity_key, registration, voids, voided, fingerprint, body")


def upgrade() -> None:
    op.create_table(
        "statement_ids",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _partition()
    else:
        _plain()
    op.execute("INSERT INTO statement_ids (institution_id, id, stored)"
               " SELECT institution_id, id, stored FROM statements")


def _plain() -> None:
    op.drop_index("ux_statements_institution_id", table_name="statements")
    op.create_index("ix_statements_id", "statements", ["institution_id", "id"])
    # the key changes: a new table, its rows copied with their statement's stored
    op.create_table(
        "statement_links_0003",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("seq", SEQ, autoincrement=False, nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "kind", "key", "seq", "stored"),
    )
    op.execute("INSERT INTO statement_links_0003 (institution_id, kind, key, seq,"
               " stored) SELECT l.institution_id, l.kind, l.key, l.seq, s.stored"
               " FROM statement_links l JOIN statements s ON s.seq = l.seq")
    op.drop_table("statement_links")
    op.rename_table("statement_links_0003", "statement_links")


def _partition() -> None:
    conn = op.get_bind()
    op.rename_table("statements", "statements_0001")
    op.rename_table("statement_links", "statement_links_0001")
    # the old table's sequence numbers the new one: seq goes on where it was
    op.execute("ALTER SEQUENCE statements_seq_seq OWNED BY NONE")
    op.execute("""
        CREATE TABLE statements (
            seq bigint NOT NULL DEFAULT nextval('statements_seq_seq'),
            institution_id varchar(36) NOT NULL, id varchar(36) NOT NULL,
            stored timestamptz NOT NULL, owner_key varchar(32) NOT NULL,
            verb_key varchar(32) NOT NULL, activity_key varchar(32),
            registration varchar(36), voids varchar(36), voided boolean NOT NULL,
            fingerprint varchar(64) NOT NULL, body text NOT NULL
        ) PARTITION BY RANGE (stored)""")
    op.execute("""
        CREATE TABLE statement_links (
            institution_id varchar(36) NOT NULL, kind varchar(1) NOT NULL,
            key varchar(32) NOT NULL, seq bigint NOT NULL,
            stored timestamptz NOT NULL
        ) PARTITION BY RANGE (stored)""")
    first, last = conn.execute(sa.text(
        "SELECT min(stored), max(stored) FROM statements_0001")).one()
    # the months the rows span and those after the last, then the safety net; the
    # months of the service's own clock are made by the start that runs this
    # revision (service.partitions_at_start): a revision reads no clock of its own
    if first is not None:
        partitions.ensure(conn, last, since=first)
    for table in partitions.TABLES:
        partitions.make_default(conn, table)
    op.execute(f"INSERT INTO statements ({STATEMENT_COLUMNS})"
               f" SELECT {STATEMENT_COLUMNS} FROM statements_0001")
    op.execute("INSERT INTO statement_links (institution_id, kind, key, seq, stored)"
               " SELECT l.institution_id, l.kind, l.key, l.seq, s.stored"
               " FROM statement_links_0001 l JOIN statements_0001 s USING (seq)")
    op.drop_table("statement_links_0001")
    op.drop_table("statements_0001")
    op.execute("ALTER SEQUENCE statements_seq_seq OWNED BY statements.seq")
    op.execute("ALTER TABLE statements ADD CONSTRAINT pk_statements"
               " PRIMARY KEY (seq, stored)")
    op.execute("ALTER TABLE statement_links ADD CONSTRAINT pk_statement_links"
               " PRIMARY KEY (institution_id, kind, key, seq, stored)")
    for name, columns in INDEXES.items():
        op.create_index(name, "statements", ["institution_id", *columns])
    op.create_index("ix_statements_voids", "statements", ["institution_id", "voids"],
                    postgresql_where=VOIDING)


def downgrade() -> None:
    raise NotImplementedError(
        "the statements stay partitioned: restore the backup taken before upgrading")
