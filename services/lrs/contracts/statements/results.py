"""A statement's result and its score (Data 2.4.5)."""

from __future__ import annotations

from typing import Any

from .shapes import _DURATION, Shapes, _join


class Results(Shapes):
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
