"""The verb and the object: Activities and their definitions (interactions
included), StatementRefs and SubStatements (Data 2.4.3, 2.4.4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .actors import Actors
from .shapes import _join

STATEMENT_KEYS = frozenset({
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
    "authority", "version", "attachments",
})
# a sub-statement is a statement without these (Data 2.4.4.3)
SUB_STATEMENT_FORBIDDEN = ("id", "stored", "version", "authority")
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


class Objects(Actors):
    """Needs ``body`` (the checks a statement and a SubStatement share)."""

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
