"""Reading statements: one by id, or a page of a filtered query with keyset paging
(decision 0051).

Plain functions on a Session; no nameko here. A page is ordered by ``seq`` (stored
order), newest first unless ``ascending``. Its ``more`` token carries the query, the
highest ``seq`` stored when the first page was read (the ceiling) and the last
``seq`` returned: later pages read below (or above) that, under the ceiling, so a
paging never repeats nor skips a statement while new ones arrive, and page 1,000
costs what page 1 costs (no OFFSET).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from services.common import jsoncodec

from .contracts.errors import Invalid, NotFound
from .contracts.rpc import PAGE_MAX
from .formats import shaped
from .keys import activity_key, agent_key, digest, verb_key
from .models import Statement, StatementId, StatementLink

DEFINITION_LOOKBACK = 20  # statements read for an activity's definition
# far more than a statement's stored time can precede its numbering (_seq_near)
STORED_MARGIN = timedelta(minutes=5)
# how far _seq_near looks past its moment: a month and a day, so that its lookup
# reads the one or two months about the moment, never every partition
NEAR_WINDOW = timedelta(days=32)
FILTERS = ("owner", "agent", "verb", "activity", "registration", "since", "until",
           "ascending", "format", "limit", "languages", "related_agents",
           "related_activities")


@dataclass(frozen=True)
class Page:
    statements: list[dict]
    more: str | None


def get_statement(session: Session, institution_id: str, statement_id: str,
                  voided: bool = False, owner: str | None = None,
                  format: str = "exact", languages: tuple[str, ...] = ()) -> dict:
    """By ``statementId`` (never a voided one) or by ``voidedStatementId`` (only a
    voided one)."""
    ident = statement_id.lower()
    # its month, from statement_ids: PostgreSQL reads that partition alone
    stored = select(StatementId.stored).where(
        StatementId.institution_id == institution_id, StatementId.id == ident)
    query = select(Statement.body, Statement.voided).where(
        Statement.institution_id == institution_id, Statement.id == ident,
        Statement.stored == stored.scalar_subquery())
    if owner is not None:
        query = query.where(Statement.owner_key == digest("owner", owner))
    found = session.execute(query).first()
    if found is None or found.voided != voided:
        kind = "voidedStatementId" if voided else "statementId"
        raise NotFound([{"path": kind, "rule": "statement.not-found", "detail":
                         f"no {'voided ' if voided else ''}statement {statement_id}"}])
    return shaped(jsoncodec.loads(found.body), format, languages)


def query_statements(session: Session, institution_id: str, filters: dict,
                     more: str | None = None) -> Page:
    """One page; ``filters`` as the RPC's QueryStatements (dates as datetimes)."""
    if more is not None:
        filters, ceiling, after = _read_token(more)
    else:
        filters = {k: v for k, v in filters.items() if k in FILTERS and v is not None}
        ceiling = session.scalar(select(func.max(Statement.seq)).where(
            Statement.institution_id == institution_id)) or 0
        after = None
    limit = min(filters.get("limit") or PAGE_MAX, PAGE_MAX)
    ascending = bool(filters.get("ascending"))
    links, conditions = _conditions(institution_id, filters)
    # the stored order comes from the first link filter's index when there is one
    # (its rows are few), else from the statements' own
    seq = Statement.seq
    query = select(Statement.seq, Statement.body).where(
        Statement.institution_id == institution_id, Statement.voided.is_(False),
        *conditions)
    for n, (kind, key) in enumerate(links):
        link = aliased(StatementLink)
        query = query.join(link, (link.seq == Statement.seq)
                           & (link.stored == Statement.stored)).where(
            link.institution_id == institution_id, link.kind == kind, link.key == key,
            # PostgreSQL prunes each table's months by its own bounds only
            *_stored_bounds(link.stored, filters))
        if n == 0:
            seq = link.seq
    query = query.where(seq <= ceiling)
    if after is not None:
        query = query.where(seq > after if ascending else seq < after)
    order = seq.asc() if ascending else seq.desc()
    rows = session.execute(query.order_by(order).limit(limit + 1)).all()
    token = None
    if len(rows) > limit:
        rows = rows[:limit]
        token = _token(filters, ceiling, rows[-1].seq)
    languages = tuple(filters.get("languages") or ())
    return Page([shaped(jsoncodec.loads(row.body), filters.get("format", "exact"),
                        languages)
                 for row in rows], token)


