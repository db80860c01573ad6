"""Callers' store requests sent together (the gateway's combiner: decision 0065):
each caller gets the answer it would have had alone, sent in that order, and one
caller's refusal takes nothing of another's; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from nameko.exceptions import deserialize

from services.lrs.contracts.errors import Conflict, Invalid

from .test_store_and_query import (  # noqa: F401  (the fixture)
    AUTHORITY,
    INSTITUTION,
    get,
    lrs,
    query,
    statement,
    store,
    void,
)


def request(statements, institution=INSTITUTION, owner="client:1") -> dict:
    return {"institution_id": institution, "authority": AUTHORITY, "owner": owner,
            "statements": statements}


def store_each(lrs, *requests) -> list:
    """Each request's ids, or its error raised as the gateway would raise it."""
    answers = lrs.store_statements_each({"requests": list(requests)})
    return [deserialize(a["error"]) if "error" in a else a["stored"]["ids"]
            for a in answers]


def test_requests_sent_together_are_each_stored_and_answered_in_order(lrs):
    singles = [statement(n) for n in range(5)]
    batch = [statement(10 + n) for n in range(3)]
    answers = store_each(lrs, *[request([s]) for s in singles], request(batch))
    assert answers == [[s["id"]] for s in singles] + [[s["id"] for s in batch]]
    assert len(query(lrs)["statements"]) == 8
    assert get(lrs, singles[3]["id"])["object"]["id"].endswith("/c/3")


def test_an_invalid_request_is_refused_alone(lrs):
    good, bad = statement(1), statement(2)
    del bad["verb"]
    answers = store_each(lrs, request([good]), request([bad]), request([statement(3)]))
    assert answers[0] == [good["id"]] and isinstance(answers[1], Invalid)
    assert len(query(lrs)["statements"]) == 2


def test_an_id_resent_with_other_content_is_a_conflict_for_that_caller_only(lrs):
    first = statement(1)
    store(lrs, [first])
    clash = {**statement(2), "id": first["id"]}
    others = [statement(3), statement(4)]
    answers = store_each(lrs, request([others[0]]), request([clash, statement(5)]),
                         request([others[1]]))
    assert isinstance(answers[1], Conflict)
    assert answers[0] == [others[0]["id"]] and answers[2] == [others[1]["id"]]
    # the refused request stored nothing, its other statement neither
    assert {s["id"] for s in query(lrs)["statements"]} == {
        first["id"], others[0]["id"], others[1]["id"]}
    assert get(lrs, first["id"])["object"]["id"].endswith("/c/1")


def test_the_same_statement_from_two_callers_is_stored_once(lrs):
    sent = statement(1)
    answers = store_each(lrs, request([sent]), request([dict(sent)]))
    assert answers == [[sent["id"]], [sent["id"]]]
    assert len(query(lrs)["statements"]) == 1


def test_the_same_id_with_other_content_from_a_later_caller_is_its_conflict(lrs):
    sent = statement(1)
    answers = store_each(lrs, request([sent]), request([{**statement(2),
                                                         "id": sent["id"]}]))
    assert answers[0] == [sent["id"]] and isinstance(answers[1], Conflict)
    assert get(lrs, sent["id"])["object"]["id"].endswith("/c/1")


def test_a_statement_voided_by_another_caller_of_the_same_call(lrs):
    target = statement(1)
    answers = store_each(lrs, request([void(target["id"])]), request([target]))
    assert all(isinstance(a, list) for a in answers)
    assert get(lrs, target["id"], voided=True)["id"] == target["id"]
    assert target["id"] not in {s["id"] for s in query(lrs)["statements"]}


def test_voiding_a_voiding_statement_sent_before_it_is_refused(lrs):
    target = statement(1)
    voiding = void(target["id"])
    store(lrs, [target])
    answers = store_each(lrs, request([voiding]), request([void(voiding["id"])]),
                         request([statement(2)]))
    assert isinstance(answers[0], list) and isinstance(answers[2], list)
    assert isinstance(answers[1], Invalid)
    assert answers[1].violations[0]["rule"] == "voiding.target-not-voiding"


@pytest.mark.parametrize("other", ["inst-2"])
def test_one_id_in_two_institutions_is_two_statements(lrs, other):
    sent = statement(1)
    answers = store_each(lrs, request([sent]), request([dict(sent)], other))
    assert answers == [[sent["id"]], [sent["id"]]]
    assert get(lrs, sent["id"])["id"] == get(lrs, sent["id"], institution=other)["id"]


def test_statements_over_an_events_size_go_in_several_events_in_order():
    """A combined call's statements near the broker's message limit would make an
    event the relay could never publish: they are split, none lost or repeated."""
    from services.common.db import utcnow
    from services.lrs.service import announced
    from services.lrs.store import Stored

    now = utcnow()

    def fact(n, institution=INSTITUTION):
        return {"statement_id": str(n), "institution_id": institution, "stored": now,
                "statement": {"id": str(n)}, "size": 400}

    outcomes = [Stored(["0", "1"], [fact(0), fact(1)]),
                Stored(["2"], [fact(2, "inst-2")]),
                Stored(["3", "4"], [fact(3), fact(4)])]
    events = announced(outcomes, max_bytes=1000)
    assert [(e["institution_id"], [s["id"] for s in e["statements"]])
            for e in events] == [(INSTITUTION, ["0", "1"]), ("inst-2", ["2"]),
                                 (INSTITUTION, ["3", "4"])]
    # one statement larger than the limit still goes, alone
    assert len(announced([Stored(["9"], [{**fact(9), "size": 5000}])],
                         max_bytes=1000)) == 1
