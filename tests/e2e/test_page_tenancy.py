"""Tenant isolation of the web app's pages, proven on every page the gateway serves.

As the API's matrix (``test_tenant_isolation.py``), the cases come from the gateway's
own entrypoints: every ``@page`` route is public, for anyone signed in, or an
institution's page. A page added without a class here fails until it is classified.
For each page not public: no session → the sign-in page; a learner → refused; an
admin of A typing B's address → refused, the same 404 as a page that does not exist.
Forms are sent with a valid CSRF token, so a refusal is the page's, not the token's.
"""

from __future__ import annotations

import re

import pytest
import requests

from gateway.service import GatewayService
from gateway.web.page import Page
from tests.support.journey import onboard
from tests.support.platform import start_platform, stop_platform

pytestmark = pytest.mark.e2e

PUBLIC = {  # pages for anyone: what they show depends on no session, or on a token
    "/", "/static/<asset>", "/catalogue", "/catalogue/courses/<course_id>",
    "/catalogue/courses/<course_id>/chapters/<chapter_id>",  # a chapter's xAPI IRI
    "/catalogue/paths", "/apply", "/applications/<application_id>", "/sign-in",
    "/sign-out", "/language", "/invitations/<token>", "/password-reset",
    "/password-reset/<token>",
}
SIGNED_IN = {"/account", "/account/password", "/institution"}  # one's own, no id
LEARNERS = "/learn"  # a learner's own learning: no id of theirs in the address
OPERATORS = "/ops"  # operators' pages: nobody else's, whatever the address names
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def pages() -> list[tuple[str, str]]:
    """(method, url) of every ``@page`` entrypoint of the gateway."""
    found = set()
    for name in dir(GatewayService):
        for entrypoint in getattr(getattr(GatewayService, name), "nameko_entrypoints",
                                  ()):
            if isinstance(entrypoint, Page):
                found.add((entrypoint.method, entrypoint.url))
    return sorted(found, key=lambda p: (p[1], p[0]))


class Browser:
    """A browser's cookies and the CSRF token its pages' forms carry."""

    def __init__(self, url: str):
        self.url = url
        self.http = requests.Session()
        self.token = ""

    def open(self, method: str, path: str, **kwargs):
        if method == "POST":
            kwargs["data"] = {"csrf_token": self.token, **kwargs.get("data", {})}
        return self.http.request(method, self.url + path, allow_redirects=False,
                                 timeout=30, **kwargs)

    def read_token(self, path: str) -> None:
        found = CSRF.search(self.http.get(self.url + path, timeout=30).text)
        assert found, path
        self.token = found.group(1)

    def sign_in(self, email: str, password: str) -> Browser:
        self.read_token("/sign-in")
        answer = self.open("POST", "/sign-in", data={"email": email,
                                                      "password": password})
        assert answer.status_code == 303, answer.text
        self.read_token("/account")  # the session's own token
        return self


@pytest.fixture(scope="module")
def world(tmp_path_factory, vhost_pipeline):
    with vhost_pipeline.get() as vhost:
        p = start_platform(tmp_path_factory.mktemp("page-tenancy"),
                           f"amqp://guest:guest@127.0.0.1:5672/{vhost}")
        try:
            a = onboard(p, "lycee-pages-a.fr", learners=3)
            b = onboard(p, "lycee-pages-b.fr", learners=3)
            anonymous = Browser(p.url)
            anonymous.read_token("/sign-in")
            admin = Browser(p.url).sign_in("direction@lycee-pages-a.fr",
                                           "admin-password-1")
            learner = Browser(p.url).sign_in("eleve0@lycee-pages-a.fr",
                                             "learner-password-1")
            yield p, a, b, {"anonymous": anonymous, "admin": admin, "learner": learner}
        finally:
            assert stop_platform(p) == 0


def path_for(url: str, owner, spare: str) -> str:
    values = {"institution_id": owner.id, "job_id": owner.roster_job_id,
              "learner_id": spare, "application_id": owner.application_id,
              # ids of what is nobody's own: the refusal comes before any lookup
              "course_id": "any-course", "chapter_id": "any-chapter",
              "action": "extension", "member_id": "any-member",
              "partner_id": "any-partner", "letter_id": "1",
              "client_id": "any-client"}
    path = url
    for name, value in values.items():
        path = path.replace(f"<{name}>", value)
    assert "<" not in path, f"{url}: a path parameter the matrix does not know; add it"
    return path


def cases():
    for method, url in pages():
        if url in PUBLIC:
            continue
        assert url in SIGNED_IN or url.startswith(
            ("/institutions/<institution_id>", LEARNERS, OPERATORS)), (
            f"{method} {url}: classify this page (public, signed in, institution's, "
            "a learner's, an operator's)")
        yield pytest.param(method, url, id=f"{method} {url}")


def test_every_page_is_classified():
    assert list(cases())
    assert {url for _, url in pages()} >= PUBLIC | SIGNED_IN, "a page went away"


def refused(answer) -> bool:
    """The 404 page, as for a page that does not exist (never the page itself)."""
    return answer.status_code == 404 and "This page does not exist" in answer.text


@pytest.mark.parametrize(("method", "url"), list(cases()))
def test_every_page_refuses_who_is_not_its_own(world, method, url):
    p, a, b, browsers = world
    own = path_for(url, a, a.learner_ids[2])  # the learner a POST may remove

    answer = browsers["anonymous"].open(method, own)
    assert answer.status_code == 303, (url, answer.status_code, answer.text[:300])
    assert answer.headers["Location"].startswith("/sign-in?next=")

    if url == "/account" or url == "/account/password":
        return  # every signed-in person has their own: nothing of another's here
    if url.startswith(LEARNERS):  # a learner's own: refused to an admin
        assert refused(browsers["admin"].open(method, own)), (url, "admin")
        return
    if url.startswith(OPERATORS):  # refused to the institution's admin and learner
        for who in ("admin", "learner"):
            assert refused(browsers[who].open(method, own)), (url, who)
        return
    answer = browsers["learner"].open(method, own)
    assert refused(answer), (url, answer.status_code)
    if url == "/institution":
        return
    answer = browsers["admin"].open(method, path_for(url, b, b.learner_ids[2]))
    assert refused(answer), ("B's page to A's admin", url, answer.status_code)
    # and the admin's own page answers (a form sent empty may be refused, not 404)
    answer = browsers["admin"].open(method, own)
    assert answer.status_code < 500 and not refused(answer), (url, answer.text[:500])
