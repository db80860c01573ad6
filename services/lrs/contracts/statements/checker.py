"""A whole statement: what a statement and a SubStatement share (``body``), what only
a statement has (id, stored, authority, version), batches (Data 2.4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .attachments import Attachments
from .context import Context
from .objects import STATEMENT_KEYS, Objects
from .results import Results
from .shapes import _IRI, _UUID, _VERSION, StatementInvalid, Violation, _join

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


class _Checker(Objects, Results, Context, Attachments):
    """Walks one statement and collects every violation."""

    def body(self, value: Mapping, path: str, sub: bool) -> None:
        """What a statement and a sub-statement share."""
        for key in ("actor", "verb", "object"):
            if key not in value:
                self.fail(_join(path, key), f"statement.{key}-required",
                          f"a statement has an {key}" if key[0] in "ao"
                          else f"a statement has a {key}")
        if "actor" in value:
            self.agent(value["actor"], _join(path, "actor"))
        if "verb" in value:
            self.verb(value["verb"], _join(path, "verb"))
        object_type = None
        if "object" in value:
            object_type = self.target(value["object"], _join(path, "object"), sub)
        if "result" in value:
            self.result(value["result"], _join(path, "result"))
        if "context" in value:
            self.context(value["context"], _join(path, "context"), object_type)
        if "timestamp" in value:
            self.timestamp(value["timestamp"], _join(path, "timestamp"),
                           "statement.timestamp-iso8601")
        if "attachments" in value:
            self.attachments(value["attachments"], _join(path, "attachments"))
        verb = value.get("verb")
        if (isinstance(verb, dict) and verb.get("id") == VOIDED
                and object_type != "StatementRef"):
            self.fail(_join(path, "object"), "voiding.object-statement-ref",
                      "a voiding statement's object is a StatementRef")

    def statement(self, value: Any) -> None:
        if not self.is_object(value, "", "statement.object"):
            return
        self.no_nulls(value, "")
        self.keys(value, STATEMENT_KEYS, "", "statement.properties")
        if "id" in value:
            self.uuid(value["id"], "id", "statement.id-uuid")
        if "stored" in value:
            self.timestamp(value["stored"], "stored", "statement.stored-iso8601")
        if "authority" in value:
            self.agent(value["authority"], "authority")
        if "version" in value:
            version = value["version"]
            if not isinstance(version, str) or not _VERSION.match(version):
                self.fail("version", "statement.version-1.0",
                          "must be 1.0 or 1.0.x")
        self.body(value, "", sub=False)


def violations(statement: Any) -> list[Violation]:
    """Every rule of xAPI 1.0.3 this statement breaks (empty: it is valid)."""
    checker = _Checker()
    checker.statement(statement)
    return checker.found


def is_iri(value: Any) -> bool:
    """An absolute IRI, as a verb's or an activity's id must be."""
    return isinstance(value, str) and bool(_IRI.match(value))


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def agent_violations(agent: Any, path: str = "agent") -> list[Violation]:
    """The rules an Agent or Group (a query's ``agent``, a document's) breaks."""
    checker = _Checker()
    checker.agent(agent, path)
    return checker.found


def check_statement(statement: Any) -> None:
    """Raise :class:`StatementInvalid` unless the statement is valid."""
    found = violations(statement)
    if found:
        raise StatementInvalid(found)


def check_statements(statements: list) -> None:
    """A batch: every statement valid, no id twice (paths say which statement)."""
    found: list[Violation] = []
    seen: set[str] = set()
    for i, statement in enumerate(statements):
        for v in violations(statement):
            found.append(Violation(f"[{i}].{v.path}", v.rule, v.detail))
        ident = statement.get("id") if isinstance(statement, dict) else None
        if isinstance(ident, str):
            if ident.lower() in seen:
                found.append(Violation(f"[{i}].id", "batch.ids-unique",
                                       "this id is used by another statement of "
                                       "the batch"))
            seen.add(ident.lower())
    if found:
        raise StatementInvalid(found)