def _conditions(institution_id: str,
                filters: dict) -> tuple[list[tuple[str, str]], list]:
    """The link filters ((kind, key): ``models.StatementLink``) and the others."""
    found, links = [], []
    if filters.get("owner"):
        found.append(Statement.owner_key == digest("owner", filters["owner"]))
    if filters.get("agent") is not None:
        key = agent_key(filters["agent"])
        if key is None:
            raise Invalid([{"path": "agent", "rule": "query.agent-identified",
                            "detail": "agent must be an Agent or an identified Group "
                                      "(with one inverse functional identifier)"}])
        links.append(("r" if filters.get("related_agents") else "a", key))
    if filters.get("verb"):
        found.append(Statement.verb_key == verb_key(filters["verb"]))
    if filters.get("activity"):
        key = activity_key(filters["activity"])
        if filters.get("related_activities"):
            links.append(("c", key))
        else:
            found.append(Statement.activity_key == key)
    if filters.get("registration"):
        found.append(Statement.registration == filters["registration"].lower())
    found += _stored_bounds(Statement.stored, filters)
    if filters.get("since") is not None:
        since = _moment(filters["since"])
        found += [Statement.seq > _seq_near(institution_id, since - STORED_MARGIN,
                                            before=True)]
    if filters.get("until") is not None:
        until = _moment(filters["until"])
        found += [Statement.seq < _seq_near(institution_id, until + STORED_MARGIN,
                                            before=False)]
    return links, found


def _stored_bounds(stored, filters: dict) -> list:
    """``since``/``until`` on a ``stored`` column: on PostgreSQL, they leave out the
    months outside them (partition pruning, decision 0061)."""
    bounds = []
    if filters.get("since") is not None:
        bounds.append(stored > _moment(filters["since"]))
    if filters.get("until") is not None:
        bounds.append(stored <= _moment(filters["until"]))
    return bounds


def _seq_near(institution_id: str, moment: datetime, before: bool):
    """A bound on ``seq`` for a bound on ``stored``, from one lookup in the
    (institution, stored, seq) index: the last statement stored at or before
    ``moment`` (``before``), or the first one after it.

    A statement takes its ``stored`` time, then is inserted (and numbered) within
    seconds (store.py: every SQL statement under a 2 s timeout). So a statement
    stored at least STORED_MARGIN before another was numbered before it: every
    statement stored after ``since`` has a greater ``seq`` than the last one stored
    by ``since - STORED_MARGIN``, and every one stored by ``until`` a smaller one
    than the first stored after ``until + STORED_MARGIN``. Exact bounds, which let a
    since/until range be read in stored order without scanning what lies outside.

    The lookup reads NEAR_WINDOW about the moment only (on PostgreSQL, those
    months' partitions): none stored in it, no bound on ``seq`` is needed, as the
    ``stored`` bound leaves out all a month's partition holds on that side."""
    inner = select(Statement.seq).where(Statement.institution_id == institution_id)
    if before:
        inner = inner.where(Statement.stored <= moment,
                            Statement.stored > moment - NEAR_WINDOW).order_by(
            Statement.stored.desc(), Statement.seq.desc())
        default = 0
    else:
        inner = inner.where(Statement.stored > moment,
                            Statement.stored <= moment + NEAR_WINDOW).order_by(
            Statement.stored.asc(), Statement.seq.asc())
        default = 2**62
    return func.coalesce(inner.limit(1).scalar_subquery(), default)


def _moment(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _token(filters: dict, ceiling: int, after: int) -> str:
    plain = {k: v.isoformat() if isinstance(v, datetime) else v
             for k, v in filters.items()}
    raw = orjson.dumps({"f": plain, "c": ceiling, "a": after})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_token(token: str) -> tuple[dict, int, int]:
    try:
        raw = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        filters, ceiling, after = raw["f"], int(raw["c"]), int(raw["a"])
        if not isinstance(filters, dict):
            raise ValueError(filters)
        for key in ("since", "until"):
            if filters.get(key) is not None:
                filters[key] = datetime.fromisoformat(filters[key])
    except (ValueError, TypeError, KeyError, orjson.JSONDecodeError):
        raise Invalid([{"path": "more", "rule": "query.more-token",
                        "detail": "not a 'more' link this LRS gave"}]) from None
    return {k: v for k, v in filters.items() if k in FILTERS}, ceiling, after


def activity(session: Session, institution_id: str, activity_id: str) -> dict:
    """The Activity Object as the LRS knows it: the definition its latest statement
    gave (a later statement's definition wins, as xAPI lets an LRS choose), or its
    id alone when no statement defined it."""
    bodies = session.scalars(select(Statement.body).where(
        Statement.institution_id == institution_id,
        Statement.activity_key == activity_key(activity_id),
    ).order_by(Statement.seq.desc()).limit(DEFINITION_LOOKBACK))
    for body in bodies:
        target = jsoncodec.loads(body)["object"]
        if target.get("definition"):
            return {"objectType": "Activity", "id": activity_id,
                    "definition": target["definition"]}
    return {"objectType": "Activity", "id": activity_id}
