"""Searching the published catalogue, on plain dicts.

The catalog service (over its database) and the gateway (over its in-memory snapshot,
``gateway/catalogue_cache.py``) run this same code, so this module imports no model,
no session and no nameko: courses come in as the dicts the catalog serves.

- Free text ``q`` is folded (case and accents): every word must appear in the title or
  the summary.
- Filters ``language``, ``level``, ``topic``, ``skill``, ``path`` combine; each facet
  counts the matching courses with every *other* filter applied (and ``q``).
- Order: a path's own order when ``path`` is given; else relevance when ``q`` is given
  (courses with more query words in their title first); else topic, level, title.
  Every order ends with the course id, so it is total.
- Pages: the cursor is opaque; it encodes the ordering and the sort key of the last
  item served, and the next page starts strictly after that key. Courses added or
  retired meanwhile never make a page repeat or skip a course that existed throughout.
"""

from __future__ import annotations

import base64
import binascii
import json
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from .errors import Invalid

LANGUAGES = ("en", "fr")
LEVELS = ("beginner", "intermediate", "advanced")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
FILTERS = ("language", "level", "topic", "skill", "path")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_Q = 200

# the fields of a course summary (a search item); a detail adds status, chapters, quiz
SUMMARY_FIELDS = (
    "id",
    "title",
    "summary",
    "language",
    "level",
    "duration_hours",
    "topic",
    "skills",
    "has_quiz",
    "updated_at",
)

ORDER_PATH, ORDER_RELEVANCE, ORDER_DEFAULT = "p", "r", "d"
KEY_TYPES = {  # the shape of each ordering's sort key, checked when a cursor comes back
    ORDER_PATH: (int, str),
    ORDER_RELEVANCE: (int, str, int, str, str),
    ORDER_DEFAULT: (str, int, str, str),
}


def fold(text: str) -> str:
    """Lower case without accents: "Gestion de Projet" and "gestion de projet" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# -- the query ----------------------------------------------------------------------
class SearchQuery(Schema):
    """Query parameters of ``GET /api/v1/courses`` (unknown parameters are ignored)."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(
        validate=validate.Length(max=MAX_Q),
        metadata={
            "description": "free text over title and summary; "
            "case and accents do not matter"
        },
    )
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    level = fields.String(validate=validate.OneOf(LEVELS))
    topic = fields.String(validate=validate.Length(max=120))
    skill = fields.String(validate=validate.Length(max=120))
    path = fields.String(validate=validate.Length(max=120))
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, strict=False, validate=validate.Range(1, MAX_LIMIT)
    )
    cursor = fields.String(
        validate=validate.Length(max=1000),
        metadata={"description": "next_cursor of the previous page"},
    )


def parse_query(args: Mapping[str, str]) -> dict:
    """Query parameters (first value of each) to a validated query; Invalid if not."""
    raw = {
        k: args[k]
        for k in SearchQuery._declared_fields
        if args.get(k) not in (None, "")
    }
    try:
        query = SearchQuery().load(raw)
    except ValidationError as exc:
        raise Invalid(exc.messages) from None
    if "cursor" in query:
        query["cursor"] = decode_cursor(query["cursor"])
    return query


