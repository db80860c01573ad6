"""The language licensing writes to an institution's admin in: onboarding's rule,
the one its invitations follow (``primary_language``, onboarding's contract)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files

from services.onboarding.contracts.events import primary_language


def announced_language(approved: Mapping) -> str:
    """What institution.approved.v1 announces (minor version 1); an event of minor
    version 0 has no ``language``: the same rule, from its languages and country."""
    return approved.get("language") or primary_language(
        list(approved.get("languages") or []), approved.get("country") or "")


def language_by_zone(languages: Sequence[str] | None, timezone: str | None) -> str:
    """The same rule where the country was not kept (licences issued before the
    language was): the country is that of the institution's time zone."""
    return primary_language(list(languages or []), country_of_zone(timezone))


def country_of_zone(timezone: str | None) -> str:
    """``Europe/Paris`` → ``FR``; a zone of no country (``UTC``): ``""``."""
    return zone_countries().get(timezone or "", "")


@cache
def zone_countries() -> dict[str, str]:
    """The tz database's zone.tab: each zone's country (tzdata, pinned)."""
    table = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    rows = (line.split("\t") for line in table.splitlines()
            if line and not line.startswith("#"))
    return {row[2]: row[0] for row in rows if len(row) >= 3}
