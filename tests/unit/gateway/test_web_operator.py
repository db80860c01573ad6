"""What makes an operator's form act once: its fingerprint is what the form said."""

from __future__ import annotations

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.web.operator import form_print


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
