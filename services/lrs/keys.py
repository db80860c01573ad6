"""What a statement is filtered by, as short digests; and its fingerprint.

Plain code. A query's ``agent``, ``verb`` and ``activity`` become the same digests
as the columns they are compared with (``models.Statement``).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

from .contracts.statements import IFIS

# set by the LRS, so not part of what a client's resend is compared on
SET_BY_LRS = ("stored", "authority", "version")


def digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\x1f{value}".encode()).hexdigest()[:32]


def agent_key(agent: Any) -> str | None:
    """An Agent's or identified Group's identity; None for an anonymous Group."""
    if not isinstance(agent, dict):
        return None
    for ifi in IFIS:
        if ifi in agent:
            value = agent[ifi]
            if ifi == "account":
                value = f"{value.get('homePage')}\x1f{value.get('name')}"
            return digest(ifi, str(value))
    return None


def verb_key(verb_id: str) -> str:
    return digest("verb", verb_id)


def activity_key(activity_id: str) -> str:
    return digest("activity", activity_id)


def object_activity_key(target: dict) -> str | None:
    """The activity filter's key of a statement's object (None: not an Activity)."""
    if target.get("objectType", "Activity") == "Activity":
        return activity_key(target["id"])
    return None


def _agents(value: Any) -> set[str]:
    """An Agent's or Group's key, and its members' (anonymous Groups have none)."""
    if not isinstance(value, dict) or value.get("objectType", "Agent") not in (
            "Agent", "Group"):
        return set()
    found = {key for key in [agent_key(value)] if key}
    for member in value.get("member") or ():
        found |= _agents(member)
    return found


def _activities(statement: dict) -> set[str]:
    found = {key for key in [object_activity_key(statement["object"])] if key}
    kinds = (statement.get("context") or {}).get("contextActivities") or {}
    for items in kinds.values():
        for item in items if isinstance(items, list) else [items]:
            found.add(activity_key(item["id"]))
    return found


def links(statement: dict) -> set[tuple[str, str]]:
    """(kind, key) of what a statement names (``models.StatementLink``)."""
    target, context = statement["object"], statement.get("context") or {}
    agents = _agents(statement["actor"]) | _agents(target)
    related = agents | _agents(statement.get("authority")) | _agents(
        context.get("instructor")) | _agents(context.get("team"))
    activities = _activities(statement)
    if target.get("objectType") == "SubStatement":
        inner = target.get("context") or {}
        related |= _agents(target["actor"]) | _agents(target["object"]) | _agents(
            inner.get("instructor")) | _agents(inner.get("team"))
        activities |= _activities(target)
    return ({("a", key) for key in agents} | {("r", key) for key in related}
            | {("c", key) for key in activities})


def _normal(value: Any, key: str = "") -> Any:
    """What two statements that match (xAPI's comparison rules) share: ids in
    lower case, a Group's members in any order, a timestamp at any offset."""
    if isinstance(value, dict):
        return {k: _normal(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_normal(v) for v in value]
        if key == "member":
            items.sort(key=lambda item: orjson.dumps(item, option=orjson.OPT_SORT_KEYS))
        return items
    if key in ("id", "registration") and isinstance(value, str) and len(value) == 36:
        return value.lower()
    if key == "timestamp" and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return value


def fingerprint(statement: dict) -> str:
    """The same for a statement and its resend, different for other content."""
    sent = {k: v for k, v in statement.items() if k not in SET_BY_LRS}
    return hashlib.sha256(
        orjson.dumps(_normal(sent), option=orjson.OPT_SORT_KEYS)).hexdigest()
