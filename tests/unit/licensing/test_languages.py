"""The language an admin is written in: onboarding's rule, kept on the licence.

Domain functions on SQLite and PostgreSQL, the timer's e-mails through
``worker_factory``, and the revision that gave licences issued before their language.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import MetaData, Table, insert, select

from services.common.db import ensure_schema, make_engine
from services.licensing import issuing
from services.licensing.languages import country_of_zone, language_by_zone
from services.licensing.models import Base, Licence, outbox_table
from services.licensing.service import LicensingService
from tests.support.outbox import table_outbox

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
END = T0 + timedelta(days=90)


def issue(sessions, plans, fact) -> Licence:
    with sessions.begin() as session:
        return issuing.issue_licence(session, plans, fact, T0).licence


# -- on issue: the event's language, or the rule on an event without it -------------
@pytest.mark.parametrize("languages, country, language", [
    (["fr", "en"], "FR", "fr"),  # French where it is spoken
    (["en", "fr"], "CA", "fr"),
    (["en", "fr"], "GB", "en"),
    (["en"], "FR", "en"),  # its only language, wherever it is
    (["fr"], "GB", "fr"),
])
def test_an_approval_of_minor_version_0_gets_onboarding_s_rule(
    sessions, plans, approved, languages, country, language,
):
    licence = issue(sessions, plans, approved(languages=languages, country=country))

    assert licence.language == language


def test_the_language_an_approval_announces_is_kept(sessions, plans, approved):
    licence = issue(sessions, plans, approved(
        languages=["en", "fr"], country="GB", language="fr"))

    assert licence.language == "fr"


# -- the notices at the licence's end -----------------------------------------------
def mails_at_the_end(sessions, plans) -> dict[str, dict]:
    """Each admin's e-mail when the licences end, by address."""
    clock = SimpleNamespace(now=END)
    service = worker_factory(
        LicensingService, db=sessions, plans=plans, clock=lambda: clock.now,
        outbox=table_outbox(outbox_table),
    )
    for days_before in (14, 0):
        clock.now = END - timedelta(days=days_before)
        service.reach_licence_ends()
    with sessions() as session:
        bodies = session.scalars(select(outbox_table.c.body).where(
            outbox_table.c.kind == "mail").order_by(outbox_table.c.seq)).all()
    by_admin: dict[str, list] = {}
    for body in bodies:
        for mail in body["mails"]:
            by_admin.setdefault(mail["to"], []).append(mail)
    return by_admin


def test_a_bilingual_institution_in_france_gets_french_notices_in_canada_too(
    sessions, plans, approved,
):
    issue(sessions, plans, approved(
        "inst-paris", languages=["en", "fr"], country="FR", name="Lycée Hugo",
        timezone="Europe/Paris", admin_email="anne@lycee-hugo.fr"))
    issue(sessions, plans, approved(
        "inst-montreal", languages=["en", "fr"], country="CA", name="Cégep Nord",
        timezone="America/Toronto", admin_email="luc@cegep-nord.ca"))
    issue(sessions, plans, approved(
        "inst-bristol", languages=["en", "fr"], country="GB", name="Bristol College",
        timezone="Europe/London", admin_email="head@bristol.ac.uk"))

    mails = mails_at_the_end(sessions, plans)

    paris, montreal, bristol = (mails[to] for to in (
        "anne@lycee-hugo.fr", "luc@cegep-nord.ca", "head@bristol.ac.uk"))
    assert [m["subject"] for m in paris] == [
        "Votre licence SPARK se termine dans 14 jours",
        "Votre licence SPARK est arrivée à échéance",
    ]
    assert paris[0]["text"].startswith(
        "Bonjour,\n\nLa licence SPARK gratuite de Lycée Hugo sur Continuity se "
        "termine dans 14 jours, le 31 mai 2026 à 11:00 (Europe/Paris).")
    assert "a pris fin le 31 mai 2026 à 11:00 (Europe/Paris)" in paris[1]["text"]
    assert [m["language"] for m in montreal] == ["fr", "fr"]
    assert "La licence SPARK gratuite de Cégep Nord" in montreal[0]["text"]
    assert [m["subject"] for m in bristol] == [
        "Your SPARK licence ends in 14 days", "Your SPARK licence has ended"]


