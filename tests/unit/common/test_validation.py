"""One rule for an e-mail address and one check of a client's text, used everywhere."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError

from services.common.fields import Email
from services.common.validation import email_problem, printable, text_problem
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1
from services.onboarding.contracts.rpc import ApplicationRequest
from services.onboarding.roster import read_rows

GOOD = ["leo@lycee.fr", "o'brien+tag@sub.univ-lyon.fr", "A.B@Lycee-Hugo.FR",
        "x_y-z@a1.b2.c3", "a@b.xn--p1ai", "{x}|~#@x.fr", "a@" + "b" * 63 + ".fr"]
BAD = {
    "x@r2.test.": "the domain ends with a dot",
    'a"b@x': "before the @",
    'a"b@x.test': "before the @",
    '"quoted name"@etu.fr': "before the @",
    "zoe@localhost": "the domain has no dot",
    "élève@école.fr": "only ASCII",
    "a@[192.168.0.1]": "the domain's labels",
    "a@1.2.3.4": "all-digit label",
    "a..b@x.fr": "before the @",
    ".a@x.fr": "before the @",
    "a.@x.fr": "before the @",
    "a@-x.fr": "the domain's labels",
    "a@x..fr": "the domain's labels",
    "a@x-.fr": "the domain's labels",
    "a@" + "b" * 64 + ".fr": "the domain's labels",
    "a" * 65 + "@x.fr": "more than 64 characters",
    "a@" + "b." * 126 + "fr": "longer than 254",
    "zo e@etu.fr": "before the @",
    "zoe@@etu.fr": "before the @",
    "": "no @",
    "@x.fr": "nothing before the @",
    "zoe@": "no domain",
}


@pytest.mark.parametrize("address", GOOD)
def test_an_address_of_the_rule_passes_every_place_that_takes_one(address):
    assert email_problem(address) is None
    [row] = read_rows(f"email,first_name,last_name,cohort\n{address},A,B,C\n")
    assert row.learner is not None
    LEARNERS_ENROLLED_V1.schema().load({"institution_id": "i", "import_job_id": "j",
                                        "learners": [learner(address.lower())]})


@pytest.mark.parametrize("address, why", BAD.items())
def test_an_address_off_the_rule_is_refused_everywhere_saying_why(address, why):
    assert why in email_problem(address)
    with pytest.raises(ValidationError) as refused:
        LEARNERS_ENROLLED_V1.schema().load({
            "institution_id": "i", "import_job_id": "j",
            "learners": [learner("ok@x.fr"), learner(address)]})
    assert why in refused.value.messages["learners"][1]["email"][0]
    with pytest.raises(ValidationError) as refused:
        ApplicationRequest().load({"contact": {"name": "A", "email": address,
                                               "role": "r"}})
    assert why in refused.value.messages["contact"]["email"][0]
    if "," not in address:
        [row] = read_rows(f"email,first_name,last_name,cohort\n{address},A,B,C\n")
        assert (row.column, row.learner) == ("email", None) and why in row.reason


def learner(address: str) -> dict:
    return {"learner_id": "l", "email": address, "first_name": "A", "last_name": "B",
            "cohort": "C", "external_id": None}


def test_the_email_field_is_documented_as_an_email():
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    class Contact(Schema):
        email = Email(required=True)

    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Contact", schema=Contact)
    assert spec.to_dict()["components"]["schemas"]["Contact"]["properties"][
        "email"] == {"type": "string", "format": "email"}


@pytest.mark.parametrize("text, one_line, reason", [
    ("Léo", False, None), ("a\tb\r\nc", False, None), ("a\tb", True, "U+0009"),
    ("a\x00b", False, "NUL (U+0000)"), ("a\x01", False, "control character U+0001"),
    ("a\x7f", True, "U+007F"), ("a\x7f", False, None),
    ("\ud800", False, "lone surrogate (U+D800)"), ("x\udcc3", True, "not UTF-8"),
])
def test_text_with_nul_controls_or_lone_surrogates_is_refused(text, one_line, reason):
    problem = text_problem(text, one_line=one_line)
    assert problem is None if reason is None else reason in problem


def test_a_refused_name_is_shown_with_its_bad_characters_escaped():
    assert printable("a\x00b\udcc3é") == "a\\u0000b\\udcc3é"
