"""French and English: catalogues read from the .po files, per-locale formats.

The .po files are the only form of the catalogues: each is compiled in memory the
first time a page needs it, so no build step stands between a checkout and a page.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from importlib import resources
from io import BytesIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LANGUAGES = ("en", "fr")
DEFAULT = "en"
NAMES = {"en": "English", "fr": "Français"}  # each in its own language


@cache
def translations(language: str) -> Translations:
    folder = resources.files("gateway.web") / "translations" / language / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def choose(account: str | None, cookie: str | None, accept_language) -> str:
    """The account's language, else the one remembered in the cookie, else the
    browser's (``Accept-Language``), else English."""
    for language in (account, cookie):
        if language in LANGUAGES:
            return language
    # in the browser's order of preference, by primary tag: fr-BE is French
    for tag, quality in accept_language:
        primary = tag.split("-")[0].lower()
        if quality > 0 and primary in LANGUAGES:
            return primary
    return DEFAULT


def formats(language: str, timezone: str | None = None) -> dict:
    """The filters templates format dates and numbers with, for ``language``; times
    shown in ``timezone`` (an institution's), else in UTC."""
    page_zone = zone_of(timezone)

    def date_(value, style: str = "long", zone: str | None = None) -> str:
        """``zone``: a time zone name to show this moment in (else the page's)."""
        if isinstance(value, str):  # "2026-12-07" is a day, not its midnight
            value = (date.fromisoformat(value) if len(value) == 10
                     else datetime.fromisoformat(value))
        if isinstance(value, datetime):
            return format_datetime(value, style, locale=language,
                                   tzinfo=zone_of(zone) if zone else page_zone)
        if isinstance(value, date):
            return format_date(value, style, locale=language)
        return ""

    def number(value) -> str:
        return format_decimal(value, locale=language)

    return {"datetime": date_, "number": number}


@cache
def zone_of(timezone: str | None) -> ZoneInfo:
    """The IANA zone, or UTC for none or one this machine does not know."""
    try:
        return ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
