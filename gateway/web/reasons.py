"""Why a roster row or file was refused, in the person's language.

Onboarding states its reasons in English, as the API and the stored jobs keep them
(``services/onboarding/roster.py``). A page shows them translated: each reason's
shape is matched here, its values kept, its words taken from the catalogue. A reason
of a shape not listed is shown as it is (`tests/unit/gateway/test_reasons.py`
produces every reason the roster reader can give and fails on one not known here).
"""

from __future__ import annotations

import re
from collections.abc import Callable


def _(text: str) -> str:  # marks a text for `make messages`; translated when shown
    return text


COLUMNS = {
    "email": _("e-mail"), "first_name": _("first name"), "last_name": _("last name"),
    "cohort": _("cohort"), "external_id": _("identifier"), "role": _("role"),
    "status": _("status"),
}
# what email_problem (services/common/validation.py) says of an address
EMAIL_PROBLEMS = (
    _("no @"),
    _("only ASCII letters, digits and !#$%&'*+-/=?^_`{|}~. are allowed"),
    _("nothing before the @"),
    _("more than 64 characters before the @"),
    _("no domain after the @"),
    _("the domain ends with a dot"),
    _("the domain has no dot"),
)
# (pattern, text with the pattern's groups as %(name)s): first match wins
SHAPES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), text) for pattern, text in (
        (r"expected (?P<width>\d+) fields, found (?P<found>\d+)",
         _("expected %(width)s fields, found %(found)s")),
        (r"role (?P<role>.*) is not a learner \(student\)",
         _("role %(role)s is not a learner (student)")),
        (r"user is marked tobedeleted", _("user is marked tobedeleted")),
        (r"not an e-mail address: (?P<value>.*): (?P<why>[^:]*)",
         _("not an e-mail address: %(value)s: %(why)s")),
        (r"(?P<column>\w+) is empty", _("%(column)s is empty")),
        (r"(?P<column>\w+) is longer than (?P<max>\d+) characters",
         _("%(column)s is longer than %(max)s characters")),
        (r"(?P<column>\w+) must not contain NUL \(U\+0000\)",
         _("%(column)s must not contain NUL (U+0000)")),
        (r"(?P<column>\w+) must not contain a lone surrogate "
         r"\((?P<code>U\+[0-9A-F]+)\) or bytes that are not UTF-8",
         _("%(column)s must not contain a lone surrogate (%(code)s) or bytes that "
           "are not UTF-8")),
        (r"(?P<column>\w+) must not contain the control character "
         r"(?P<code>U\+[0-9A-F]+)",
         _("%(column)s must not contain the control character %(code)s")),
        (r"the file is empty or its first line is blank",
         _("the file is empty or its first line is blank")),
        (r"the workbook has no sheet", _("the workbook has no sheet")),
        (r"the file is not an Excel workbook \(\.xlsx\) that can be read: (?P<why>.*)",
         _("the file is not an Excel workbook (.xlsx) that can be read: %(why)s")),
        (r"the header names the (?P<column>\w+) column twice: (?P<first>.*) and "
         r"(?P<second>.*); keep one",
         _("the header names the %(column)s column twice: %(first)s and %(second)s; "
           "keep one")),
        (r"missing column\(s\): (?P<columns>[\w, ]+) \(accepted: (?P<accepted>.*)\)",
         _("missing column(s): %(columns)s (accepted: %(accepted)s)")),
    ))


def column_name(column: str | None, gettext: Callable[[str], str]) -> str:
    """A roster column as the page names it (``first_name`` → "prénom")."""
    if not column:
        return ""
    return gettext(COLUMNS[column]) if column in COLUMNS else column


def translated(reason: str | None, gettext: Callable[[str], str]) -> str:
    """``reason`` in the catalogue's language, its values (lines, names) untouched."""
    if not reason:
        return ""
    for pattern, text in SHAPES:
        match = pattern.fullmatch(reason)
        if match is None:
            continue
        values = match.groupdict()
        if "column" in values:
            values["column"] = column_name(values["column"], gettext)
        if "columns" in values:
            values["columns"] = ", ".join(column_name(c.strip(), gettext)
                                          for c in values["columns"].split(","))
        if "why" in values and values["why"] in EMAIL_PROBLEMS:
            values["why"] = gettext(values["why"])
        return gettext(text) % values
    return reason
