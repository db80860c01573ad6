"""Schema histories: a database of the previous release is upgraded at start with
every row kept, and every history's head is what the models say."""

from __future__ import annotations

import importlib
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, select

from services.common.db import ensure_schema, make_engine, utcnow
from services.common.migrations import differences
from tests.support.release import RELEASE, every_row, load_release

MODELS = {
    "catalog": "services.catalog.models",
    "onboarding": "services.onboarding.models",
    "licensing": "services.licensing.models",
    "tracking": "services.tracking.models",
    "lrs": "services.lrs.models",
    "gateway": "gateway.models",
}
# the owners the previous release had (a newer history has nothing of it to upgrade)
RELEASED = [owner for owner in MODELS if (RELEASE / "sqlite" / f"{owner}.sql").exists()]
# tables the previous release's copies still use during a rolling upgrade: the
# models no longer have them, a later revision drops them
RETIRED = {"gateway": {"login_failures"}}


def metadata_of(owner: str):
    return importlib.import_module(MODELS[owner]).Base.metadata


def unexplained(url: str, owner: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [d for d in differences(conn, metadata_of(owner))
                    if not (d[0] == "remove_table"
                            and d[1].name in RETIRED.get(owner, ()))]
    finally:
        engine.dispose()


def start(url: str, owner: str) -> None:
    """What a process does with its database at start (``Database.setup``)."""
    engine = make_engine(url)
    try:
        ensure_schema(engine, metadata_of(owner))
    finally:
        engine.dispose()


@pytest.mark.parametrize("owner", RELEASED)
def test_a_database_of_the_previous_release_keeps_every_row(db_url, owner):
    load_release(db_url, owner)
    before = every_row(db_url)
    assert sum(len(rows) for _, rows in before.values()) > 0

    start(db_url, owner)
    start(db_url, owner)  # the next start finds it at the head: nothing to do

    after = every_row(db_url, {table: names for table, (names, _) in before.items()})
    assert after == before
    assert unexplained(db_url, owner) == []


STARTER = """
import sys, time
from services.common.db import ensure_schema, make_engine
from gateway.models import Base
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start together
ensure_schema(make_engine(sys.argv[1]), Base.metadata)
"""


def test_copies_starting_together_upgrade_the_previous_release_once(db_url):
    """The gateway and its webhooks process share a database and start together."""
    load_release(db_url, "gateway")
    before = every_row(db_url)
    start_at = str(time.time() + 1.5)
    copies = [subprocess.Popen([sys.executable, "-c", STARTER, db_url, start_at],
                               stderr=subprocess.PIPE, text=True) for _ in range(4)]
    failures = [c.stderr.read() for c in copies if c.wait(timeout=60) != 0]

    assert failures == []
    assert every_row(db_url, {t: names for t, (names, _) in before.items()}) == before
    assert unexplained(db_url, "gateway") == []


@pytest.mark.parametrize("owner", list(MODELS))
def test_each_history_makes_what_the_models_say(db_url, owner):
    """A change to a models.py without its revision fails here."""
    start(db_url, owner)

    assert unexplained(db_url, owner) == []


def test_the_previous_release_applications_stand_for_their_institutions(db_url):
    from sqlalchemy.orm import sessionmaker

    from services.onboarding import applications
    from services.onboarding.contracts.rpc import ApplicationRequest
    from services.onboarding.models import Application
    from services.onboarding.rules import Rules

    load_release(db_url, "onboarding")
    start(db_url, "onboarding")

    engine = make_engine(db_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    try:
        with sessions() as session:
            keys = {a.website_domain: (a.status, a.institution_key) for a in
                    session.scalars(select(Application))}
        assert keys == {
            "lycee-ancien.fr": ("active", "lycee-ancien.fr|FR"),
            "ecole-attente.fr": ("needs_review", "ecole-attente.fr|FR"),
            "college-refuse.fr": ("rejected", None),
        }
        # another contact of the approved institution: waits, pointing at it
        request = ApplicationRequest().load({
            "name": "Lycée ancien", "type": "secondary_school", "country": "FR",
            "city": "Lille", "website": "https://www.lycee-ancien.fr",
            "contact": {"name": "Paul Roy", "email": "paul.roy@lycee-ancien.fr",
                        "role": "Professeur"},
            "expected_learners": 10, "languages": ["fr"], "timezone": "Europe/Paris",
        })
        with sessions.begin() as session:
            submitted = applications.submit_application(
                session, Rules.load(), request, "key-after-upgrade", now=utcnow())
            assert submitted.application.duplicate_of == submitted.repeats.id
            assert submitted.repeats.website_domain == "lycee-ancien.fr"
    finally:
        engine.dispose()
