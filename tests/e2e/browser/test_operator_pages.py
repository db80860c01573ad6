"""The operators' pages as an operator uses them in a surge week, in headless
Chromium: decide the review queue (a double submit decides once), find institutions
by filters, extend a licence and add seats and read their audit records on the
institution's page (in both languages, on a phone too), invite and remove an admin
(their session and token end at once), issue and revoke a partner's key, watch the
surge page refresh itself. Every page is checked with axe-core and photographed in
both languages, on a desktop and on a 360 px phone."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
import requests

from tests.support.journey import OPERATOR, accept, application, login, operator
from tests.support.waiting import wait_for

from .conftest import check, shot, sign_in

pytestmark = pytest.mark.e2e

OPS_PAGES = ("/ops/review", "/ops/institutions", "/ops/webinars", "/ops/partners",
             "/ops/lrs-clients", "/ops/surge", "/ops/dead-letters")
XAPI = {"X-Experience-API-Version": "1.0.3"}
# the one operator signs in a dozen times a minute here (a page session and an API
# token per test), all from one address: past the limits per account (10/60) and per
# address (20/60), which test_rate_limits.py proves
PLATFORM_ENV = {"RATE_LIMIT_LOGIN_ACCOUNT": "60/60", "RATE_LIMIT_LOGIN": "100/60"}


def apply(platform, domain: str, learners: int = 10, country: str = "FR") -> dict:
    """An application sent through the API; 6,000 learners wait for an operator."""
    body = application(domain, learners)
    body["country"] = country
    answer = platform.api("POST", "/api/v1/applications", json=body)
    assert answer.status_code == 202, answer.text
    return answer.json()


def active_institution(platform, domain: str, country: str = "FR") -> str:
    applied = apply(platform, domain, country=country)
    status = applied["status_url"].replace(platform.url, "")
    return wait_for(lambda: (r := platform.api("GET", status).json())["status"]
                    == "active" and r["institution_id"], timeout=30)


FRENCH_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                 "sept.", "oct.", "nov.", "déc.")


def written(moment: str, language: str) -> str:
    """How a page writes the day and time of an API's moment (UTC), to the second."""
    at = datetime.fromisoformat(moment).astimezone(UTC)
    if language == "fr":
        return f"{at.day} {FRENCH_MONTHS[at.month - 1]} {at.year}, {at:%H:%M:%S}"
    return f"{at:%b} {at.day}, {at.year}, {at.hour % 12 or 12}:{at:%M:%S}"