def test_a_licence_without_its_language_is_written_to_by_the_same_rule(
    sessions, plans, approved,
):
    """A copy of the previous release, during an upgrade, issues licences without
    it: the notice applies the rule, the country being that of the time zone."""
    licence = issue(sessions, plans, approved(
        languages=["en", "fr"], timezone="Europe/Brussels", admin_email="a@b.be"))
    with sessions.begin() as session:
        session.get(Licence, licence.id).language = None

    mails = mails_at_the_end(sessions, plans)

    assert [m["language"] for m in mails["a@b.be"]] == ["fr", "fr"]


def test_a_language_without_texts_is_written_to_in_english(sessions, plans, approved):
    issue(sessions, plans, approved(language="es", admin_email="d@colegio.es"))

    mails = mails_at_the_end(sessions, plans)

    assert [m["subject"] for m in mails["d@colegio.es"]] == [
        "Your SPARK licence ends in 14 days", "Your SPARK licence has ended"]


# -- licences issued before the language was kept ----------------------------------
@pytest.mark.parametrize("zone, country", [
    ("Europe/Paris", "FR"), ("America/Toronto", "CA"), ("Europe/London", "GB"),
    ("UTC", ""), ("", ""), (None, ""), ("Not/AZone", ""),
])
def test_a_time_zone_names_its_country(zone, country):
    assert country_of_zone(zone) == country


def test_without_a_country_the_rule_takes_the_time_zone_s():
    assert language_by_zone(["en", "fr"], "Europe/Paris") == "fr"
    assert language_by_zone(["en", "fr"], "UTC") == "en"
    assert language_by_zone(["en"], "Europe/Paris") == "en"
    assert language_by_zone(None, "Europe/Paris") == "fr"  # none kept: the country's


MAIL_PROGRESS = ("mails_sent", "claimed_by", "claimed_until")


def test_the_upgrade_gives_each_licence_issued_before_its_language(db_url):
    """A database as the previous release made it (no ``language``, no version) is
    stamped with the first revision at start, then upgraded: the rule on each
    licence's languages and the country of its time zone."""
    before = MetaData()
    Table("licences", before, *(column._copy() for column in
                                Licence.__table__.columns if column.name != "language"))
    # that release's outbox too (later revisions change it): without its mail rows'
    # progress (decision 0057)
    Table("outbox", before, *(column._copy() for column in outbox_table.columns
                              if column.name not in MAIL_PROGRESS))
    rows = {"in-paris": (["en", "fr"], "Europe/Paris"),
            "in-toronto": (["en", "fr"], "America/Toronto"),
            "in-london": (["en", "fr"], "Europe/London"),
            "french-only": (["fr"], "UTC"),
            "english-only": (["en"], "Europe/Paris")}
    engine = make_engine(db_url)
    try:
        before.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(before.tables["licences"]), [{
                "id": f"lic-{name}", "institution_id": name, "plan": "spark",
                "status": "active", "seats_granted": 1, "seats_used": 0,
                "seats_waiting": 0, "admin_email": "a@b.org", "institution_name": "",
                "languages": languages, "timezone": zone, "starts_at": T0,
                "ends_at": END, "created_at": T0,
            } for name, (languages, zone) in rows.items()])

        ensure_schema(engine, Base.metadata)

        with engine.connect() as conn:
            kept = dict(conn.execute(
                select(Licence.institution_id, Licence.language)).all())
    finally:
        engine.dispose()
    assert kept == {"in-paris": "fr", "in-toronto": "fr", "in-london": "en",
                    "french-only": "fr", "english-only": "en"}
