"""JSON where every roster batch pays for it: orjson instead of the standard library;
and the one reader of a JSON document a client sends (:func:`read_document`).

A roster batch's ``learners.enrolled.v1`` and its invitation mails are encoded once
into onboarding's outbox and decoded by the relay and by every consumer, so the codec's
speed counts several times per batch (figures in decision 0015). The text is the same
JSON, written compactly.
"""

from __future__ import annotations

from typing import Any

import orjson
from kombu import serialization
from kombu.utils import json as kombu_json

from .validation import printable, text_problem

MAX_DEPTH = 32  # a client's document: our deepest request body is 3 levels


def dumps(value: Any) -> str:
    """For JSON columns: like ``json.dumps`` (non-string keys become strings)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def loads(text: str | bytes) -> Any:
    return orjson.loads(text)


class DocumentRefused(ValueError):
    """A client's document is not JSON (``field`` None) or holds text no part of
    the platform can keep (``field`` names where, as ``contact.name``)."""

    def __init__(self, reason: str, field: str | None = None):
        super().__init__(reason)
        self.reason, self.field = reason, field


def read_document(raw: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """A client's JSON, as strict as every reader after it (a service's, a message's).

    Refused: what RFC 8259 does not allow (NaN, Infinity, numbers out of a double's
    range, invalid UTF-8, lone surrogates in escapes), nesting deeper than
    ``max_depth``, and strings or keys with NUL or a control character other than
    tab, LF and CR.
    """
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DocumentRefused(_why_not_json(raw, exc)) from None
    _check_strings(document, max_depth)
    return document


def _why_not_json(raw: bytes, exc: orjson.JSONDecodeError) -> str:
    if "depth limit" in exc.msg:
        return f"nested deeper than {MAX_DEPTH} levels"
    for word in (b"-Infinity", b"Infinity", b"NaN"):
        if raw[exc.pos:exc.pos + len(word)] == word or raw[
                exc.pos - 1:exc.pos - 1 + len(word)] == word:
            return f"{word.decode()} is not a JSON number (at character {exc.pos})"
    return f"{exc.msg} (at character {exc.pos})"


def _check_strings(document: Any, max_depth: int) -> None:
    stack: list[tuple[Any, str, int]] = [(document, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                raise DocumentRefused(problem, path or None)
        elif isinstance(value, dict | list):
            if depth > max_depth:
                raise DocumentRefused(f"nested deeper than {max_depth} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                name = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and text_problem(key):
                    raise DocumentRefused(text_problem(key), printable(name))
                stack.append((item, name, depth + 1))


def _message_loads(text: str | bytes) -> Any:
    # kombu writes a datetime, a UUID or a Decimal as {"__type__": …, "__value__": …}
    # and turns it back on reading: such a message is read by kombu itself
    marker = "__type__" if isinstance(text, str) else b"__type__"
    if marker in text:
        return kombu_json.loads(text)
    return orjson.loads(text)


def _message_dumps(value: Any) -> str:
    return kombu_json.dumps(value, allow_nan=False)


def install_message_codec() -> None:
    """Messages of content type application/json (events, RPC) are read with orjson;
    they are still written by kombu's own encoder, refusing NaN and Infinity as orjson
    does: such a message fails when it is sent, not unread by its receiver."""
    serialization.register(
        "json", _message_dumps, _message_loads,
        content_type="application/json", content_encoding="utf-8",
    )
