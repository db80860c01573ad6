"""Storing a batch of statements: one insert of the ids (where an id is unique per
institution, across months: decision 0061), one of the new statements, one of their
links; idempotent on each statement's id; and voiding (decision 0051).

Several callers' requests sent together (``write_together``) are written by those same
three inserts when none is refused, so a statement sent alone costs a share of one
write rather than a write of its own (decision 0065).

Plain functions on a Session, with ``now`` passed in; no nameko here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import literal_column, select, update
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
# returned by the ids' insert for each id it takes: whether a voiding statement
# stored earlier targets it, so it is voided as it arrives (Data 2.3.2). Asked by
# the insert itself rather than by a query after it: one round trip less a write.
VOIDED_ON_ARRIVAL = literal_column(
    "EXISTS (SELECT 1 FROM statements AS earlier"
    " WHERE earlier.institution_id = statement_ids.institution_id"
    " AND earlier.voids = statement_ids.id)")


@dataclass(frozen=True)
class Stored:
    ids: list[str]  # every statement's id, in the order given
    # one per new statement: its institution, stored, body and size as stored (JSON)
    new: list[dict]


@dataclass
class _Request:
    """One caller's statements, checked and made into rows (not written yet)."""

    institution_id: str
    rows: list[dict]  # Statement rows, in the order given
    bodies: dict[str, dict]  # id -> the statement as stored
    statements: list[dict]
    attachments: list[Part]
    new: set[str] = field(default_factory=set)  # the ids its last write stored