def audit_of(platform, token: str, **params) -> list[dict]:
    answer = platform.api("GET", "/api/v1/audit", token, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


@pytest.fixture
def ops(page):
    sign_in(page, OPERATOR["email"], OPERATOR["password"], "/ops/review")
    return page


def test_the_queue_approves_once_on_a_double_submit_and_rejects_with_a_reason(
        ops, platform):
    page = ops
    first = apply(platform, "queue-un.fr", learners=6000)
    second = apply(platform, "queue-deux.fr", learners=6000)
    token = operator(platform)
    page.goto("/ops/review")
    card = page.locator(f"#application-{first['id']}")
    assert "6,000" in card.inner_text()  # the numbers as the locale writes them
    assert card.locator(".reasons li").count() >= 1  # the rules' reasons
    check(page, "ops-review")

    # a double click, then the same form sent again: one decision, one audit record
    form = card.locator("form.inline")
    fields = {name: form.locator(f"input[name={name}]").input_value()
              for name in ("csrf_token", "idempotency_key", "decision")}
    form.get_by_role("button").dblclick()
    page.wait_for_url("**/ops/review?decided=approved*")
    assert "approved" in page.locator(".notice").inner_text()
    again = page.request.post(f"/ops/review/{first['id']}", form=fields)
    assert again.ok and again.url.endswith("/ops/review?decided=approved&name="
                                           "%C3%89tablissement%20queue-un.fr")
    records = [r for r in audit_of(platform, token, action="application.approved")
               if r["target_id"] == first["id"]]
    assert len(records) == 1, records
    assert records[0]["before"]["status"] == "needs_review"
    assert records[0]["operator_email"] == OPERATOR["email"]
    assert page.locator(f"#application-{first['id']}").count() == 0

    # a rejection needs its reason, said next to the field
    card = page.locator(f"#application-{second['id']}")
    card.get_by_label("Reason for rejecting").fill(" x ")
    card.get_by_role("button", name=re.compile("^Reject")).click()
    reason = page.locator(f"#reason-{second['id']}")
    assert "Say why the application is rejected" in page.locator(
        f"#reason-{second['id']}-error").inner_text()
    assert reason.get_attribute("aria-invalid") == "true"
    check(page, "ops-review-error")
    reason.fill("Not a school: a private tutoring company")
    page.locator(f"#application-{second['id']}").get_by_role(
        "button", name=re.compile("^Reject")).click()
    page.wait_for_url("**/ops/review?decided=rejected*")
    rejected = [r for r in audit_of(platform, token, action="application.rejected")
                if r["target_id"] == second["id"]]
    assert [r["after"]["decision_reason"] for r in rejected] == [
        "Not a school: a private tutoring company"]


def test_institutions_by_filter_a_licence_extended_and_its_audit_on_the_page(
        ops, platform):
    page = ops
    lycee = active_institution(platform, "filtre-lycee.fr")
    ecole = active_institution(platform, "filtre-ecole.be", country="BE")
    token = operator(platform)

    # the API: filters, keyset pages, operators only, a bad filter named
    belgian = platform.api("GET", "/api/v1/institutions", token,
                           params={"country": "be", "q": "filtre"}).json()
    assert [i["id"] for i in belgian["items"]] == [ecole]
    assert belgian["items"][0]["plan"] == "spark"
    one = platform.api("GET", "/api/v1/institutions", token,
                       params={"q": "filtre-", "limit": 1}).json()
    following = platform.api("GET", "/api/v1/institutions", token, params={
        "q": "filtre-", "limit": 1, "cursor": one["next_cursor"]}).json()
    assert [one["items"][0]["id"], following["items"][0]["id"]] == [ecole, lycee]
    on_plan = platform.api("GET", "/api/v1/institutions", token,
                           params={"plan": "spark", "q": "filtre-"}).json()
    assert {i["id"] for i in on_plan["items"]} == {lycee, ecole}
    nowhere = platform.api("GET", "/api/v1/institutions", token,
                           params={"country": "XX"})
    assert nowhere.status_code == 422
    assert nowhere.json()["errors"][0]["field"] == "country"
    admin = accept(platform, "direction@filtre-lycee.fr", "admin-password-1")
    assert platform.api("GET", "/api/v1/institutions", admin).status_code == 404

    # the page: the same filters
    page.goto("/ops/institutions")
    page.get_by_label("Name or city").fill("filtre")
    page.get_by_label("Country (two-letter code)").fill("FR")
    page.get_by_label("Status").select_option("active")
    page.get_by_label("Plan").select_option("spark")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.institutions tbody tr")
    assert rows.count() == 1 and "filtre-lycee.fr" in rows.inner_text()
    check(page, "ops-institutions")
    page.get_by_label("Country (two-letter code)").fill("ZZ")
    page.get_by_role("button", name="Search").click()
    assert "ISO 3166-1" in page.locator("#country-error").inner_text()
    page.get_by_label("Country (two-letter code)").fill("FR")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Établissement filtre-lycee.fr").click()
    page.wait_for_url(f"**/ops/institutions/{lycee}")

    # extend the licence and add seats: each done once, and its audit record is on
    # the page, read at a glance: what changed, from what to what, and its request
    before = platform.api("GET", f"/api/v1/institutions/{lycee}/licence", token).json()
    page.get_by_label("Extend by (days, 1 to 365)").fill("30")
    page.get_by_role("button", name="Extend the licence").click()
    page.wait_for_url("**?done=extension")
    after = platform.api("GET", f"/api/v1/institutions/{lycee}/licence", token).json()
    assert after["days_left"] == before["days_left"] + 30
    page.get_by_label("Seats to add").fill("1000")
    page.get_by_role("button", name="Add the seats").click()
    page.wait_for_url("**?done=seats")
    requests_of = {r["action"]: r["request_id"]
                   for r in audit_of(platform, token, institution_id=lycee)}
    seats, extended = page.locator(".audit-record").all()[:2]  # newest first
    assert extended.locator(".audit-action").inner_text() == "Licence extended"
    assert OPERATOR["email"] in extended.locator(".audit-head").inner_text()
    # only what changed: the end, not the state and seats it kept
    assert extended.locator(".changes dt").all_inner_texts() == ["Ends"]
    assert extended.locator(".before").inner_text().startswith(
        written(before["ends_at"], "en"))
    assert extended.locator(".after").inner_text().startswith(
        written(after["ends_at"], "en"))
    assert ".88" not in extended.inner_text() and "+00:00" not in extended.inner_text()
    assert extended.locator(".request-id code").inner_text() == requests_of[
        "licence.extended"]
    assert seats.locator(".changes dt").all_inner_texts() == ["Seats"]
    assert [seats.locator(s).inner_text() for s in (".before", ".after")] == [
        "10", "1,010"]
    assert seats.locator(".request-id code").inner_text() == requests_of[
        "licence.seats_added"]
    # nothing wider than the page: no record cut off at its right edge
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    check(page, "ops-institution-audit")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".audit").scroll_into_view_if_needed()
    shot(page, "ops-institution-audit-360", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    # in French: the same records, the fields named and the values written as the
    # page writes them in French
    page.get_by_role("button", name="Français").click()
    try:
        page.wait_for_function("document.documentElement.lang == 'fr'")
        seats, extended = page.locator(".audit-record").all()[:2]
        assert extended.locator(".audit-action").inner_text() == "Licence prolongée"
        assert extended.locator(".changes dt").all_inner_texts() == ["Fin"]
        assert extended.locator(".before").inner_text().startswith(
            written(before["ends_at"], "fr"))
        assert extended.locator(".after").inner_text().startswith(
            written(after["ends_at"], "fr"))
        assert seats.locator(".changes dt").all_inner_texts() == ["Places"]
        assert seats.locator(".after").inner_text() == "1\u202f010"
        assert "Identifiant de la requête" in extended.locator(
            ".request-id").inner_text()
        check(page, "ops-institution-audit")
        page.set_viewport_size({"width": 360, "height": 740})
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator(".audit").scroll_into_view_if_needed()
        shot(page, "ops-institution-audit-360", full_page=False)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.get_by_role("button", name="English").click()
        page.wait_for_function("document.documentElement.lang == 'en'")
    # a revocation is not done unconfirmed
    csrf = page.locator("input[name=csrf_token]").first.input_value()
    unconfirmed = page.request.post(
        f"/ops/institutions/{lycee}/licence/revocation",
        form={"csrf_token": csrf, "idempotency_key": "revoke-unconfirmed",
              "reason": "a test"})
    assert unconfirmed.status == 422 and "Tick the box" in unconfirmed.text()
    assert platform.api("GET", f"/api/v1/institutions/{lycee}/licence",
                        token).json()["status"] == "active"

    # another admin through the API: a retry with the same key invites once
    invite = {"json": {"email": "adjointe@filtre-lycee.fr"},
              "headers": {"Idempotency-Key": "invite-adjointe-1"}}
    first = platform.api("POST", f"/api/v1/institutions/{lycee}/admins", token,
                         **invite)
    again = platform.api("POST", f"/api/v1/institutions/{lycee}/admins", token,
                         **invite)
    assert first.status_code == again.status_code == 201, first.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert platform.invitation_token("adjointe@filtre-lycee.fr")
    invited = audit_of(platform, token, action="admin.invited", institution_id=lycee)
    assert [r["after"]["email"] for r in invited] == ["adjointe@filtre-lycee.fr"]
    page.reload()
    assert "adjointe@filtre-lycee.fr" in page.locator(".admins").inner_text()
    newest = page.locator(".audit-record").first
    assert newest.locator(".audit-action").inner_text() == "Admin invited"
    assert "adjointe@filtre-lycee.fr" in newest.locator(".changes").inner_text()


def test_an_admin_removed_loses_token_and_session_and_the_last_one_stays(
        ops, browser, platform):
    page = ops
    institution = active_institution(platform, "retrait-admin.fr")
    token = operator(platform)
    accept(platform, "direction@retrait-admin.fr", "admin-password-1")
    page.goto(f"/ops/institutions/{institution}")
    assert "The last admin" in page.locator(".admins").inner_text()
    page.get_by_label("Invite another admin (e-mail address)").fill(
        "adjoint@retrait-admin.fr")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url("**?done=invited")
    second = accept(platform, "adjoint@retrait-admin.fr", "second-password-1")
    assert platform.api("GET", "/api/v1/me", second).status_code == 200

    # the second admin signed in, in a browser of their own
    theirs = browser.new_context(base_url=platform.url, locale="en-GB")
    tab = theirs.new_page()
    try:
        sign_in(tab, "adjoint@retrait-admin.fr", "second-password-1")
        page.reload()
        page.get_by_label("Confirm the removal of adjoint@retrait-admin.fr").check()
        page.get_by_role("button", name="Remove adjoint@retrait-admin.fr").click()
        page.wait_for_url("**?done=removed")
        assert "adjoint@" not in page.locator(".admins").inner_text()
        assert "Admin removed" in page.locator(".audit").inner_text()
        # at once: the session ends, and the token within the revocation refresh
        tab.goto("/account")
        tab.wait_for_url("**/sign-in?next=/account")
        wait_for(lambda: platform.api("GET", "/api/v1/me", second).status_code == 401,
                 timeout=15)
        assert platform.api("POST", "/api/v1/auth/token", json={
            "email": "adjoint@retrait-admin.fr",
            "password": "second-password-1"}).status_code == 401
    finally:
        theirs.close()
    removed = [r for r in audit_of(platform, token, action="admin.removed",
                                   institution_id=institution)]
    assert [r["before"]["email"] for r in removed] == ["adjoint@retrait-admin.fr"]

    # the last admin cannot be removed, and the answer says why
    admins = platform.api("GET", f"/api/v1/institutions/{institution}/admins",
                          token).json()["items"]
    assert [a["email"] for a in admins] == ["direction@retrait-admin.fr"]
    last = platform.api("DELETE",
                        f"/api/v1/institutions/{institution}/admins/{admins[0]['id']}",
                        token)
    assert last.status_code == 409 and last.json()["type"].endswith("/last-admin")
    assert "last admin" in last.json()["detail"]
    assert login(platform, "direction@retrait-admin.fr", "admin-password-1")
    assert "The last admin" in page.locator(".admins").inner_text()


def test_a_partner_key_issued_once_then_revoked(ops, platform):
    page = ops
    page.goto("/ops/partners")
    page.get_by_label("Name", exact=True).fill("Moodle Partner")
    page.get_by_label("Contact e-mail address").fill("tech@moodle-partner.example")
    page.get_by_label("Events it receives (patterns, separated by spaces)").fill(
        "licence.*.v1")
    page.get_by_role("button", name="Create the partner and its key").click()
    key = page.locator(".api-key").inner_text().strip()
    assert key.startswith("ck_")
    me = platform.api("GET", "/api/v1/me", key)
    assert me.status_code == 200 and me.json()["role"] == "partner"
    check(page, "ops-partner-key")
    page.goto("/ops/partners")
    assert page.locator(".api-key").count() == 0  # shown once
    page.get_by_label("Confirm: the key of Moodle Partner stops working now").check()
    page.get_by_role("button", name="Revoke the key of Moodle Partner").click()
    page.wait_for_url("**/ops/partners?revoked=*")
    assert platform.api("GET", "/api/v1/me", key).status_code == 401
    assert "Revoked on" in page.locator(".partner").first.inner_text()


def statement() -> dict:
    return {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:eleve@lrs-ops.fr"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed",
                     "display": {"en-US": "completed"}},
            "object": {"id": "https://courses.example.org/c/1"}}


