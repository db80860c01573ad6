"""Records and Strings: batches loaded and dumped like the marshmallow lists they
replace."""

from __future__ import annotations

import pytest
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from services.common.fields import Email, Records, Strings


class Learner(Schema):
    learner_id = fields.String(required=True)
    email = fields.Email(required=True)
    first_name = fields.String(required=True)
    cohort = fields.String(required=True, validate=validate.Length(max=5))
    external_id = fields.String(allow_none=True)
    seats = fields.Integer(load_default=1)
    given = fields.String(data_key="givenName", load_default="")


class Fast(Schema):
    learners = Records(Learner, required=True, validate=validate.Length(min=1, max=3))


class Slow(Schema):
    learners = fields.List(fields.Nested(Learner), required=True,
                           validate=validate.Length(min=1, max=3))


class Flat(Schema):
    """Strings only: records are taken whole when they can be."""

    learner_id = fields.String(required=True)
    email = fields.Email(required=True)
    first_name = fields.String(required=True)
    cohort = fields.String(required=True)
    external_id = fields.String(allow_none=True)
    given = fields.String(data_key="givenName")


class FastFlat(Schema):
    learners = Records(Flat, required=True, validate=validate.Length(min=1, max=3))


class SlowFlat(Schema):  # Records ignore keys they do not know (a newer producer's)
    learners = fields.List(fields.Nested(Flat, unknown=EXCLUDE), required=True,
                           validate=validate.Length(min=1, max=3))


class Enrolled(Schema):
    """The platform's own e-mail field: Records check it inline by the same rule."""

    learner_id = fields.String(required=True)
    email = Email(required=True)
    first_name = fields.String(required=True)


class FastEnrolled(Schema):
    learners = Records(Enrolled, required=True, validate=validate.Length(min=1, max=3))


class SlowEnrolled(Schema):
    learners = fields.List(fields.Nested(Enrolled, unknown=EXCLUDE), required=True,
                           validate=validate.Length(min=1, max=3))


PAIRS = [(Fast, Slow), (FastFlat, SlowFlat), (FastEnrolled, SlowEnrolled)]


def learner(**changes):
    return {"learner_id": "l1", "email": "zoe@etu.fr", "first_name": "Zoé",
            "cohort": "G1", "external_id": None, "givenName": "Zo", **changes}


def outcome(schema, payload):
    try:
        return "loaded", schema.load(payload)
    except ValidationError as exc:
        return "refused", exc.messages


@pytest.mark.parametrize("payload", [
    {"learners": [learner(), learner(learner_id="l2", external_id="x-2")]},
    {"learners": [learner(seats=3), {k: v for k, v in learner().items()
                                     if k not in ("external_id", "givenName")}]},
    {"learners": []},
    {"learners": [learner()] * 4},
    {"learners": "not a list"},
    {"learners": [learner(email="not-an-email")]},
    {"learners": [learner(email=address) for address in (
        "zoe@localhost", "o'brien+tag@sub.univ-lyon.fr", "élève@école.fr",
        '"quoted name"@etu.fr', "a@[192.168.0.1]")]},
    *({"learners": [learner(), learner(email=address)]} for address in (
        "zoe@", "@etu.fr", "zoe@etu", "zoe@@etu.fr", "zo e@etu.fr", "zoe@-etu.fr", "",
        "zoe@etu.fr.", 'a"b@etu.fr', None, 42)),
    {"learners": [learner(learner_id=None), learner(external_id=None, first_name="")]},
    {"learners": [learner(), learner(first_name=None), learner(cohort=42)]},
    {"learners": [{"learner_id": "l3"}]},
    {"learners": [learner(seats="many"), "a string"]},
    {"learners": [learner(cohort="far too long")]},
    {},
])
@pytest.mark.parametrize("fast, slow", PAIRS)
def test_loads_and_refuses_exactly_like_a_list_of_nested_schemas(payload, fast, slow):
    assert outcome(fast(), payload) == outcome(slow(), payload)


def test_unknown_keys_in_a_record_are_ignored_on_load():
    """A consumer reads a newer producer's records (an added field) without failing."""
    loaded = Fast().load({"learners": [learner(nickname="Zozo")]})
    assert "nickname" not in loaded["learners"][0]


@pytest.mark.parametrize("fast, slow", PAIRS)
def test_dumps_exactly_like_a_list_of_nested_schemas(fast, slow):
    class Row:
        learner_id, email, first_name, cohort = "l9", "a@b.fr", "Ana", "G2"
        external_id, seats, given = None, 2, "An"

    data = {"learners": [learner(seats=2, given="Zo"), Row(),
                         {"learner_id": 7, "email": "c@d.fr", "first_name": "C",
                          "cohort": "G"},
                         learner(given="Zo", email=None, external_id=3),
                         learner(given="Zo", first_name="Ana")]}
    assert fast().dump(data) == slow().dump(data)
    assert list(fast().dump(data)["learners"][4]) == list(
        slow().dump(data)["learners"][4])  # the same keys, in the same order
    assert fast().dump(data)["learners"][2]["learner_id"] == "7"


def test_a_record_schema_with_hooks_must_use_nested():
    class Hooked(Schema):
        name = fields.String()

        @post_load
        def upper(self, data, **kwargs):
            return {"name": data["name"].upper()}

    with pytest.raises(TypeError):
        Records(Hooked)


class Ids(Schema):
    fast = Strings(required=True, validate=validate.Length(min=1, max=3))
    plain = fields.List(fields.String(), required=True,
                        validate=validate.Length(min=1, max=3))


@pytest.mark.parametrize("ids", [
    ["l-1", "l-2"], ("l-1",), [], ["l-1", "l-2", "l-3", "l-4"], ["l-1", 7], [None],
    "l-1", None, [b"l-1"],
])
def test_a_list_of_ids_loads_and_refuses_exactly_like_a_list_of_strings(ids):
    def outcome(key):
        try:
            return Ids(only=(key,)).load({key: ids})[key]
        except ValidationError as exc:
            return exc.messages[key]

    assert outcome("fast") == outcome("plain")


@pytest.mark.parametrize("ids", [["l-1", "l-2"], ("l-1",), [7, "l-2"], None])
def test_a_list_of_ids_dumps_exactly_like_a_list_of_strings(ids):
    assert Ids().dump({"fast": ids})["fast"] == Ids().dump({"plain": ids})["plain"]