def encode_cursor(order: str, key: tuple) -> str:
    raw = json.dumps([order, *key], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, tuple]:
    """``(ordering, sort key)`` from an opaque cursor; Invalid if it is not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        order, *key = json.loads(raw)
        types = KEY_TYPES[order]
        if len(key) != len(types) or not all(
            type(v) is t for v, t in zip(key, types, strict=True)
        ):
            raise ValueError(cursor)
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise Invalid({"cursor": ["not a cursor this API gave out"]}) from None
    return order, tuple(key)


# -- the index ----------------------------------------------------------------------
class Entry:
    """One published course, with what searching it needs precomputed."""

    __slots__ = ("item", "id", "title", "text", "values", "skills", "paths", "key")

    def __init__(self, item: dict, paths: frozenset[str]):
        self.item = item
        self.id = item["id"]
        self.title = fold(item["title"])
        self.text = f"{self.title} {fold(item['summary'])}"
        self.values = {f: item[f] for f in ("language", "level", "topic")}
        self.skills = frozenset(item["skills"])
        self.paths = paths
        self.key = (
            item["topic"],
            LEVEL_RANK.get(item["level"], 9),
            self.title,
            self.id,
        )

    def matches(self, name: str, value: str) -> bool:
        if name == "skill":
            return value in self.skills
        if name == "path":
            return value in self.paths
        return self.values[name] == value


def summary_of(course: Mapping[str, Any]) -> dict:
    """The search item of a course (a detail or a summary)."""
    return {f: course[f] for f in SUMMARY_FIELDS}


class Index:
    """The published courses and the paths, searchable."""

    def __init__(self, courses: Iterable[Mapping[str, Any]], paths: Iterable[Mapping]):
        self.path_order = {p["id"]: list(p["courses"]) for p in paths}
        in_paths: dict[str, set[str]] = {}
        for path_id, course_ids in self.path_order.items():
            for course_id in course_ids:
                in_paths.setdefault(course_id, set()).add(path_id)
        self.entries = sorted(
            (
                Entry(summary_of(c), frozenset(in_paths.get(c["id"], ())))
                for c in courses
            ),
            key=lambda e: e.key,
        )

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, query: Mapping[str, Any]) -> dict:
        """One page, the total and the facets; ``query`` as :func:`parse_query` gives.

        ``cursor`` is ``(ordering, key)`` from :func:`decode_cursor`, or an int: an
        offset, which the catalog's ``search_courses`` RPC still accepts from callers
        written before cursors were opaque (the HTTP API never gives one out).
        """
        words = fold(query.get("q") or "").split()
        candidates = (
            [e for e in self.entries if all(w in e.text for w in words)]
            if words
            else self.entries
        )
        active = [(f, query[f]) for f in FILTERS if query.get(f)]
        facets = facet_counts(candidates, active)
        matching = [e for e in candidates if all(e.matches(f, v) for f, v in active)]

        order, keyed = self.order(matching, query.get("path"), words)
        limit = query.get("limit") or DEFAULT_LIMIT
        cursor = query.get("cursor")
        if isinstance(cursor, int):
            start = cursor
        elif cursor:
            if cursor[0] != order:
                raise Invalid({"cursor": ["this cursor belongs to another ordering"]})
            start = bisect_right([k for k, _ in keyed], cursor[1])
        else:
            start = 0
        page = keyed[start : start + limit]
        more = start + limit < len(keyed)
        if not more:
            next_cursor = None
        elif isinstance(cursor, int):
            next_cursor = start + limit
        else:
            next_cursor = encode_cursor(order, page[-1][0])
        return {
            "items": [e.item for _, e in page],
            "next_cursor": next_cursor,
            "total": len(keyed),
            "facets": facets,
        }

    def order(self, matching: list[Entry], path: str | None, words: list[str]):
        if path:
            position = {cid: n for n, cid in enumerate(self.path_order.get(path, ()))}
            keyed = [((position[e.id], e.id), e) for e in matching]
            return ORDER_PATH, sorted(keyed, key=lambda pair: pair[0])
        if words:  # relevance: the more query words in the title, the earlier
            keyed = [
                ((sum(w not in e.title for w in words), *e.key), e) for e in matching
            ]
            return ORDER_RELEVANCE, sorted(keyed, key=lambda pair: pair[0])
        return ORDER_DEFAULT, [(e.key, e) for e in matching]  # entries are kept sorted


def facet_counts(entries: list[Entry], active: list[tuple[str, str]]) -> dict:
    """For each filter, how many courses match per value, the other filters applied."""
    facets: dict[str, dict[str, int]] = {}
    for facet in FILTERS:
        others = [(f, v) for f, v in active if f != facet]
        counts: dict[str, int] = {}
        for e in entries:
            if others and not all(e.matches(f, v) for f, v in others):
                continue
            if facet == "skill":
                values: Iterable[str] = e.skills
            elif facet == "path":
                values = e.paths
            else:
                values = (e.values[facet],)
            for value in values:
                counts[value] = counts.get(value, 0) + 1
        facets[facet] = dict(sorted(counts.items()))
    return facets
