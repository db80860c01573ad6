"""A statement's context: registration, instructor, team, context activities,
revision, platform, language (Data 2.4.6)."""

from __future__ import annotations

from typing import Any

from .actors import Actors
from .shapes import _LANGUAGE, _join

CONTEXT_ACTIVITY_KEYS = frozenset({"parent", "grouping", "category", "other"})


class Context(Actors):
    """Needs ``statement_ref`` and ``activity`` (``objects.Objects``)."""

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
