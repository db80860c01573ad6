"""Errors of a form: the API's field errors, keyed by the form's field names."""

from __future__ import annotations

from ..errors import problem_for


def field_errors(exc: BaseException) -> dict[str, list[str]]:
    """``{"contact.email": ["Not a valid email address."], "": [...]}``: what the
    API would answer in ``errors``, grouped per field ("" for the form as a whole)."""
    body = problem_for(exc)
    grouped: dict[str, list[str]] = {}
    for error in body.get("errors") or [{"field": None, "reason": body["detail"]}]:
        grouped.setdefault(error.get("field") or "", []).append(error["reason"])
    return grouped


def field_id(name: str) -> str:
    """The HTML id of a field named ``contact.email``: ``field-contact-email``."""
    return "field-" + name.replace(".", "-").replace("_", "-")