def test_an_lrs_client_issued_its_secret_shown_once_used_then_revoked(ops, platform):
    page = ops
    institution = active_institution(platform, "lrs-ops.fr")
    token = operator(platform)
    page.goto(f"/ops/institutions/{institution}")
    assert "No client may use the LRS" in page.locator("main").inner_text()
    page.get_by_role("link", name="Its LRS clients: issue one, revoke one").click()
    page.wait_for_url(f"**/ops/lrs-clients?institution_id={institution}")
    assert page.locator("h1").inner_text() == \
        "LRS clients of Établissement lrs-ops.fr"

    # no scope ticked: said next to the boxes, nothing issued
    page.get_by_label("Name of the tool").fill("Moodle du campus")
    for box in page.locator("fieldset.scopes input[type=checkbox]").all():
        box.uncheck()
    page.get_by_role("button", name="Issue the client and its password").click()
    assert "Tick at least one scope." in page.locator("#scopes-error").inner_text()
    check(page, "ops-lrs-client-error")
    assert page.get_by_label("Name of the tool").input_value() == "Moodle du campus"
    page.get_by_label(re.compile("^Store statements")).check()
    page.get_by_label(re.compile("^Read the statements it stored")).check()
    form = page.locator("form[action='/ops/lrs-clients']")
    sent = [(name, box.input_value()) for box in form.locator("input").all()
            if (name := box.get_attribute("name")) != "scopes" or box.is_checked()]
    page.get_by_role("button", name="Issue the client and its password").click()

    # the secret, once, with where and how to use it
    card = page.locator(".key-once")
    endpoint = card.locator(".xapi-endpoint").inner_text().strip()
    key = card.locator(".lrs-key").inner_text().strip()
    secret = card.locator(".lrs-secret").inner_text().strip()
    assert endpoint == f"{platform.url}/xapi/" and key.startswith("lrs_")
    assert f"curl -u '{key}:{secret}'" in card.locator("pre").inner_text()
    check(page, "ops-lrs-client-secret")
    one = statement()
    stored = requests.post(f"{endpoint}statements", auth=(key, secret), json=one,
                           headers=XAPI, timeout=30)
    assert stored.status_code == 200, stored.text
    assert stored.json() == [one["id"]]
    # it reads back what it stored (statements/read/mine)
    mine = requests.get(f"{endpoint}statements", auth=(key, secret), headers=XAPI,
                        timeout=30)
    assert [s["id"] for s in mine.json()["statements"]] == [one["id"]]
    page.goto(f"/ops/lrs-clients?institution_id={institution}")
    assert page.locator(".lrs-secret").count() == 0 and secret not in page.content()
    # the same form sent again (a double click, a retry): one client, one record
    again = page.request.post("/ops/lrs-clients", data=urlencode(sent), headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert again.ok and secret not in again.text() and ".lrs-secret" not in again.text()
    listed = platform.api("GET", "/api/v1/lrs/clients", token,
                          params={"institution_id": institution}).json()["items"]
    assert [(c["key"], c["scopes"]) for c in listed] == [
        (key, ["statements/read/mine", "statements/write"])]
    issued = audit_of(platform, token, action="lrs_client.issued",
                      institution_id=institution)
    assert [r["after"]["key"] for r in issued] == [key]
    assert issued[0]["operator_email"] == OPERATOR["email"]
    assert "secret" not in issued[0]["after"]

    # revoked, confirmed: the same credentials are refused within seconds
    client = page.locator(".lrs-client", has_text="Moodle du campus")
    client.get_by_label("Confirm: Moodle du campus stops working now").check()
    client.get_by_role("button", name="Revoke Moodle du campus").click()
    page.wait_for_url(f"**/ops/lrs-clients?revoked=*&institution_id={institution}")
    assert "Moodle du campus is revoked" in page.locator(".notice").inner_text()
    assert "Revoked on" in page.locator(".lrs-client").first.inner_text()
    wait_for(lambda: requests.post(
        f"{endpoint}statements", auth=(key, secret), json=statement(), headers=XAPI,
        timeout=30).status_code == 401, timeout=15, interval=0.5)
    revoked = audit_of(platform, token, action="lrs_client.revoked",
                       institution_id=institution)
    assert [r["after"]["revoked_at"] is not None for r in revoked] == [True]
    page.goto(f"/ops/institutions/{institution}")
    audit = page.locator(".audit").inner_text()
    assert "LRS client issued" in audit and "LRS client revoked" in audit
    # which client, and when it was revoked, as the page writes a moment
    ended = page.locator(".audit-record").first
    assert ended.locator(".changes dt").all_inner_texts() == ["Name", "Revocation"]
    assert ended.locator(".changes dd").first.inner_text() == "Moodle du campus"
    assert ended.locator(".after").last.inner_text().startswith(
        written(revoked[0]["after"]["revoked_at"], "en"))
    assert "No client may use the LRS" in page.locator("main").inner_text()

    # in French on a phone: the secret's card fits, the example scrolls by itself
    page.get_by_role("button", name="Français").click()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/ops/lrs-clients")
    page.get_by_label("Établissement (son identifiant)").fill("pas-un-identifiant")
    page.get_by_label("Nom de l'outil").fill("Lecteur de cours")
    page.get_by_label(re.compile("^Lire toutes les déclarations")).check()
    page.get_by_role("button", name="Créer le client et son mot de passe").click()
    assert "Aucun établissement n'a cet identifiant" in page.locator(
        "#institution-id-error").inner_text()  # said next to it, not a 404 page
    page.get_by_label("Établissement (son identifiant)").fill(institution)
    page.get_by_role("button", name="Créer le client et son mot de passe").click()
    assert page.locator(".key-once .lrs-secret").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "ops-lrs-client-secret-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="English").click()


def test_webinars_show_their_fill_and_the_surge_page_refreshes_itself(ops, platform):
    page = ops
    active_institution(platform, "webinaire.fr")
    page.goto("/ops/webinars")
    fills = page.locator("td.fill").all_inner_texts()
    assert any(re.fullmatch(r"[1-9]\d* of \d+", fill) for fill in fills), fills
    page.goto("/ops/surge")
    waiting = page.locator(".to-review").inner_text()
    assert page.locator(".p50").inner_text() not in ("", "—")  # some are active
    apply(platform, "afflux-nouveau.fr", learners=6000)
    # the script asks again by itself: the new application is counted, no reload
    wait_for(lambda: page.locator(".to-review").inner_text() != waiting, timeout=25)
    assert page.locator("#surge").get_attribute("data-refreshed")


def test_every_operator_page_in_both_languages_on_a_desktop_and_a_phone(
        browser, platform):
    institution = active_institution(platform, "langues-ops.fr")
    pages = {**{path.rsplit("/", 1)[1]: path for path in OPS_PAGES},
             "institution": f"/ops/institutions/{institution}",
             "institution-lrs-clients":
                 f"/ops/lrs-clients?institution_id={institution}"}
    for width, height, suffix in ((1280, 900, ""), (360, 740, "-360")):
        context = browser.new_context(base_url=platform.url, locale="en-GB",
                                      viewport={"width": width, "height": height})
        tab = context.new_page()
        try:
            sign_in(tab, OPERATOR["email"], OPERATOR["password"], "/ops/review")
            for language, button in (("en", "English"), ("fr", "Français")):
                tab.get_by_role("button", name=button).click()
                for name, path in pages.items():
                    tab.goto(path)
                    assert tab.locator("html").get_attribute("lang") == language
                    nav = tab.get_by_role("navigation", name=re.compile(
                        "^(Operations|Exploitation)$"))
                    assert nav.get_by_role("link").count() == len(OPS_PAGES)
                    if suffix:  # nothing wider than the phone
                        assert tab.evaluate(
                            "document.documentElement.scrollWidth") <= width, path
                        shot(tab, f"ops-{name}{suffix}")
                    else:
                        check(tab, f"ops-{name}")
            tab.get_by_role("button", name="English").click()
        finally:
            context.close()
    # anyone but an operator: the 404 page, as the API's 404
    admin_ctx = browser.new_context(base_url=platform.url, locale="en-GB")
    tab = admin_ctx.new_page()
    try:
        accept(platform, "direction@langues-ops.fr", "admin-password-1")
        sign_in(tab, "direction@langues-ops.fr", "admin-password-1")
        for path in pages.values():
            assert tab.goto(path).status == 404, path
    finally:
        admin_ctx.close()
