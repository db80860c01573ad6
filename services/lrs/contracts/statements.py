"""xAPI 1.0.3 statements checked exactly as the specification's Data part says.

Plain code: no nameko, no database. The gateway checks every statement at the edge
with :func:`check_statement` and the lrs service checks again what it is given. A
refused statement raises :class:`StatementInvalid` listing every broken rule, each a
:class:`Violation`: where (``path``, e.g. ``actor.mbox``), which rule (``rule``, a
short stable name, e.g. ``agent.mbox-mailto``) and what was wrong (``detail``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

VERSION = "1.0.3"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

STATEMENT_KEYS = frozenset({
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
    "authority", "version", "attachments",
})
# a sub-statement is a statement without these (Data 2.4.4.3)
SUB_STATEMENT_FORBIDDEN = ("id", "stored", "version", "authority")
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
INTERACTION_TYPES = frozenset({
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
    "sequencing", "likert", "numeric", "other",
})
# which component lists each interaction type may carry (Data 2.4.4.1, table)
INTERACTION_COMPONENTS = {
    "choice": ("choices",), "sequencing": ("choices",), "likert": ("scale",),
    "matching": ("source", "target"), "performance": ("steps",),
}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
CONTEXT_ACTIVITY_KEYS = frozenset({"parent", "grouping", "category", "other"})

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


# -- the checks -----------------------------------------------------------------------
class _Checker:
    """Walks one statement and collects every violation."""

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

    # actors
    def agent(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "agent.object"):
            return
        kind = value.get("objectType", "Agent")
        if kind == "Group":
            self.group(value, path)
            return
        if kind != "Agent":
            self.fail(_join(path, "objectType"), "agent.object-type",
                      "must be 'Agent' or 'Group'")
            return
        self.keys(value, ("objectType", "name", *IFIS), path, "agent.properties")
        if "name" in value:
            self.string(value["name"], _join(path, "name"), "agent.name-string")
        given = [ifi for ifi in IFIS if ifi in value]
        if len(given) != 1:
            self.fail(path, "agent.exactly-one-ifi",
                      "an Agent has exactly one inverse functional identifier "
                      f"(one of {', '.join(IFIS)}); found {len(given)}")
        self.ifis(value, path)

    def group(self, value: Mapping, path: str) -> None:
        self.keys(value, ("objectType", "name", "member", *IFIS), path,
                  "group.properties")
        if "name" in value:
            self.string(value["name"], _join(path, "name"), "group.name-string")
        given = [ifi for ifi in IFIS if ifi in value]
        if len(given) > 1:
            self.fail(path, "group.at-most-one-ifi",
                      "an identified Group has exactly one inverse functional "
                      f"identifier; found {len(given)}")
        members = value.get("member")
        if not given and not members:
            self.fail(_join(path, "member"), "group.anonymous-has-members",
                      "an anonymous Group (no identifier) must list its members")
        if members is not None:
            if not isinstance(members, list):
                self.fail(_join(path, "member"), "group.member-array",
                          "must be an array of Agents")
            else:
                for i, member in enumerate(members):
                    where = f"{_join(path, 'member')}[{i}]"
                    if isinstance(member, dict) and member.get(
                            "objectType") == "Group":
                        self.fail(where, "group.members-are-agents",
                                  "a Group's members are Agents, never Groups")
                    else:
                        self.agent(member, where)
        self.ifis(value, path)

    def ifis(self, value: Mapping, path: str) -> None:
        if "mbox" in value and (not isinstance(value["mbox"], str)
                                or not _MAILTO.match(value["mbox"])):
            self.fail(_join(path, "mbox"), "agent.mbox-mailto",
                      "mbox must be a 'mailto:' IRI of an e-mail address")
        if "mbox_sha1sum" in value and (not isinstance(value["mbox_sha1sum"], str)
                                        or not _SHA1.match(value["mbox_sha1sum"])):
            self.fail(_join(path, "mbox_sha1sum"), "agent.mbox-sha1sum-hex",
                      "must be the SHA-1 of a mailto IRI, 40 hexadecimal digits")
        if "openid" in value:
            self.iri(value["openid"], _join(path, "openid"), "agent.openid-uri")
        if "account" in value:
            account = value["account"]
            where = _join(path, "account")
            if self.is_object(account, where, "account.object"):
                self.keys(account, ("homePage", "name"), where, "account.properties")
                if "homePage" not in account:
                    self.fail(where, "account.home-page-required",
                              "an account has a homePage")
                else:
                    self.irl(account["homePage"], _join(where, "homePage"),
                             "account.home-page-irl")
                if "name" not in account:
                    self.fail(where, "account.name-required", "an account has a name")
                else:
                    self.string(account["name"], _join(where, "name"),
                                "account.name-string")

    # verb
    def verb(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "verb.object"):
            return
        self.keys(value, ("id", "display"), path, "verb.properties")
        if "id" not in value:
            self.fail(path, "verb.id-required", "a verb has an id")
        else:
            self.iri(value["id"], _join(path, "id"), "verb.id-iri")
        if "display" in value:
            self.language_map(value["display"], _join(path, "display"))

    # objects
    def target(self, value: Any, path: str, sub: bool) -> str | None:
        """The statement's object; returns its objectType."""
        if not self.is_object(value, path, "object.object"):
            return None
        kind = value.get("objectType", "Activity")
        if kind == "Activity":
            self.activity(value, path)
        elif kind in ("Agent", "Group"):
            self.agent(value, path)
        elif kind == "StatementRef":
            self.statement_ref(value, path)
        elif kind == "SubStatement":
            if sub:
                self.fail(path, "substatement.no-nesting",
                          "a SubStatement's object cannot be a SubStatement")
            else:
                self.sub_statement(value, path)
        else:
            self.fail(_join(path, "objectType"), "object.object-type",
                      "must be Activity, Agent, Group, StatementRef or SubStatement")
        return kind if isinstance(kind, str) else None

    def statement_ref(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "statement-ref.object"):
            return
        self.keys(value, ("objectType", "id"), path, "statement-ref.properties")
        if value.get("objectType") != "StatementRef":
            self.fail(_join(path, "objectType"), "statement-ref.object-type",
                      "a StatementRef has objectType 'StatementRef'")
        if "id" not in value:
            self.fail(path, "statement-ref.id-required", "a StatementRef has an id")
        else:
            self.uuid(value["id"], _join(path, "id"), "statement-ref.id-uuid")

    def activity(self, value: Mapping, path: str) -> None:
        self.keys(value, ("objectType", "id", "definition"), path,
                  "activity.properties")
        if "id" not in value:
            self.fail(path, "activity.id-required", "an Activity has an id")
        else:
            self.iri(value["id"], _join(path, "id"), "activity.id-iri")
        if "definition" in value:
            self.definition(value["definition"], _join(path, "definition"))

    def definition(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "definition.object"):
            return
        self.keys(value, ("name", "description", "type", "moreInfo", "extensions",
                          "interactionType", "correctResponsesPattern",
                          *COMPONENT_LISTS), path, "definition.properties")
        for key in ("name", "description"):
            if key in value:
                self.language_map(value[key], _join(path, key))
        if "type" in value:
            self.iri(value["type"], _join(path, "type"), "definition.type-iri")
        if "moreInfo" in value:
            self.irl(value["moreInfo"], _join(path, "moreInfo"),
                     "definition.more-info-irl")
        if "extensions" in value:
            self.extensions(value["extensions"], _join(path, "extensions"))
        kind = value.get("interactionType")
        if "interactionType" in value and kind not in INTERACTION_TYPES:
            self.fail(_join(path, "interactionType"), "interaction.type",
                      f"must be one of {', '.join(sorted(INTERACTION_TYPES))}")
        if "correctResponsesPattern" in value:
            pattern = value["correctResponsesPattern"]
            where = _join(path, "correctResponsesPattern")
            if "interactionType" not in value:
                self.fail(where, "interaction.needs-type",
                          "correctResponsesPattern needs an interactionType")
            if not isinstance(pattern, list) or not all(
                    isinstance(p, str) for p in pattern):
                self.fail(where, "interaction.pattern-strings",
                          "must be an array of strings")
        allowed = INTERACTION_COMPONENTS.get(kind, ()) if isinstance(kind, str) else ()
        for key in COMPONENT_LISTS:
            if key not in value:
                continue
            where = _join(path, key)
            if key not in allowed:
                self.fail(where, "interaction.components-for-type",
                          f"{key!r} is not a component list of interaction type "
                          f"{kind!r}")
            self.components(value[key], where)

    def components(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.fail(path, "interaction.components-array",
                      "must be an array of interaction components")
            return
        seen: set[str] = set()
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            if not self.is_object(item, where, "interaction.component-object"):
                continue
            self.keys(item, ("id", "description"), where,
                      "interaction.component-properties")
            ident = item.get("id")
            if not isinstance(ident, str) or not ident:
                self.fail(where, "interaction.component-id",
                          "an interaction component has a string id")
            elif ident in seen:
                self.fail(where, "interaction.component-id-unique",
                          f"id {ident!r} is used twice in this list")
            else:
                seen.add(ident)
            if "description" in item:
                self.language_map(item["description"], _join(where, "description"))

    def sub_statement(self, value: Mapping, path: str) -> None:
        for key in SUB_STATEMENT_FORBIDDEN:
            if key in value:
                self.fail(_join(path, key), "substatement.forbidden-property",
                          f"a SubStatement has no {key!r}")
        allowed = (STATEMENT_KEYS - set(SUB_STATEMENT_FORBIDDEN)) | {"objectType"}
        self.keys({k: v for k, v in value.items()
                   if k not in SUB_STATEMENT_FORBIDDEN}, allowed, path,
                  "substatement.properties")
        self.body(value, path, sub=True)

    # result, context, attachments
    def result(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "result.object"):
            return
        self.keys(value, ("score", "success", "completion", "response", "duration",
                          "extensions"), path, "result.properties")
        for key in ("success", "completion"):
            if key in value:
                self.boolean(value[key], _join(path, key), f"result.{key}-boolean")
        if "response" in value:
            self.string(value["response"], _join(path, "response"),
                        "result.response-string")
        if "duration" in value:
            duration = value["duration"]
            if not isinstance(duration, str) or not _DURATION.match(duration):
                self.fail(_join(path, "duration"), "result.duration-iso8601",
                          "must be an ISO 8601 duration (e.g. PT1H30M, P2D)")
        if "extensions" in value:
            self.extensions(value["extensions"], _join(path, "extensions"))
        if "score" in value:
            self.score(value["score"], _join(path, "score"))

    def score(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "score.object"):
            return
        self.keys(value, ("scaled", "raw", "min", "max"), path, "score.properties")
        numbers = {key: value[key] for key in ("scaled", "raw", "min", "max")
                   if key in value and self.number(value[key], _join(path, key),
                                                   "score.number")}
        scaled = numbers.get("scaled")
        if scaled is not None and not -1 <= scaled <= 1:
            self.fail(_join(path, "scaled"), "score.scaled-range",
                      "scaled must be between -1 and 1")
        low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
        if low is not None and high is not None and not low < high:
            self.fail(path, "score.min-below-max", "min must be less than max")
        if raw is not None and low is not None and raw < low:
            self.fail(_join(path, "raw"), "score.raw-within-min-max",
                      "raw must not be below min")
        if raw is not None and high is not None and raw > high:
            self.fail(_join(path, "raw"), "score.raw-within-min-max",
                      "raw must not be above max")

    def context(self, value: Any, path: str, object_type: str | None) -> None:
        if not self.is_object(value, path, "context.object"):
            return
        self.keys(value, ("registration", "instructor", "team", "contextActivities",
                          "revision", "platform", "language", "statement",
                          "extensions"), path, "context.properties")
        if "registration" in value:
            self.uuid(value["registration"], _join(path, "registration"),
                      "context.registration-uuid")
        if "instructor" in value:
            self.agent(value["instructor"], _join(path, "instructor"))
        if "team" in value:
            team = value["team"]
            where = _join(path, "team")
            if isinstance(team, dict) and team.get("objectType") != "Group":
                self.fail(where, "context.team-group", "a team is a Group")
            else:
                self.agent(team, where)
        for key in ("revision", "platform"):
            if key not in value:
                continue
            self.string(value[key], _join(path, key), f"context.{key}-string")
            if object_type != "Activity":
                self.fail(_join(path, key), f"context.{key}-only-for-activity",
                          f"{key} is only allowed when the statement's object is "
                          "an Activity")
        if "language" in value:
            lang = value["language"]
            if not isinstance(lang, str) or not _LANGUAGE.match(lang):
                self.fail(_join(path, "language"), "context.language-tag",
                          "must be an RFC 5646 language tag")
        if "statement" in value:
            self.statement_ref(value["statement"], _join(path, "statement"))
        if "extensions" in value:
            self.extensions(value["extensions"], _join(path, "extensions"))
        if "contextActivities" in value:
            self.context_activities(value["contextActivities"],
                                    _join(path, "contextActivities"))

    def context_activities(self, value: Any, path: str) -> None:
        if not self.is_object(value, path, "context-activities.object"):
            return
        self.keys(value, CONTEXT_ACTIVITY_KEYS, path, "context-activities.keys")
        for key in CONTEXT_ACTIVITY_KEYS & set(value):
            items = value[key]
            many = items if isinstance(items, list) else [items]
            for i, item in enumerate(many):
                where = f"{_join(path, key)}[{i}]" if isinstance(
                    items, list) else _join(path, key)
                if not self.is_object(item, where, "context-activities.activity"):
                    continue
                if item.get("objectType", "Activity") != "Activity":
                    self.fail(where, "context-activities.activity",
                              "context activities are Activities")
                    continue
                self.activity(item, where)

    def attachments(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.fail(path, "attachments.array", "must be an array of attachments")
            return
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            if not self.is_object(item, where, "attachment.object"):
                continue
            self.keys(item, ("usageType", "display", "description", "contentType",
                             "length", "sha2", "fileUrl"), where,
                      "attachment.properties")
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in item:
                    self.fail(where, "attachment.required",
                              f"an attachment has a {key!r}")
            if "usageType" in item:
                self.iri(item["usageType"], _join(where, "usageType"),
                         "attachment.usage-type-iri")
            for key in ("display", "description"):
                if key in item:
                    self.language_map(item[key], _join(where, key))
            if "contentType" in item:
                self.string(item["contentType"], _join(where, "contentType"),
                            "attachment.content-type")
            if "length" in item and (isinstance(item["length"], bool) or not
                                     isinstance(item["length"], int)
                                     or item["length"] < 0):
                self.fail(_join(where, "length"), "attachment.length-integer",
                          "must be a whole number of octets")
            if "sha2" in item and (not isinstance(item["sha2"], str)
                                   or not _SHA2.match(item["sha2"])):
                self.fail(_join(where, "sha2"), "attachment.sha2-hex",
                          "must be a SHA-2 hash in hexadecimal")
            if "fileUrl" in item:
                self.irl(item["fileUrl"], _join(where, "fileUrl"),
                         "attachment.file-url-irl")

    # the statement
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


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


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
