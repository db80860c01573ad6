"""The small shapes every part of a statement is made of (IRIs, UUIDs, timestamps,
language maps, extensions), the :class:`Violation` a broken rule is reported as, and
the base every part's checks build on (:class:`Shapes`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_IRL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^\s<>\"{}|\\^`]+$")
_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_SHA2 = re.compile(r"^[0-9a-fA-F]{56,128}$")  # SHA-224 to SHA-512, in hex
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
# RFC 5646 language tags (grandfathered irregular ones aside)
_LANGUAGE = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$|^[xX](?:-[A-Za-z0-9]{1,8})+$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$")
_NUM = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"^P(?:{_NUM}W|(?=.)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?"
    rf"(?:T(?=.)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?)$")
_VERSION = re.compile(r"^1\.0(?:\.\d+)?$")


@dataclass(frozen=True)
class Violation:
    path: str  # where in the statement: "actor.mbox", "context.contextActivities"
    rule: str  # the rule broken, a short stable name: "agent.mbox-mailto"
    detail: str  # what was wrong, in words

    def as_dict(self) -> dict:
        return {"path": self.path, "rule": self.rule, "detail": self.detail}


class StatementInvalid(ValueError):
    """A statement breaks one or more rules of xAPI 1.0.3."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__("; ".join(
            f"{v.path}: {v.detail} [{v.rule}]" for v in violations))


class Shapes:
    """Collects the violations of one walk over a statement; each part's checks
    (actors, objects, results, context, attachments) are a mixin of this."""

    def __init__(self) -> None:
        self.found: list[Violation] = []

    def fail(self, path: str, rule: str, detail: str) -> None:
        self.found.append(Violation(path or "statement", rule, detail))

    # small shapes
    def is_object(self, value: Any, path: str, rule: str) -> bool:
        if isinstance(value, dict):
            return True
        self.fail(path, rule, "must be a JSON object")
        return False

    def keys(self, value: Mapping, allowed: Iterable[str], path: str,
             rule: str) -> None:
        for key in value:
            if key not in allowed:
                self.fail(_join(path, key), rule,
                          f"{key!r} is not a property of this object in xAPI 1.0.3")

    def no_nulls(self, value: Any, path: str) -> None:
        """Only an extension's value may hold null (Data 2.2: no null values)."""
        if value is None:
            self.fail(path, "statement.no-null", "null is not a value in xAPI")
        elif isinstance(value, dict):
            for key, item in value.items():
                if key != "extensions":
                    self.no_nulls(item, _join(path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.no_nulls(item, f"{path}[{i}]")

    def string(self, value: Any, path: str, rule: str) -> bool:
        if isinstance(value, str):
            return True
        self.fail(path, rule, "must be a string")
        return False

    def iri(self, value: Any, path: str, rule: str) -> None:
        if not isinstance(value, str) or not _IRI.match(value):
            self.fail(path, rule, "must be an absolute IRI (a scheme, then ':')")

    def irl(self, value: Any, path: str, rule: str) -> None:
        if not isinstance(value, str) or not _IRL.match(value):
            self.fail(path, rule, "must be a URL (an IRL: scheme://...)")

    def uuid(self, value: Any, path: str, rule: str) -> None:
        if not isinstance(value, str) or not _UUID.match(value):
            self.fail(path, rule, "must be a UUID (8-4-4-4-12 hexadecimal digits)")

    def boolean(self, value: Any, path: str, rule: str) -> None:
        if not isinstance(value, bool):
            self.fail(path, rule, "must be true or false")

    def timestamp(self, value: Any, path: str, rule: str) -> None:
        if not isinstance(value, str) or not _TIMESTAMP.match(value):
            self.fail(path, rule, "must be an ISO 8601 date and time "
                      "(e.g. 2026-12-07T09:30:00Z)")
            return
        if value.endswith("-00:00") or value.endswith("-0000"):
            self.fail(path, rule, "the offset -00:00 is not allowed (use Z or +00:00)")
            return
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.fail(path, rule, "is not a date and time that exists")

    def language_map(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "language-map.object"):
            return
        for tag, text in value.items():
            if not _LANGUAGE.match(tag):
                self.fail(_join(path, tag), "language-map.tag",
                          f"{tag!r} is not an RFC 5646 language tag")
            if not isinstance(text, str):
                self.fail(_join(path, tag), "language-map.string",
                          "a language map's values must be strings")

    def extensions(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "extensions.object"):
            return
        for key in value:
            if not _IRI.match(key):
                self.fail(_join(path, key), "extensions.key-iri",
                          f"extension key {key!r} must be an absolute IRI")

    def number(self, value: Any, path: str, rule: str) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, rule, "must be a number")
            return False
        return True


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
