"""kept answers sealed, Idempotency-Keys hashed

Revision 0014 of gateway's history, after 0013 (decision 0066). The schema stays (the
previous release's copies use it during a rolling update); the rows change: each raw
``key`` becomes ``sealing.key_digest(principal, key)``, so a retry in flight across
the upgrade still finds its row, and each kept answer (status, headers, body) is
sealed with its raw key, so no secret stays in clear for the rest of its 24 hours.

The rows are read, deleted and written again rather than updated in place: a raw key
that happened to equal another row's digest would otherwise collide mid-way.
"""

import json

import sqlalchemy as sa
from alembic import op

# the store's own digest and seal, not copies: these rows must be what it finds and
# opens (a later change of format is a revision of its own, sealing.VERSION)
from gateway.idempotency import KEPT_HEADERS, Answer, sealed
from gateway.sealing import key_digest

revision = "0014"
down_revision = "0013"

# no types on the columns copied as they are: each comes back as the driver gave it
ROWS = sa.table("idempotent_requests", sa.column("principal"), sa.column("key"),
                sa.column("fingerprint"), sa.column("status"), sa.column("body"),
                sa.column("headers", sa.JSON()), sa.column("created_at"),
                sa.column("expires_at"))


def upgrade() -> None:
    conn = op.get_bind()
    rows = [row._asdict() for row in conn.execute(sa.select(ROWS))]
    if not rows:
        return
    for row in rows:
        raw_key, headers = row["key"], row["headers"]
        if isinstance(headers, str):  # SQLite's JSON, as the driver gives it
            headers = json.loads(headers)
        row["key"] = key_digest(row["principal"], raw_key)
        if row["status"] is not None:
            kept = {k: v for k, v in (headers or {}).items() if k in KEPT_HEADERS}
            row["body"] = sealed(raw_key, row["principal"],
                                 Answer(row["status"], row["body"] or "", kept))
        row["headers"] = None
    conn.execute(sa.delete(ROWS))
    conn.execute(sa.insert(ROWS), rows)


def downgrade() -> None:
    # the raw keys cannot be had back from their digests, nor the answers without
    # them: the previous release would find no row, so none is left to mislead it
    op.get_bind().execute(sa.delete(ROWS))
