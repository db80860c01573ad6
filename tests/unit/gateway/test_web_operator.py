"""What makes an operator's form act once (its fingerprint is what the form said), and
what an audit record on the institution's page shows of what an action changed."""

from __future__ import annotations

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.web.operator import form_print
from gateway.web.operator_institution import Change, changes


def posted(path: str, **form) -> Request:
    return Request(EnvironBuilder(path=path, method="POST", data=form).get_environ())


def test_a_form_sent_again_is_the_same_form_whatever_its_tokens():
    first = posted("/ops/review/a-1", decision="reject", reason="Not a school",
                   csrf_token="one", idempotency_key="k-1")
    again = posted("/ops/review/a-1", decision="reject", reason="Not a school",
                   csrf_token="two", idempotency_key="k-1")
    assert form_print(first) == form_print(again)


def test_another_reason_or_another_application_is_another_form():
    base = form_print(posted("/ops/review/a-1", decision="reject",
                             reason="Not a school"))
    assert base != form_print(posted("/ops/review/a-1", decision="reject",
                                     reason="A company"))
    assert base != form_print(posted("/ops/review/a-2", decision="reject",
                                     reason="Not a school"))


def test_an_audit_record_shows_the_fields_its_action_changed():
    before = {"status": "active", "seats_granted": 10,
              "ends_at": "2027-03-07T07:44:55.882187+00:00"}
    extended = {**before, "ends_at": "2027-04-06T07:44:55.882187+00:00"}
    assert changes(before, extended) == [
        Change("ends_at", before["ends_at"], extended["ends_at"])]
    added = {**before, "seats_granted": 25}
    assert [c.field for c in changes(before, added)] == ["seats_granted"]
    # a retry that met its own work done changed nothing
    assert changes(before, dict(before)) == []


def test_what_an_action_created_or_removed_shows_what_it_kept_of_it():
    issued = {"institution_id": "i-1", "name": "Moodle", "key": "lrs_abc",
              "scopes": ["statements/write"], "revoked_at": None}
    # the page is the institution's: its id is not repeated; nothing is shown empty
    assert [(c.field, c.before, c.after) for c in changes(None, issued)] == [
        ("name", None, "Moodle"), ("key", None, "lrs_abc"),
        ("scopes", None, ["statements/write"])]
    admin = {"email": "adjoint@lycee.fr", "role": "institution_admin"}
    assert [(c.field, c.before, c.after) for c in changes(admin, None)] == [
        ("email", "adjoint@lycee.fr", None), ("role", "institution_admin", None)]


def test_a_change_to_one_of_several_clients_says_which_one():
    client = {"institution_id": "i-1", "name": "Moodle", "key": "lrs_abc",
              "scopes": ["statements/write"], "revoked_at": None}
    revoked = {**client, "revoked_at": "2026-12-07T08:00:00+00:00"}
    assert changes(client, revoked) == [
        Change("name", "Moodle", "Moodle"),
        Change("revoked_at", None, "2026-12-07T08:00:00+00:00")]
    assert changes(revoked, dict(revoked)) == []  # a retried revocation