def stamp(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_millisecond(now: datetime) -> datetime:
    # the column holds what the statement says: a "since" read from it is exact
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def store_statements(session: Session, institution_id: str, authority: dict,
                     owner: str, statements: list[dict], now: datetime,
                     attachments: list[Part] = ()) -> Stored:
    """``attachments``: the data of the statements' attachments (decision 0060),
    stored with them."""
    now = to_millisecond(now)
    request = _prepared(institution_id, authority, owner, statements, now,
                        list(attachments))
    _write(session, [request], now)
    return _stored(request)


def _prepared(institution_id: str, authority: dict, owner: str,
              statements: list[dict], now: datetime,
              attachments: list[Part]) -> _Request:
    """The request checked (``Invalid``) and made into rows."""
    try:
        check_statements(statements)
    except StatementInvalid as refused:
        raise Invalid([v.as_dict() for v in refused.violations]) from None
    attachment_data.check(statements, attachments)
    fresh = iter(new_ids(sum(1 for s in statements if "id" not in s)))
    stored = stamp(now)
    owner_key = digest("owner", owner)
    rows, bodies = [], {}
    for statement in statements:
        ident = statement["id"].lower() if "id" in statement else next(fresh)
        body = {**statement, "id": ident, "stored": stored, "authority": authority,
                "timestamp": statement.get("timestamp", stored),
                "version": statement.get("version", DEFAULT_VERSION)}
        target = statement["object"]
        voiding = statement["verb"]["id"] == VOIDED
        context = statement.get("context") or {}
        bodies[ident] = body
        rows.append({
            "institution_id": institution_id, "id": ident, "stored": now,
            "owner_key": owner_key,
            "verb_key": verb_key(statement["verb"]["id"]),
            "activity_key": object_activity_key(target),
            "registration": (context.get("registration") or "").lower() or None,
            "voids": target["id"].lower() if voiding else None,
            "voided": False,
            "fingerprint": fingerprint(statement), "body": jsoncodec.dumps(body),
        })
    return _Request(institution_id, rows, bodies, statements, attachments)


def _write(session: Session, requests: list[_Request], now: datetime) -> None:
    """The requests' statements in three inserts (ids, statements, links), checked
    against what is stored (voiding, resent ids); each request's ``new`` set to the
    ids it stored. A refusal (``Invalid``, ``Conflict``) leaves the transaction to be
    rolled back."""
    rows = [row for request in requests for row in request.rows]
    by_institution: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_institution[row["institution_id"]].append(row)
    for institution_id, theirs in by_institution.items():
        _check_voiding(session, institution_id, theirs)
    # the ids first: their table is where an id is unique across months (decision
    # 0061); the ids it did not take were stored already
    returned = bulk_insert(
        session.connection(), IDS,
        [{"institution_id": row["institution_id"], "id": row["id"], "stored": now}
         for row in rows],
        ignore_conflicts=True, returning=("institution_id", "id", VOIDED_ON_ARRIVAL),
        expect_new=True)
    taken = {(institution_id, ident) for institution_id, ident, _ in returned}
    voided_on_arrival: dict[str, set[str]] = defaultdict(set)
    for institution_id, ident, voided in returned:
        if voided:
            voided_on_arrival[institution_id].add(ident)
    for request in requests:
        request.new = {row["id"] for row in request.rows
                       if (request.institution_id, row["id"]) in taken}
    if len(taken) < len(rows):
        for institution_id, theirs in by_institution.items():
            _check_resent(session, institution_id, theirs, taken)
    new = [(request, row) for request in requests for row in request.rows
           if row["id"] in request.new]
    inserted = {(i, ident): seq for i, ident, seq in bulk_insert(
        session.connection(), TABLE, [row for _, row in new],
        returning=("institution_id", "id", "seq"))}
    bulk_insert(session.connection(), LINKS, [
        {"institution_id": request.institution_id, "kind": kind, "key": key,
         "seq": inserted[request.institution_id, row["id"]], "stored": now}
        for request, row in new for kind, key in links(request.bodies[row["id"]])])
    for institution_id, theirs in by_institution.items():
        _void(session, institution_id,
              {row["voids"] for row in theirs
               if row["voids"] and (institution_id, row["id"]) in taken}
              | voided_on_arrival[institution_id])
    for request in requests:
        attachment_data.store(session, request.institution_id, request.statements,
                              request.attachments, now)


def _stored(request: _Request) -> Stored:
    return Stored([row["id"] for row in request.rows],
                  [{"statement_id": row["id"], "institution_id": request.institution_id,
                    "stored": row["stored"], "statement": request.bodies[row["id"]],
                    "size": len(row["body"])}
                   for row in request.rows if row["id"] in request.new])


def _check_resent(session: Session, institution_id: str, rows: list[dict],
                  taken: set[tuple[str, str]]) -> None:
    """Statements whose id is stored already (not ``taken`` by this write): the same
    content is a no-op, other content a conflict (and nothing of the batch is
    stored)."""
    resent = {row["id"] for row in rows if (institution_id, row["id"]) not in taken}
    known = dict(session.execute(
        select(Statement.id, Statement.fingerprint).where(
            Statement.institution_id == institution_id,
            Statement.id.in_(sorted(resent)))
    ).all())
    clashes = [{"path": f"[{n}].id", "rule": "statement.id-immutable",
                "detail": f"statement {row['id']} is stored already with other content"}
               for n, row in enumerate(rows)
               if row["id"] in resent
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


def _void(session: Session, institution_id: str, targets: set[str]) -> None:
    """``targets`` voided: those of the new voiding statements, and the new
    statements an earlier voiding statement targets (``VOIDED_ON_ARRIVAL``)."""
    if targets:
        session.execute(update(Statement).where(
            Statement.institution_id == institution_id, Statement.id.in_(targets),
            Statement.voids.is_(None)).values(voided=True))


@dataclass
class Each:
    """Several callers' requests, each checked: ``outcomes[n]`` is a refused one's
    error (``LrsError``), its :class:`Stored` once written, None until then."""

    outcomes: list
    prepared: list[tuple[int, _Request]]
    now: datetime  # to the millisecond, as their rows say

    @property
    def together(self) -> bool:
        """Whether they may be written together: more than one, and no statement
        named by two (which came first would matter)."""
        keys = [(r.institution_id, row["id"]) for _, r in self.prepared
                for row in r.rows]
        return len(self.prepared) > 1 and len(set(keys)) == len(keys)

    def stored(self) -> list[Stored]:
        return [o for o in self.outcomes if isinstance(o, Stored)]


def prepare_each(requests: list[dict], now: datetime) -> Each:
    """Each request checked on its own (a refused one is answered and left out)."""
    now = to_millisecond(now)
    outcomes: list = [None] * len(requests)
    prepared: list[tuple[int, _Request]] = []
    for n, request in enumerate(requests):
        try:
            prepared.append((n, _prepared(now=now, **{
                **request, "attachments": list(request.get("attachments") or ())})))
        except LrsError as refused:
            outcomes[n] = refused
    return Each(outcomes, prepared, now)


def write_together(session: Session, each: Each) -> None:
    """The checked requests by one set of inserts. Refused (an id resent with other
    content, a voiding statement voided), it raises ``LrsError`` with the session's
    transaction to be rolled back: then ``write_one_by_one`` in a new one."""
    _write(session, [r for _, r in each.prepared], each.now)
    for n, request in each.prepared:
        each.outcomes[n] = _stored(request)


def write_one_by_one(session: Session, each: Each) -> None:
    """The checked requests one after the other, each in a savepoint of its own, as
    if sent one after the other: one caller's refusal takes nothing of another's."""
    for n, request in each.prepared:
        try:
            with session.begin_nested():
                _write(session, [request], each.now)
            each.outcomes[n] = _stored(request)
        except LrsError as refused:
            each.outcomes[n] = refused
