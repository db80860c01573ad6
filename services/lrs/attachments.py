"""Attachments' data (Data 2.4.11): stored once per institution and SHA-2, with the
statements that name them, and read back by hash for a GET with
``attachments=true`` (decision 0060).

Plain functions on a Session; no nameko here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.bulk import insert_ignore_statement

from .contracts.errors import Invalid
from .contracts.rpc import ATTACHMENTS_READ_MAX_BYTES
from .contracts.statements import Part, attachment_objects, part_violations
from .models import Attachment

TABLE = Attachment.__table__
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def check(statements: list[dict], parts: list[Part]) -> None:
    """The parts go with the statements (``contracts.statements.part_violations``);
    paths as the batch's, ``[n].attachments[i]``."""
    found = part_violations(statements, parts)
    if found:
        raise Invalid([v.as_dict() for v in found])


def store(session: Session, institution_id: str, statements: list[dict],
          parts: list[Part], now: datetime) -> None:
    """Each part's data, unless the institution holds that hash already (the same
    bytes, by definition of the hash): a resent attachment costs no write."""
    if not parts:
        return
    declared = {item["sha2"].lower(): item.get("contentType")
                for statement in statements
                for _, item in attachment_objects(statement)}
    rows = {}
    for part in parts:
        sha2 = part.sha2.strip().lower()
        rows[sha2] = {"institution_id": institution_id, "sha2": sha2,
                      "content_type": part.content_type or declared.get(sha2)
                      or DEFAULT_CONTENT_TYPE,
                      "length": len(part.content), "content": part.content,
                      "stored": now}
    session.execute(insert_ignore_statement(session.bind.dialect.name, TABLE),
                    list(rows.values()))


def read(session: Session, institution_id: str, sha2s: list[str]) -> list[dict]:
    """The data the institution holds of these hashes, in the order asked (a hash
    with no data, an attachment sent with a fileUrl only, is left out). More than
    ATTACHMENTS_READ_MAX_BYTES in all is refused before any is read: one answer
    (one RPC reply) stays bounded."""
    wanted = [sha2.lower() for sha2 in sha2s]
    if not wanted:
        return []
    total = session.scalar(select(func.coalesce(func.sum(Attachment.length), 0)).where(
        Attachment.institution_id == institution_id, Attachment.sha2.in_(wanted)))
    if total > ATTACHMENTS_READ_MAX_BYTES:
        raise Invalid([{"path": "attachments", "rule": "query.attachments-too-large",
                        "detail": f"these statements' attachments hold {total} "
                                  f"bytes, more than the {ATTACHMENTS_READ_MAX_BYTES} "
                                  "one answer carries: ask fewer statements "
                                  "(limit)"}])
    found = {row.sha2: row for row in session.execute(
        select(Attachment.sha2, Attachment.content_type, Attachment.content).where(
            Attachment.institution_id == institution_id,
            Attachment.sha2.in_(wanted)))}
    return [{"sha2": sha2, "content_type": found[sha2].content_type,
             "content": found[sha2].content} for sha2 in dict.fromkeys(wanted)
            if sha2 in found]
