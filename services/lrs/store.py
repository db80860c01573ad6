"""Storing a batch of statements: one insert of the ids (where an id is unique per
institution, across months: decision 0061), one of the new statements, one of their
links; idempotent on each statement's id; and voiding (decision 0051).

Plain functions on a Session, with ``now`` passed in; no nameko here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common import jsoncodec
from services.common.bulk import bulk_insert
from services.common.ids import new_ids

from . import attachments as attachment_data
from .contracts.errors import Conflict, Invalid, LrsError
from .contracts.statements import VOIDED, Part, StatementInvalid, check_statements
from .keys import digest, fingerprint, links, object_activity_key, verb_key
from .models import Statement, StatementId, StatementLink

TABLE = Statement.__table__
IDS = StatementId.__table__
LINKS = StatementLink.__table__
DEFAULT_VERSION = "1.0.0"  # a statement sent without one (Data 2.4.10)


@dataclass(frozen=True)
class Stored:
    ids: list[str]  # every statement's id, in the order given
    new: list[dict]  # the payloads of statement.stored.v1, one per new statement


def stamp(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def store_statements(session: Session, institution_id: str, authority: dict,
                     owner: str, statements: list[dict], now: datetime,
                     attachments: list[Part] = ()) -> Stored:
    """``attachments``: the data of the statements' attachments (decision 0060),
    stored with them."""
    try:
        check_statements(statements)
    except StatementInvalid as refused:
        raise Invalid([v.as_dict() for v in refused.violations]) from None
    attachment_data.check(statements, list(attachments))
    fresh = iter(new_ids(sum(1 for s in statements if "id" not in s)))
    # the column holds what the statement says: a "since" read from it is exact
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    stored = stamp(now)
    rows = []
    for statement in statements:
        ident = statement["id"].lower() if "id" in statement else next(fresh)
        body = {**statement, "id": ident, "stored": stored, "authority": authority,
                "timestamp": statement.get("timestamp", stored),
                "version": statement.get("version", DEFAULT_VERSION)}
        target = statement["object"]
        voiding = statement["verb"]["id"] == VOIDED
        context = statement.get("context") or {}
        rows.append({
            "institution_id": institution_id, "id": ident, "stored": now,
            "owner_key": digest("owner", owner),
            "verb_key": verb_key(statement["verb"]["id"]),
            "activity_key": object_activity_key(target),
            "registration": (context.get("registration") or "").lower() or None,
            "voids": target["id"].lower() if voiding else None,
            "voided": False,
            "fingerprint": fingerprint(statement), "body": jsoncodec.dumps(body),
            "statement": body,
        })
    ids = [row["id"] for row in rows]
    statements_of = {row["id"]: row.pop("statement") for row in rows}
    _check_voiding(session, institution_id, rows)
    # the ids first: their table is where an id is unique across months (decision
    # 0061); the ids it did not take were stored already
    taken = {ident for (ident,) in bulk_insert(
        session.connection(), IDS,
        [{"institution_id": institution_id, "id": ident, "stored": now}
         for ident in ids],
        ignore_conflicts=True, returning=("id",), expect_new=True)}
    if len(taken) < len(rows):
        _check_resent(session, institution_id, rows, taken)
    new = [row for row in rows if row["id"] in taken]
    inserted = dict(bulk_insert(session.connection(), TABLE, new,
                                returning=("id", "seq")))
    bulk_insert(session.connection(), LINKS, [
        {"institution_id": institution_id, "kind": kind, "key": key,
         "seq": inserted[row["id"]], "stored": now}
        for row in new for kind, key in links(statements_of[row["id"]])])
    _void(session, institution_id, new)
    attachment_data.store(session, institution_id, statements, list(attachments), now)
    return Stored(ids, [{"statement_id": row["id"], "institution_id": institution_id,
                         "stored": now, "statement": statements_of[row["id"]]}
                        for row in new])


def _check_resent(session: Session, institution_id: str, rows: list[dict],
                  inserted: set[str]) -> None:
    """Statements whose id is stored already: the same content is a no-op, other
    content a conflict (and nothing of the batch is stored)."""
    known = dict(session.execute(
        select(Statement.id, Statement.fingerprint).where(
            Statement.institution_id == institution_id,
            Statement.id.in_([r["id"] for r in rows if r["id"] not in inserted]))
    ).all())
    clashes = [{"path": f"[{n}].id", "rule": "statement.id-immutable",
                "detail": f"statement {row['id']} is stored already with other content"}
               for n, row in enumerate(rows)
               if row["id"] not in inserted
               and known.get(row["id"]) not in (None, row["fingerprint"])]
    if clashes:
        raise Conflict(clashes)


def _check_voiding(session: Session, institution_id: str, rows: list[dict]) -> None:
    """A voiding statement cannot be voided (Data 2.3.2)."""
    targets = {row["voids"] for row in rows if row["voids"]}
    if not targets:
        return
    voiding = {row["id"] for row in rows if row["voids"]} | set(session.scalars(
        select(Statement.id).where(
            Statement.institution_id == institution_id, Statement.id.in_(targets),
            Statement.voids.is_not(None))))
    refused = [{"path": f"[{n}].object.id", "rule": "voiding.target-not-voiding",
                "detail": "a voiding statement cannot be voided"}
               for n, row in enumerate(rows) if row["voids"] in voiding]
    if refused:
        raise Invalid(refused)


def _void(session: Session, institution_id: str, new: list[dict]) -> None:
    """The new voiding statements void their targets; a new statement that an
    earlier voiding statement targets is voided as it arrives."""
    targets = {row["voids"] for row in new if row["voids"]}
    arrived = [row["id"] for row in new if not row["voids"]]
    if arrived:
        targets |= set(session.scalars(select(Statement.voids).where(
            Statement.institution_id == institution_id,
            Statement.voids.in_(arrived))))
    if targets:
        session.execute(update(Statement).where(
            Statement.institution_id == institution_id, Statement.id.in_(targets),
            Statement.voids.is_(None)).values(voided=True))


def store_each(session: Session, requests: list[dict], now: datetime) -> list:
    """Several callers' requests in one transaction, each in a savepoint of its own:
    each outcome is its :class:`Stored` or its error (``LrsError``), and one caller's
    refusal takes nothing of another's."""
    outcomes: list = []
    for request in requests:
        try:
            with session.begin_nested():
                outcomes.append(store_statements(session, now=now, **request))
        except LrsError as refused:
            outcomes.append(refused)
    return outcomes
