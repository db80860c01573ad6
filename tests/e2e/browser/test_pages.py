"""The web app as people use it, in headless Chromium: apply, follow the status,
set a password from the invitation e-mail, sign in and out, switch language, search
the catalogue on a phone. Every page is checked with axe-core and photographed in
both languages under test-artifacts/."""

from __future__ import annotations

import email
import re
from email import policy

import pytest
import requests

from tests.support.journey import onboard
from tests.support.waiting import wait_for

from .conftest import check, sign_in

pytestmark = pytest.mark.e2e


def fill_application(page, domain: str, website: str, learners: int = 40) -> None:
    page.get_by_label("Name of the institution").fill(f"Lycée {domain}")
    page.get_by_label("Type").select_option("secondary_school")
    page.get_by_label("Country (two-letter code, e.g. FR)").fill("FR")
    page.get_by_label("City").fill("Lille")
    page.get_by_label("Website").fill(website)
    page.get_by_label("Expected number of learners").fill(str(learners))
    page.get_by_label("Time zone").fill("Europe/Paris")
    page.get_by_label("Your name").fill("Camille Leroy")
    page.get_by_label("Your e-mail address").fill(f"direction@{domain}")
    page.get_by_label("Your role").fill("Direction")


def apply(page, domain: str, learners: int = 40) -> str:
    """Apply through the form, first with a bad website; the status page's URL."""
    page.goto("/apply")
    check(page, "apply")
    fill_application(page, domain, "not a website", learners)
    page.get_by_role("button", name="Send the application").click()
    website = page.get_by_label("Website")
    error = page.locator("#website-error")
    assert "Not a valid URL." in error.inner_text()
    assert "website-error" in website.get_attribute("aria-describedby")
    assert website.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("City").input_value() == "Lille"  # kept
    check(page, "apply-errors")
    website.fill(f"https://www.{domain}")
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url(re.compile(r"/applications/[^/?]+\?token="))
    return page.url


def test_apply_then_the_status_page_and_the_admins_invitation(page, platform):
    status_url = apply(page, "lycee-navigateur.fr")
    # the status page reaches the activation on its own refreshes
    wait_for(lambda: page.reload() and "Active" in page.locator(".status").inner_text(),
             timeout=30, interval=0.5)
    check(page, "status")
    # the same URL, asked by an API client, is the application's JSON
    answer = requests.get(status_url, timeout=10)
    assert answer.json()["status"] == "active"

    # the admin opens the link of the .eml the platform wrote
    token = platform.invitation_token("direction@lycee-navigateur.fr")
    page.goto(f"/invitations/{token}")
    check(page, "invitation")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("The same password again").fill("short")
    page.get_by_role("button", name="Set my password and sign in").click()
    assert "At least 10 characters." in page.locator("#password-error").inner_text()
    page.get_by_label("Password", exact=True).fill("admin-password-1")
    page.get_by_label("The same password again").fill("admin-password-1")
    page.get_by_role("button", name="Set my password and sign in").click()
    page.wait_for_url("**/account")
    assert "direction@lycee-navigateur.fr" in page.locator(".signed-in").inner_text()
    assert "institution administrator" in page.locator(".signed-in").inner_text()
    check(page, "account")

    # sign out, then the used link says so and what to do
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url(platform.url + "/")
    page.goto("/account")
    page.wait_for_url("**/sign-in?next=/account")
    page.goto(f"/invitations/{token}")
    assert "already been used" in page.locator("h1").inner_text()
    check(page, "invitation-used")

    # and the password signs in; a wrong one is said next to the form
    page.goto("/sign-in")
    check(page, "sign-in")
    page.get_by_label("E-mail address").fill("direction@lycee-navigateur.fr")
    page.get_by_label("Password").fill("wrong-password-1")
    page.get_by_role("button", name="Sign in").last.click()
    wrong = page.locator("#sign-in-error").inner_text()
    assert "Wrong e-mail address or password." in wrong
    check(page, "sign-in-wrong")
    page.get_by_label("Password").fill("admin-password-1")
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_url("**/account")

    # the language chosen while signed in is the account's from then on
    page.get_by_role("button", name="Français").click()
    assert "Vous êtes connecté" in page.locator(".signed-in").inner_text()
    check(page, "account")
    page.context.clear_cookies()
    page.goto("/sign-in")
    assert page.locator("html").get_attribute("lang") == "en"
    sign_in(page, "direction@lycee-navigateur.fr", "admin-password-1")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_every_public_page_in_both_languages(page, platform):
    course = platform.api("GET", "/api/v1/courses?limit=1").json()["items"][0]
    pages = {"home": "/", "catalogue": "/catalogue", "paths": "/catalogue/paths",
             "course": f"/catalogue/courses/{course['id']}", "sign-in": "/sign-in",
             "apply": "/apply", "not-found": "/no-such-page-here"}
    for language, button in (("en", "English"), ("fr", "Français")):
        page.goto("/")
        page.get_by_role("button", name=button).click()
        for name, path in pages.items():
            response = page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            if name == "not-found":
                assert response.status == 404
                assert "text/html" in response.headers["content-type"]
            check(page, name)
    # the language is remembered on the next visit
    page.goto("/catalogue")
    assert page.get_by_role("heading", level=1).inner_text() == "Catalogue"
    assert page.locator("html").get_attribute("lang") == "fr"


