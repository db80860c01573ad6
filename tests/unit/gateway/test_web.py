"""The web app's plain parts: browser sessions, CSRF tokens, languages, catalogues."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from werkzeug.datastructures import LanguageAccept

from gateway.auth import Principal
from gateway.models import Account, Base, WebSession
from gateway.web import i18n, sessions
from gateway.web.page import safe_next

SECRET = "test-secret-" + "x" * 64
NOW = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)


@pytest.fixture
def db():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    make = sessionmaker(engine, expire_on_commit=False)
    with make.begin() as session:
        session.add(Account(id="a-1", email="camille@lycee.fr", password_hash="x",
                            role="institution_admin", institution_id="i-1"))
    return make


def test_a_session_names_its_account_until_it_ends_or_expires(db):
    principal = Principal("a-1", "institution_admin", "i-1", "camille@lycee.fr")
    with db.begin() as session:
        token = sessions.open_session(session, principal, now=NOW)
    with db.begin() as session:
        assert session.get(WebSession, token) is None  # only its digest is kept
        who = sessions.read_session(session, token, now=NOW + timedelta(hours=1))
    assert who.principal == principal and who.language is None
    with db.begin() as session:
        later = NOW + sessions.SESSION_TTL + timedelta(seconds=1)
        assert sessions.read_session(session, token, now=later) is None
        sessions.set_language(session, "a-1", "fr")
        assert sessions.read_session(session, token, now=NOW).language == "fr"
        sessions.end_session(session, token, now=NOW)
    with db.begin() as session:
        assert sessions.read_session(session, token, now=NOW) is None
        assert sessions.read_session(session, "forged", now=NOW) is None


def test_a_csrf_token_holds_for_its_cookie_and_session_only():
    token = sessions.csrf_token(SECRET, "anchor", "session")
    assert sessions.csrf_valid(SECRET, "anchor", "session", token)
    assert not sessions.csrf_valid(SECRET, "other", "session", token)
    assert not sessions.csrf_valid(SECRET, "anchor", None, token)  # signed out since
    assert not sessions.csrf_valid("another-secret", "anchor", "session", token)
    assert not sessions.csrf_valid(SECRET, None, "session", token)
    assert not sessions.csrf_valid(SECRET, "anchor", "session", None)


@pytest.mark.parametrize(("account", "cookie", "header", "chosen"), [
    ("fr", "en", "en", "fr"),          # the account's first
    (None, "fr", "en", "fr"),          # then the one remembered
    (None, None, "fr-BE,en;q=0.5", "fr"),  # then the browser's
    (None, "de", "de,it", "en"),       # else English
])
def test_the_language(account, cookie, header, chosen):
    accept = LanguageAccept([
        (tag, float(q or 1)) for tag, _, q in
        (value.partition(";q=") for value in header.split(","))])
    assert i18n.choose(account, cookie, accept) == chosen


def test_every_text_has_its_french_and_formats_follow_the_language():
    folder = i18n.resources.files("gateway.web") / "translations"
    with (folder / "fr/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po, locale="fr")
    untranslated = [m.id for m in catalog if m.id and not (
        all(m.string) if isinstance(m.string, (tuple, list)) else m.string)]
    assert untranslated == []
    fr = i18n.translations("fr")
    assert fr.ugettext("Sign in") == "Se connecter"
    assert fr.ungettext("%(num)s hour", "%(num)s hours", 2) == "%(num)s heures"
    assert i18n.formats("fr")["number"](12345.5) == "12\u202f345,5"
    assert i18n.formats("en")["number"](12345.5) == "12,345.5"
    assert "décembre" in i18n.formats("fr")["datetime"](NOW)


def test_times_are_shown_in_the_institutions_time_zone():
    # 20:00 UTC is 21:00 in Paris in December, and 15:00 in Montréal
    assert "21:00" in i18n.formats("fr", "Europe/Paris")["datetime"](NOW, "medium")
    assert "3:00" in i18n.formats("en", "America/Montreal")["datetime"](NOW, "medium")
    # a page about no institution, or a zone this machine does not know: UTC
    assert "20:00" in i18n.formats("fr")["datetime"](NOW, "medium")
    assert "20:00" in i18n.formats("fr", "Mars/Olympus")["datetime"](NOW, "medium")
    # a day stays the day it is
    assert i18n.formats("fr", "Pacific/Kiritimati")["datetime"](NOW.date()) == \
        "6 décembre 2026"


@pytest.mark.parametrize(("target", "safe"), [
    ("/catalogue?q=x", "/catalogue?q=x"), ("//evil.example", "/"),
    ("https://evil.example", "/"), ("/\\evil", "/"), (None, "/"),
])
def test_going_back_stays_on_this_site(target, safe):
    assert safe_next(target) == safe


def test_a_day_is_shown_as_a_day_and_a_moment_in_the_zone_asked():
    french = i18n.formats("fr")["datetime"]
    assert french("2026-12-07") == "7 décembre 2026"  # no midnight, no zone
    moment = "2026-12-08T08:00:00+00:00"
    assert french(moment, "HH:mm", "Europe/Paris") == "09:00"
    assert french(moment, "HH:mm") == "08:00"
