"""Field validators shared by the services' schemas (ISO countries, IANA zones)."""

from __future__ import annotations

import zoneinfo
from functools import cache
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
    from marshmallow import ValidationError

    try:
        return schema.load(payload if payload is not None else {})
    except ValidationError as exc:
        raise invalid(exc.messages) from None
