"""Eligibility rules kept as data: loading, every failing reason, domain matching."""

from __future__ import annotations

import pytest

from services.onboarding.rules import Rules, same_organisation

PASSING = dict(
    country="FR",
    type="secondary_school",
    email_domain="lycee-hugo.fr",
    website_domain="lycee-hugo.fr",
    expected_learners=300,
)


def test_shipped_rules_load_with_the_documented_limits():
    rules = Rules.load()

    assert {"FR", "BE", "MA", "SN", "CA"} <= rules.closure_countries
    assert rules.allowed_types == {
        "secondary_school",
        "vocational_school",
        "university",
        "grande_ecole",
        "training_centre",
    }
    assert "ac.uk" in rules.academic_domains
    assert (rules.min_learners, rules.max_auto_learners, rules.max_learners) == (
        1,
        5000,
        20000,
    )


def test_rules_load_from_an_operator_file(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text(
        "closure_countries: [fr, be]\n"
        "allowed_types: [university]\n"
        "academic_domains: [.edu, AC.UK]\n"
        "expected_learners: {min: 5, max_auto: 100, max: 500}\n",
        encoding="utf-8",
    )

    rules = Rules.load(path)

    assert rules.closure_countries == {"FR", "BE"}
    assert rules.allowed_types == {"university"}
    assert rules.academic_domains == ("edu", "ac.uk")
    assert (rules.min_learners, rules.max_auto_learners, rules.max_learners) == (
        5,
        100,
        500,
    )
    assert rules.failing_reasons(**{**PASSING, "type": "university"}) == [
        "300 expected learners exceeds the 100 approved without review"
    ]


def test_an_application_passing_every_rule_has_no_reason():
    assert Rules.load().failing_reasons(**PASSING) == []


def test_every_failing_reason_is_listed_not_only_the_first():
    reasons = Rules.load().failing_reasons(
        country="JP",
        type="kindergarten",
        email_domain="gmail.com",
        website_domain="lycee-hugo.fr",
        expected_learners=5001,
    )

    assert len(reasons) == 4
    assert "country JP is not on the closure list" in reasons
    assert "institution type kindergarten is not eligible" in reasons
    assert any("gmail.com" in r and "lycee-hugo.fr" in r for r in reasons)
    assert any("5001 expected learners" in r and "5000" in r for r in reasons)


@pytest.mark.parametrize("learners, failing", [(5000, False), (5001, True)])
def test_expected_learners_up_to_max_auto_pass(learners, failing):
    reasons = Rules.load().failing_reasons(**{**PASSING, "expected_learners": learners})
    assert bool(reasons) is failing


@pytest.mark.parametrize(
    "domain",
    [
        "mit.edu",
        "ox.ac.uk",
        "ac.uk",
        "ac-paris.fr",
        "lettres.univ.fr",
        "MAIL.OX.AC.UK".lower(),
    ],
)
def test_academic_domains_match_by_suffix(domain):
    rules = Rules.load()
    assert rules.is_academic(domain)
    assert rules.failing_reasons(**{**PASSING, "email_domain": domain}) == []


@pytest.mark.parametrize(
    "domain",
    ["notedu", "edu.example.com", "fakeac.uk", "gmail.com", "ac-paris.fr.evil.com"],
)
def test_lookalike_domains_are_not_academic(domain):
    assert not Rules.load().is_academic(domain)


@pytest.mark.parametrize(
    "email_domain, website_domain",
    [
        ("lycee-hugo.fr", "lycee-hugo.fr"),
        ("mail.lycee-hugo.fr", "lycee-hugo.fr"),
        ("lycee-hugo.fr", "ent.lycee-hugo.fr"),
        ("Lycee-Hugo.FR", "lycee-hugo.fr"),
    ],
)
def test_same_organisation_accepts_the_domain_and_its_subdomains(
    email_domain,
    website_domain,
):
    assert same_organisation(email_domain, website_domain)


@pytest.mark.parametrize(
    "email_domain, website_domain",
    [
        ("hugo.fr", "lycee-hugo.fr"),
        ("lycee-hugo.fr", "lycee-hugo.com"),
        ("gmail.com", "lycee-hugo.fr"),
    ],
)
def test_same_organisation_refuses_other_domains(email_domain, website_domain):
    assert not same_organisation(email_domain, website_domain)


def test_fewer_learners_than_the_operator_minimum_is_a_failing_reason(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text(
        "closure_countries: [FR]\n"
        "allowed_types: [secondary_school]\n"
        "academic_domains: [edu]\n"
        "expected_learners: {min: 10, max_auto: 5000, max: 20000}\n",
        encoding="utf-8",
    )
    rules = Rules.load(path)

    reasons = rules.failing_reasons(**{**PASSING, "expected_learners": 5})

    assert len(reasons) == 1
    assert "5" in reasons[0] and "10" in reasons[0]
