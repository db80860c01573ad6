"""The events page: the AsyncAPI document as a person reads it, rendered on the server."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape


def fields(schema: dict, prefix: str = "") -> Iterator[tuple[str, str, bool]]:
    """(dotted name, type, required) for every field, nested objects and lists
    of objects included (``learners[].email``)."""
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        yield path, type_of(prop), name in required
        if prop.get("type") == "object" or "properties" in prop:
            yield from fields(prop, path + ".")
        items = prop.get("items") or {}
        if "properties" in items:
            yield from fields(items, path + "[].")


def type_of(prop: dict) -> str:
    kinds = prop.get("type", "any")
    text = " or ".join(kinds) if isinstance(kinds, list) else kinds
    if prop.get("format"):
        text += f" ({prop['format']})"
    if prop.get("enum"):
        text += ": " + ", ".join(str(v) for v in prop["enum"])
    items = prop.get("items")
    if text.startswith("array") and items and "properties" not in items:
        text += f" of {type_of(items)}"
    return text


def events_page(document: dict) -> str:
    sections = []
    for name, channel in sorted(document["channels"].items()):
        message = channel["subscribe"]["message"]
        exchange = channel["bindings"]["amqp"]["exchange"]["name"]
        data = message["payload"]["properties"]["data"]
        rows = "".join(
            f"<tr><td><code>{escape(path)}</code></td><td>{escape(kind)}</td>"
            f"<td>{'yes' if needed else ''}</td></tr>"
            for path, kind, needed in fields(data))
        consumers = ", ".join(message.get("x-consumers") or []) or "partners only"
        sections.append(
            f'<section id="{escape(name)}"><h2><code>{escape(name)}</code></h2>'
            f"<p>{escape(channel.get('description') or '')}</p>"
            f'<p class="muted">exchange <code>{escape(exchange)}</code>, routing key '
            f"<code>{escape(name)}</code>, minor version "
            f"{escape(str(message.get('x-minor-version', 0)))}; produced by "
            f"{escape(message.get('x-producer', ''))}, consumed by "
            f"{escape(consumers)}</p>"
            f"<table><tr><th>data field</th><th>type</th><th>required</th></tr>"
            f"{rows}</table></section>")
    index = " · ".join(f'<a href="#{escape(n)}">{escape(n)}</a>'
                       for n in sorted(document["channels"]))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Continuity events</title>"
        '<link rel="stylesheet" href="/api/docs/docs.css"></head><body>'
        '<header class="continuity"><strong>Continuity events</strong>'
        '<a href="/api/docs">HTTP API</a><a href="/api/asyncapi.json">asyncapi.json</a>'
        f'</header><main class="events"><p>{escape(document["info"]["description"])}</p>'
        f"<p>{index}</p>{''.join(sections)}</main></body></html>"
    )