def test_catalogue_search_on_a_phone(browser, platform):
    context = browser.new_context(base_url=platform.url, locale="fr-FR",
                                  viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto("/catalogue")
        assert page.locator("html").get_attribute("lang") == "fr"  # Accept-Language
        total = int(re.sub(r"\D", "", page.locator(".count").inner_text()))
        page.get_by_label("Langue").select_option("fr")
        page.get_by_role("button", name="Rechercher").click()
        filtered = int(re.sub(r"\D", "", page.locator(".count").inner_text()))
        assert 0 < filtered < total
        # nothing wider than the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        check(page, "catalogue-phone", full_page=False)
        page.locator(".card h2 a").first.click()
        page.wait_for_url("**/catalogue/courses/**")
        assert page.locator("ol.chapters li").count() > 0
        check(page, "course-phone", full_page=False)
    finally:
        context.close()


def test_pages_refuse_forms_without_their_token_and_set_security_headers(platform):
    answer = requests.post(platform.url + "/sign-in", timeout=10,
                           data={"email": "ops@continuity.test",
                                 "password": "operator-secret-1"},
                           headers={"Accept-Language": "fr"})
    assert answer.status_code == 403
    assert "Ce formulaire a expiré" in answer.text
    assert "Set-Cookie" not in answer.headers or "continuity_session" not in \
        answer.headers["Set-Cookie"]
    wrong_method = requests.get(platform.url + "/sign-out", timeout=10,
                                headers={"Accept": "text/html"})
    assert wrong_method.status_code == 405
    assert "text/html" in wrong_method.headers["Content-Type"]
    api = requests.get(platform.url + "/api/v1/no-such-route", timeout=10,
                       headers={"Accept": "text/html"})
    assert api.headers["Content-Type"] == "application/problem+json"
    # a filter the catalogue does not know is said next to it, not as an error page
    odd = requests.get(platform.url + "/catalogue", params={"level": "expert"},
                       timeout=10, headers={"Accept": "text/html"})
    assert odd.status_code == 200 and 'id="level-error"' in odd.text
    assert 'aria-describedby="level-error"' in odd.text
    home = requests.get(platform.url + "/", timeout=10)
    policy = home.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert home.headers["X-Content-Type-Options"] == "nosniff"
    assert home.headers["Referrer-Policy"] == "no-referrer"
    cookie = home.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_french_applicant_sees_every_step_in_french(browser, platform):
    context = browser.new_context(base_url=platform.url, locale="fr-FR",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto("/apply")
        assert page.locator("html").get_attribute("lang") == "fr"  # Accept-Language
        page.get_by_label("Nom de l'établissement").fill("Lycée Jean Moulin")
        page.get_by_label("Type").select_option("secondary_school")
        page.get_by_label("Pays (code à deux lettres, par ex. FR)").fill("France")
        page.get_by_label("Ville").fill("Lyon")
        page.get_by_label("Site web").fill("https://www.lycee-moulin.fr")
        page.get_by_label("Nombre d'apprenants prévus").fill("120")
        page.get_by_label("Fuseau horaire").fill("Europe/Paris")
        page.get_by_label("Votre nom").fill("Dominique Martin")
        page.get_by_label("Votre adresse e-mail").fill("direction@lycee-moulin.fr")
        page.get_by_label("Votre fonction").fill("Proviseur")
        page.get_by_role("button", name="Envoyer la candidature").click()
        error = page.locator("#country-error").inner_text()
        assert "n'est pas un code pays" in error
        check(page, "apply-errors")
        page.get_by_label("Pays (code à deux lettres, par ex. FR)").fill("FR")
        page.get_by_role("button", name="Envoyer la candidature").click()
        page.wait_for_url(re.compile(r"/applications/[^/?]+\?token="))
        wait_for(lambda: page.reload() and "Active" in page.locator(".status")
                 .inner_text(), timeout=30, interval=0.5)
        check(page, "status")

        token = platform.invitation_token("direction@lycee-moulin.fr")
        page.goto(f"/invitations/{token}")
        check(page, "invitation")
        page.get_by_label("Mot de passe", exact=True).fill("mot-de-passe-1")
        page.get_by_label("Le même mot de passe, à nouveau").fill("mot-de-passe-2")
        page.get_by_role("button", name="Choisir mon mot de passe").click()
        assert "diffèrent" in page.locator("#password-again-error").inner_text()
        page.get_by_label("Mot de passe", exact=True).fill("mot-de-passe-1")
        page.get_by_label("Le même mot de passe, à nouveau").fill("mot-de-passe-1")
        page.get_by_role("button", name="Choisir mon mot de passe").click()
        page.wait_for_url("**/account")
        signed_in = page.locator(".signed-in").inner_text()
        assert "administrateur d'établissement" in signed_in
        page.get_by_role("button", name="Se déconnecter").first.click()
        page.goto(f"/invitations/{token}")
        assert "déjà été utilisée" in page.locator("h1").inner_text()
        check(page, "invitation-used")
        page.goto("/sign-in")
        page.get_by_label("Adresse e-mail").fill("direction@lycee-moulin.fr")
        page.get_by_label("Mot de passe").fill("pas-le-bon-1")
        page.get_by_role("button", name="Se connecter").last.click()
        assert "incorrect" in page.locator("#sign-in-error").inner_text()
        check(page, "sign-in-wrong")
    finally:
        context.close()


def test_an_invitation_to_an_address_with_an_account_says_so(page, platform):
    first = onboard(platform, "ecole-compte.fr", learners=1)
    assert first.learner_ids  # eleve0@ecole-compte.fr has an account
    other = onboard(platform, "ecole-autre.fr", learners=0)
    upload = platform.api(
        "POST", f"/api/v1/institutions/{other.id}/rosters", other.admin,
        data="email,first_name,last_name,cohort\neleve0@ecole-compte.fr,Élève,0,A\n",
        headers={"Content-Type": "text/csv"})
    assert upload.status_code == 202, upload.text
    tokens = wait_for(lambda: len(t := invitation_tokens(
        platform, "eleve0@ecole-compte.fr")) == 2 and t)
    response = page.goto(f"/invitations/{tokens[-1]}")
    assert response.status == 409
    assert "already has an account" in page.locator("h1").inner_text()
    check(page, "invitation-taken")


def invitation_tokens(platform, address: str) -> list[str]:
    return [match.group(1) for message in platform.mails_to(address)
            if (match := re.search(r"/invitations/([A-Za-z0-9_-]+)",
                                   message.get_body(("plain",)).get_content()))]


def reset_links(platform, address: str) -> list[tuple[str, str]]:
    """(token, language) of each password-reset e-mail to ``address``, oldest first."""
    found = []
    for path in sorted(platform.mail_dir.glob(f"{address}--*.eml"),
                       key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        match = re.search(r"/password-reset/([A-Za-z0-9_-]+)",
                          message.get_body(("plain",)).get_content())
        if match:
            found.append((match.group(1), message["Content-Language"]))
    return found


def test_a_forgotten_password_by_e_mail_and_the_accounts_language(page, platform):
    school = onboard(platform, "ecole-oubli.fr", learners=0)
    address = "direction@ecole-oubli.fr"
    # the account's language, through the API: the e-mails follow it
    changed = platform.api("PATCH", "/api/v1/me", school.admin, json={"language": "fr"})
    assert changed.status_code == 204, changed.text
    refused = platform.api("PATCH", "/api/v1/me", school.admin, json={"language": "de"})
    assert refused.status_code == 422

    page.goto("/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url("**/password-reset")
    check(page, "password-reset")
    # an address without an account gets the same page as one with an account
    page.get_by_label("E-mail address").fill("personne@ecole-oubli.fr")
    page.get_by_role("button", name="Send me a link").click()
    assert "Check your inbox" in page.locator("h1").inner_text()
    unknown = page.locator(".sent").inner_text()
    check(page, "password-reset-sent")
    page.goto("/password-reset")
    page.get_by_label("E-mail address").fill(address)
    page.get_by_role("button", name="Send me a link").click()
    assert "Check your inbox" in page.locator("h1").inner_text()
    assert page.locator(".sent").inner_text() == unknown.replace(
        "personne@ecole-oubli.fr", address)
    first = wait_for(lambda: reset_links(platform, address), timeout=15)
    assert first[0][1] == "fr"  # in the account's language

    # through the API: the same 202 either way, and the newer link voids the older
    answers = [platform.api("POST", "/api/v1/password-resets", json={"email": to})
               for to in ("personne@ecole-oubli.fr", address)]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()
    links = wait_for(lambda: len(t := reset_links(platform, address)) == 2 and t,
                     timeout=15)
    older, newer = links[0][0], links[1][0]
    assert page.goto(f"/password-reset/{older}").status == 410
    assert "already been used" in page.locator("h1").inner_text()

    page.goto(f"/password-reset/{newer}")
    check(page, "password-reset-link")
    page.locator("#field-password").fill("short")
    page.locator("#field-password-again").fill("short")
    page.get_by_role("button", name="Set my password and sign in").click()
    assert "At least 10 characters." in page.locator("#password-error").inner_text()
    check(page, "password-reset-link-errors")
    page.locator("#field-password").fill("reset-password-1")
    page.locator("#field-password-again").fill("reset-password-1")
    page.get_by_role("button", name="Set my password and sign in").click()
    page.wait_for_url("**/account")
    assert page.locator("html").get_attribute("lang") == "fr"  # the account's
    assert address in page.locator(".signed-in").inner_text()
    check(page, "account-language")

    # the language chosen on the account page is the account's after a new sign-in
    page.get_by_label("Langue des pages et des e-mails").select_option("en")
    page.get_by_role("button", name="Enregistrer la langue").click()
    page.wait_for_url("**/account")
    assert page.locator("html").get_attribute("lang") == "en"
    check(page, "account-language")
    page.get_by_label("Language of the pages and e-mails").select_option("fr")
    page.get_by_role("button", name="Save the language").click()
    page.wait_for_url("**/account")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.context.clear_cookies()

    # the used link says so and offers a new one, in the visitor's language
    assert page.goto(f"/password-reset/{newer}").status == 410
    assert "already been used" in page.locator("h1").inner_text()
    check(page, "password-reset-used")
    page.get_by_role("button", name="Français").click()
    assert "Ce lien a déjà été utilisé" in page.locator("h1").inner_text()
    check(page, "password-reset-used")
    page.get_by_role("link", name="M'envoyer un nouveau lien").click()
    check(page, "password-reset")
    page.get_by_label("Adresse e-mail").fill("personne@ecole-oubli.fr")
    page.get_by_role("button", name="M'envoyer un lien").click()
    assert "Consultez votre boîte de réception" in page.locator("h1").inner_text()
    check(page, "password-reset-sent")

    # the old password no longer signs in, the new one does, in the saved language
    for password, status in (("admin-password-1", 401), ("reset-password-1", 200)):
        answer = platform.api("POST", "/api/v1/auth/token",
                              json={"email": address, "password": password})
        assert answer.status_code == status, answer.text
    page.context.clear_cookies()
    page.goto("/sign-in")
    assert page.locator("html").get_attribute("lang") == "en"  # the browser's
    sign_in(page, address, "reset-password-1")
    assert page.locator("html").get_attribute("lang") == "fr"  # the account's


def test_changing_the_password_signs_out_everywhere_else(browser, page, platform):
    school = onboard(platform, "lycee-motdepasse.fr", learners=1)
    api_token = next(iter(school.learners.values()))
    email = "eleve0@lycee-motdepasse.fr"
    elsewhere = browser.new_context(base_url=platform.url).new_page()
    sign_in(elsewhere, email, "learner-password-1")
    sign_in(page, email, "learner-password-1")

    page.get_by_role("link", name="Change my password").click()
    page.wait_for_url("**/account/password")
    check(page, "password")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password").fill("short")
    page.get_by_label("The same password again").fill("other")
    page.get_by_role("button", name="Change my password").click()
    assert "At least 10 characters." in page.locator("#new-password-error").inner_text()
    assert "differ" in page.locator("#new-password-again-error").inner_text()
    check(page, "password-invalid")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password").fill("new-password-33")
    page.get_by_label("The same password again").fill("new-password-33")
    page.get_by_role("button", name="Change my password").click()
    assert "not your current password" in page.locator(
        "#current-password-error").inner_text()
    page.get_by_label("Current password").fill("learner-password-1")
    page.get_by_label("New password").fill("new-password-33")
    page.get_by_label("The same password again").fill("new-password-33")
    page.get_by_role("button", name="Change my password").click()
    assert "signed out everywhere else" in page.locator("[role=status]").inner_text()
    check(page, "password-changed")

    # this browser stays signed in; the other one and the API token do not
    page.goto("/account")
    assert email in page.locator(".signed-in").inner_text()
    elsewhere.goto("/account")
    elsewhere.wait_for_url("**/sign-in?next=/account")
    elsewhere.context.close()
    wait_for(lambda: requests.get(f"{platform.url}/api/v1/me", timeout=10, headers={
        "Authorization": f"Bearer {api_token}"}).status_code == 401, timeout=8)

    # in French too
    page.get_by_role("button", name="Français").click()
    page.goto("/account/password")
    assert page.locator("h1").inner_text() == "Changer mon mot de passe"
    check(page, "password")


def test_the_institution_admin_licence_card_and_roster_import(page, platform):
    school = onboard(platform, "lycee-tableau.fr", learners=0)
    other = onboard(platform, "ecole-voisine-admin.fr", learners=0)
    sign_in(page, "direction@lycee-tableau.fr", "admin-password-1")
    page.get_by_role("link", name="My institution: licence and imports").click()
    page.wait_for_url(f"**/institutions/{school.id}")
    assert "10" in page.locator(".licence .seats").inner_text()
    assert "0 learners waiting" in page.locator(".licence .waiting").inner_text()
    assert "days left" in page.locator(".licence .days-left").inner_text()
    check(page, "institution")

    rows = ("email,first_name,last_name,cohort\n"
            "ada@lycee-tableau.fr,Ada,Martin,A\n"
            "not-an-address,Bob,Durand,A\n"
            "cleo@lycee-tableau.fr,Cléo,Petit,B\n")
    page.get_by_label("Roster file (CSV or Excel .xlsx)").set_input_files(
        files=[{"name": "classe.csv", "mimeType": "text/csv", "buffer": rows.encode()}])
    page.get_by_role("button", name="Import the file").click()
    page.wait_for_url(re.compile(rf"/institutions/{school.id}/rosters/[^/]+$"))
    job_url = page.url
    bar = page.locator("progress")
    wait_for(lambda: bar.get_attribute("value") == bar.get_attribute("max")
             and "Done" in page.locator(".status").inner_text(),
             timeout=20, interval=0.5)
    assert int(bar.get_attribute("max")) == 3
    errors = page.locator("table.errors tbody tr")
    assert errors.count() == 1
    assert errors.first.locator("td").first.inner_text() == "3"
    check(page, "roster-job")
    download = page.request.get(f"{job_url}/errors.csv")
    assert download.status == 200
    assert "text/csv" in download.headers["content-type"]
    assert download.text().splitlines()[1].startswith("3,")

    page.goto(f"/institutions/{school.id}")
    imports = page.locator("table.imports tbody tr")
    assert imports.count() == 2  # onboard's empty file, then this one, newest first
    assert imports.first.locator("td").last.inner_text() == "1"  # rejected
    page.get_by_role("button", name="Français").click()
    assert "Licence" in page.locator("#licence-title").inner_text()
    check(page, "institution")
    page.goto(job_url)
    check(page, "roster-job")
    # the row's reason, its column and the CSV in French too
    row = page.locator("table.errors tbody tr").first.locator("td")
    assert row.nth(1).inner_text() == "courriel"
    assert row.nth(2).inner_text() == (
        "adresse électronique invalide : 'not-an-address' : pas de @")
    french = page.request.get(f"{job_url}/errors.csv").text().splitlines()
    assert french[0] == "Ligne,Colonne,Motif du refus"
    assert french[1].startswith("3,courriel,adresse électronique invalide")

    # another institution's job, its URL typed by hand: the same 404 as the API's
    response = page.goto(f"/institutions/{other.id}/rosters/{other.roster_job_id}")
    assert response.status == 404
    errors_csv = f"/institutions/{other.id}/rosters/{other.roster_job_id}/errors.csv"
    assert page.request.get(errors_csv).status == 404
    assert page.goto(f"/institutions/{other.id}").status == 404
