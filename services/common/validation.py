"""Field validators shared by the services' schemas (ISO countries, IANA zones), the
one rule for an e-mail address, and the one check of text that comes from a client."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache, lru_cache
from importlib import resources

from marshmallow import ValidationError


@cache
def iso_countries() -> frozenset[str]:
    tab = resources.files("tzdata").joinpath("zoneinfo/iso3166.tab").read_text()
    return frozenset(
        line.split("\t")[0] for line in tab.splitlines() if line and line[0] != "#"
    )


@cache
def iana_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def country_code(value: str) -> None:
    if value not in iso_countries():
        raise ValidationError("not an ISO 3166-1 alpha-2 country code (e.g. FR, BE)")


def timezone_name(value: str) -> None:
    if value not in iana_timezones():
        raise ValidationError("not an IANA time zone (e.g. Europe/Paris)")


def load_or_raise(schema, payload, invalid: type[Exception]) -> dict:
    """Load a payload with a schema; field errors become the service's ``Invalid``."""
    try:
        return schema.load(payload if payload is not None else {})
    except ValidationError as exc:
        raise invalid(exc.messages) from None


# -- text from a client ---------------------------------------------------------------
# No text may hold NUL (PostgreSQL refuses it) or a lone surrogate (it cannot be
# written as UTF-8: not to a database, a message or an answer). Free text (a JSON
# string, a CSV name cell) may hold tab, LF and CR; a one-line value (an id, a query
# parameter, a header, a file name) holds no control character at all.
_FREE_TEXT_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_LINE_BAD = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def text_problem(value: str, one_line: bool = False) -> str | None:
    """Why this text is refused, or None."""
    found = (_LINE_BAD if one_line else _FREE_TEXT_BAD).search(value)
    if found is None:
        return None
    code = ord(found.group())
    if code == 0:
        return "must not contain NUL (U+0000)"
    if 0xD800 <= code <= 0xDFFF:
        return (f"must not contain a lone surrogate (U+{code:04X}) or bytes that are "
                "not UTF-8")
    return f"must not contain the control character U+{code:04X}"


def has_bad_text(value: str, start: int = 0) -> bool:
    """Whether :func:`text_problem` refuses some of ``value[start:]``: a whole file
    checked at once, without a slice."""
    return _FREE_TEXT_BAD.search(value, start) is not None


def printable(value: str) -> str:
    """A name to show in an error: the characters it was refused for, escaped."""
    return _LINE_BAD.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


# -- e-mail addresses -----------------------------------------------------------------
# One rule wherever an address enters or is announced (application, roster, events,
# login, partners), so that nothing accepted at the edge is refused inside: a practical
# subset of RFC 5321 that the mailer can deliver without SMTPUTF8. The local part is a
# dot-atom of ASCII atext; the domain is two or more LDH labels, no trailing dot, not
# ending with an all-digit label; at most 64 / 253 / 254 characters.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_LOCAL_AT = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@", re.ASCII).match
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.(?!\d+$){_LABEL}", re.ASCII).fullmatch
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*", re.ASCII)
_DOMAIN_LABEL = re.compile(_LABEL, re.ASCII)


@lru_cache(maxsize=4096)
def _domain_ok(domain: str) -> bool:  # a roster's addresses mostly share a domain
    return _DOMAIN(domain) is not None


def is_email(value: str) -> bool:
    local = _LOCAL_AT(value)
    return (local is not None and local.end() <= 65 and len(value) <= 254
            and _domain_ok(value[local.end():]))


def email_problem(value: str) -> str | None:
    """Why this is not an e-mail address by the platform's rule, or None."""
    if is_email(value):
        return None
    local, at, domain = value.rpartition("@")
    if not at:
        return "no @"
    if not value.isascii():
        return "only ASCII letters, digits and !#$%&'*+-/=?^_`{|}~. are allowed"
    if not local:
        return "nothing before the @"
    if len(local) > 64:
        return "more than 64 characters before the @"
    if not _LOCAL.fullmatch(local):
        return ("before the @: letters, digits and !#$%&'*+-/=?^_`{|}~ in parts "
                "separated by single dots")
    if not domain:
        return "no domain after the @"
    if domain.endswith("."):
        return "the domain ends with a dot"
    labels = domain.split(".")
    if len(labels) < 2:
        return "the domain has no dot"
    if not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
        return ("the domain's labels are 1-63 letters, digits or inner hyphens, "
                "separated by single dots")
    if labels[-1].isdigit():
        return "the domain ends with an all-digit label"
    return "longer than 254 characters"


def email_address(value: str) -> None:
    """A marshmallow validator for the rule above."""
    problem = email_problem(value)
    if problem is not None:
        raise ValidationError(f"Not a valid email address: {problem}.")
