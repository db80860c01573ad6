"""A statement in the format a reader asks for (xAPI 1.0.3, Communication 2.1.3).

``exact``: as stored. ``ids``: agents and groups by their identifier only,
activities and verbs by id only. ``canonical``: each language map reduced to the
one language the reader prefers (the first of ``languages`` it has, else its first).
Plain code.
"""

from __future__ import annotations

from typing import Any

from .contracts.statements import IFIS

LANGUAGE_MAPS = ("display", "name", "description")


def shaped(statement: dict, format: str, languages: tuple[str, ...] = ()) -> dict:
    if format == "ids":
        return _ids(statement)
    if format == "canonical":
        return _canonical(statement, tuple(lang.lower() for lang in languages))
    return statement


def _agent_ids(agent: dict) -> dict:
    kept = {k: v for k, v in agent.items() if k in IFIS or k == "objectType"}
    if "member" in agent and not any(k in agent for k in IFIS):
        kept["member"] = [_agent_ids(m) for m in agent["member"]]
    return kept


def _ids(value: Any, key: str = "") -> Any:
    if isinstance(value, list):
        return [_ids(item, key) for item in value]
    if not isinstance(value, dict):
        return value
    if key in ("actor", "authority", "instructor", "team", "member") or (
            key == "object" and value.get("objectType") in ("Agent", "Group")):
        return _agent_ids(value)
    if key == "verb":
        return {"id": value["id"]}
    if key == "object" and value.get("objectType", "Activity") == "Activity" or (
            key in ("parent", "grouping", "category", "other")):
        return {k: v for k, v in value.items() if k in ("objectType", "id")}
    return {k: _ids(v, k) for k, v in value.items()}


def _canonical(value: Any, languages: tuple[str, ...], key: str = "") -> Any:
    if isinstance(value, list):
        return [_canonical(item, languages, key) for item in value]
    if not isinstance(value, dict):
        return value
    if key in LANGUAGE_MAPS and value and all(isinstance(v, str)
                                              for v in value.values()):
        lowered = {tag.lower(): tag for tag in value}
        for wanted in languages:
            if wanted in lowered:
                return {lowered[wanted]: value[lowered[wanted]]}
        first = next(iter(value))
        return {first: value[first]}
    if key == "extensions":
        return value
    return {k: _canonical(v, languages, k) for k, v in value.items()}
