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
from datetime import datetime

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common import jsoncodec

from .contracts.errors import Invalid, NotFound
from .contracts.rpc import PAGE_MAX
from .formats import shaped
from .keys import activity_key, agent_key, digest, verb_key
from .models import Statement, StatementLink

DEFINITION_LOOKBACK = 20  # statements read for an activity's definition
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
    query = select(Statement.body, Statement.voided).where(
        Statement.institution_id == institution_id,
        Statement.id == statement_id.lower())
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
    query = select(Statement.seq, Statement.body).where(
        Statement.institution_id == institution_id, Statement.voided.is_(False),
        Statement.seq <= ceiling)
    query = query.where(*_conditions(filters))
    if after is not None:
        query = query.where(
            Statement.seq > after if ascending else Statement.seq < after)
    order = Statement.seq.asc() if ascending else Statement.seq.desc()
    rows = session.execute(query.order_by(order).limit(limit + 1)).all()
    token = None
    if len(rows) > limit:
        rows = rows[:limit]
        token = _token(filters, ceiling, rows[-1].seq)
    languages = tuple(filters.get("languages") or ())
    return Page([shaped(jsoncodec.loads(row.body), filters.get("format", "exact"),
                        languages)
                 for row in rows], token)


def _conditions(filters: dict) -> list:
    found = []
    if filters.get("owner"):
        found.append(Statement.owner_key == digest("owner", filters["owner"]))
    if filters.get("agent") is not None:
        key = agent_key(filters["agent"])
        if key is None:
            raise Invalid([{"path": "agent", "rule": "query.agent-identified",
                            "detail": "agent must be an Agent or an identified Group "
                                      "(with one inverse functional identifier)"}])
        found.append(_linked("r" if filters.get("related_agents") else "a", key))
    if filters.get("verb"):
        found.append(Statement.verb_key == verb_key(filters["verb"]))
    if filters.get("activity"):
        key = activity_key(filters["activity"])
        found.append(_linked("c", key) if filters.get("related_activities")
                     else Statement.activity_key == key)
    if filters.get("registration"):
        found.append(Statement.registration == filters["registration"].lower())
    if filters.get("since") is not None:
        found.append(Statement.stored > _moment(filters["since"]))
    if filters.get("until") is not None:
        found.append(Statement.stored <= _moment(filters["until"]))
    return found


def _linked(kind: str, key: str):
    """The statements whose links (``models.StatementLink``) name ``key``."""
    return Statement.seq.in_(select(StatementLink.seq).where(
        StatementLink.institution_id == Statement.institution_id,
        StatementLink.kind == kind, StatementLink.key == key))


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
