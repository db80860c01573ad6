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


def object_key(target: dict) -> str | None:
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return activity_key(target["id"])
    if kind in ("Agent", "Group"):
        return agent_key(target)
    return None  # a StatementRef or a SubStatement is not a filter's object


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
