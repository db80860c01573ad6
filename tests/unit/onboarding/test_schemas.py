"""ApplicationRequest: what a visitor may send, field by field."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from services.onboarding.contracts.rpc import ApplicationRequest


def errors_of(data, **schema_kwargs) -> dict:
    with pytest.raises(ValidationError) as raised:
        ApplicationRequest(**schema_kwargs).load(data)
    return raised.value.messages


def test_a_valid_application_loads_normalised(payload):
    loaded = ApplicationRequest().load(
        payload(
            name="  Lycée   Victor  Hugo ",
            country=" fr ",
            languages=["fr", "en"],
        )
    )

    assert loaded["name"] == "Lycée Victor Hugo"
    assert loaded["country"] == "FR"
    assert loaded["languages"] == ["en", "fr"]
    assert loaded["website_domain"] == "lycee-hugo.fr"


def test_repeated_languages_are_kept_once(payload):
    loaded = ApplicationRequest().load(payload(languages=["fr", "fr"]))
    assert loaded["languages"] == ["fr"]


@pytest.mark.parametrize(
    "website, domain",
    [
        ("https://www.lycee-hugo.fr", "lycee-hugo.fr"),
        ("http://WWW.Lycee-Hugo.FR:8080/accueil?x=1", "lycee-hugo.fr"),
        ("https://ent.lycee-hugo.fr/", "ent.lycee-hugo.fr"),
        ("https://www2.lycee-hugo.fr", "www2.lycee-hugo.fr"),
    ],
)
def test_website_domain_is_the_host_without_www(payload, website, domain):
    assert (
        ApplicationRequest().load(payload(website=website))["website_domain"] == domain
    )


@pytest.mark.parametrize(
    "website",
    [
        "ftp://lycee-hugo.fr",
        "javascript:alert(1)",
        "lycee-hugo.fr",
        "https://",
        "",
    ],
)
def test_website_must_be_an_http_or_https_url(payload, website):
    assert "website" in errors_of(payload(website=website))


@pytest.mark.parametrize("country", ["XX", "FRA", "F", "", 33])
def test_country_must_be_iso_3166_alpha_2(payload, country):
    assert "country" in errors_of(payload(country=country))


@pytest.mark.parametrize("country", ["FR", "be", "SN", "ca"])
def test_known_countries_are_accepted_in_any_case(payload, country):
    assert (
        ApplicationRequest().load(payload(country=country))["country"]
        == country.upper()
    )


@pytest.mark.parametrize("tz", ["Paris", "europe/paris", "UTC+2", "Mars/Olympus"])
def test_timezone_must_be_an_iana_name(payload, tz):
    assert "timezone" in errors_of(payload(timezone=tz))


@pytest.mark.parametrize(
    "tz", ["Europe/Paris", "Africa/Dakar", "America/Montreal", "UTC"]
)
def test_iana_timezones_are_accepted(payload, tz):
    assert ApplicationRequest().load(payload(timezone=tz))["timezone"] == tz


@pytest.mark.parametrize(
    "email", ["anne", "anne@", "@lycee-hugo.fr", "anne martin@x.fr"]
)
def test_contact_email_must_be_an_address(payload, email):
    assert "email" in errors_of(payload(contact={"email": email}))["contact"]


@pytest.mark.parametrize("kind", ["kindergarten", "", "University"])
def test_type_must_be_one_of_the_institution_types(payload, kind):
    assert "type" in errors_of(payload(type=kind))


@pytest.mark.parametrize(
    "kind",
    [
        "secondary_school",
        "vocational_school",
        "university",
        "grande_ecole",
        "training_centre",
    ],
)
def test_every_institution_type_is_accepted(payload, kind):
    assert ApplicationRequest().load(payload(type=kind))["type"] == kind


@pytest.mark.parametrize("languages", [[], ["de"], ["fr", "en", "es"], "fr"])
def test_languages_are_one_or_two_of_fr_and_en(payload, languages):
    assert "languages" in errors_of(payload(languages=languages))


@pytest.mark.parametrize("learners", [0, -5, 20001, "300", 12.5, None])
def test_expected_learners_is_an_integer_within_bounds(payload, learners):
    assert "expected_learners" in errors_of(payload(expected_learners=learners))


@pytest.mark.parametrize("learners", [1, 20000])
def test_expected_learners_bounds_are_inclusive(payload, learners):
    loaded = ApplicationRequest().load(payload(expected_learners=learners))
    assert loaded["expected_learners"] == learners


def test_the_upper_bound_follows_the_rules(payload):
    assert "expected_learners" in errors_of(
        payload(expected_learners=600), max_learners=500
    )


def test_unknown_fields_are_rejected_at_every_level(payload):
    data = payload(budget=1000)
    data["contact"]["phone"] = "+33 1 23 45 67 89"

    errors = errors_of(data)

    assert "budget" in errors
    assert "phone" in errors["contact"]


def test_every_required_field_is_reported_at_once():
    errors = errors_of({})

    assert set(errors) == {
        "name",
        "type",
        "country",
        "city",
        "website",
        "contact",
        "expected_learners",
        "languages",
        "timezone",
    }


def test_name_too_short_after_collapsing_spaces(payload):
    assert "name" in errors_of(payload(name="  A  "))
