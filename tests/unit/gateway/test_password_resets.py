"""Forgotten passwords: a link's life (single use, one hour, the newest one only) and
the same nothing for an address without an account."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker

from gateway import password_resets
from gateway.auth import verify_password
from gateway.models import Account, Base, PasswordReset
from gateway.password_resets import ResetUnusable

NOW = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
URL = "https://continuity.example"


@pytest.fixture
def db():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    make = sessionmaker(engine, expire_on_commit=False)
    with make.begin() as session:
        session.add(Account(id="a-1", email="camille@lycee.fr", password_hash="x",
                            role="institution_admin", institution_id="i-1"))
        session.add(Account(id="a-2", email="leo@lycee.fr", password_hash="x",
                            role="learner", institution_id="i-1", language="fr"))
    return make


def ask(db, email: str, now=NOW, language: str = "en"):
    with db.begin() as session:
        return password_resets.request_reset(session, email, now=now, language=language)


def reset(db, token: str, password: str = "new-password-1", now=NOW):
    with db.begin() as session:
        return password_resets.reset_password(session, token, password, now=now)


def test_a_link_sets_the_password_once(db):
    requested = ask(db, "Camille@Lycee.fr ")
    assert requested.account_id == "a-1" and requested.language == "en"
    with db.begin() as session:
        assert session.get(PasswordReset, requested.token) is None  # a digest only
    account = reset(db, requested.token, now=NOW + timedelta(minutes=5))
    assert account.id == "a-1"
    with db.begin() as session:
        assert verify_password(session.get(Account, "a-1").password_hash,
                               "new-password-1")
    with pytest.raises(ResetUnusable) as used:
        reset(db, requested.token, "another-password", now=NOW + timedelta(minutes=6))
    assert used.value.why == "used"


def test_a_link_expires_after_an_hour(db):
    requested = ask(db, "camille@lycee.fr")
    with db.begin() as session:
        password_resets.check_reset(session, requested.token,
                                    now=NOW + timedelta(minutes=59))
    with pytest.raises(ResetUnusable) as expired:
        reset(db, requested.token, now=NOW + password_resets.TOKEN_TTL)
    assert expired.value.why == "expired"
    with db.begin() as session:
        assert session.get(Account, "a-1").password_hash == "x"


def test_a_second_request_voids_the_first(db):
    first = ask(db, "camille@lycee.fr")
    second = ask(db, "camille@lycee.fr", now=NOW + timedelta(minutes=1))
    assert first.token != second.token
    with pytest.raises(ResetUnusable) as voided:
        reset(db, first.token, now=NOW + timedelta(minutes=2))
    assert voided.value.why == "used"
    assert reset(db, second.token, now=NOW + timedelta(minutes=2)).id == "a-1"


def test_an_unknown_address_makes_nothing_and_an_unknown_token_is_refused(db):
    assert ask(db, "nobody@lycee.fr") is None
    with db.begin() as session:
        assert session.scalars(select(PasswordReset)).all() == []
    with pytest.raises(ResetUnusable) as unknown:
        reset(db, "forged-token")
    assert unknown.value.why == "unknown"


def test_the_mail_is_in_the_accounts_language_else_the_askers(db):
    french = ask(db, "leo@lycee.fr", language="en")
    mail = password_resets.reset_mail(french, URL + "/")
    assert mail["language"] == "fr" and mail["to"] == "leo@lycee.fr"
    assert f"{URL}/password-reset/{french.token}" in mail["text"]
    assert "mot de passe" in mail["subject"]
    asked = ask(db, "camille@lycee.fr", language="fr")
    assert password_resets.reset_mail(asked, URL)["language"] == "fr"  # the asker's
    english = password_resets.reset_mail(ask(db, "camille@lycee.fr"), URL)
    assert english["language"] == "en" and "new password" in english["text"]


class FakeRoutes:
    """What ``ask_password_reset`` uses of the gateway: its limits, tables, outbox."""

    def __init__(self, db, over_limit: bool = False):
        self.db, self.over_limit, self.mails = db, over_limit, []
        self.config = {"PUBLIC_URL": URL}
        self.rate_limits = self
        self.outbox = self

    def retry_after(self, limit: str, key: str) -> int:
        assert limit == "password_reset_email"
        return 60 if self.over_limit else 0

    def add_mail(self, session, to, subject, text, language):
        self.mails.append((to, language))


@pytest.mark.parametrize("email", ["camille@lycee.fr", "nobody@lycee.fr"])
def test_asking_takes_the_same_time_whether_or_not_the_account_exists(db, email):
    from gateway.routes.password_resets import ANSWER_FLOOR_SECONDS, ask_password_reset

    routes = FakeRoutes(db)
    started = time.monotonic()
    ask_password_reset(routes, email, "en")
    assert time.monotonic() - started >= ANSWER_FLOOR_SECONDS
    assert routes.mails == ([(email, "en")] if email.startswith("camille") else [])


def test_an_address_over_its_limit_gets_no_mail(db):
    from gateway.routes.password_resets import ask_password_reset

    routes = FakeRoutes(db, over_limit=True)
    ask_password_reset(routes, "camille@lycee.fr", "en")
    assert routes.mails == []
    with db.begin() as session:
        assert session.scalars(select(PasswordReset)).all() == []
