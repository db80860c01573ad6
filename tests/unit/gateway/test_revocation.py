"""Revocation in the gateway's tables: an account's valid-after moment and its web
sessions, one account or a whole institution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from gateway.auth import (
    Principal,
    change_password,
    revocation_moments,
    revoke_account,
    revoke_institution,
    verify_password,
)
from gateway.models import Account, Base
from gateway.web import sessions

NOW = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
PEOPLE = [("admin-1", "institution_admin", "i-1"), ("learner-1", "learner", "i-1"),
          ("learner-2", "learner", "i-2"), ("op-1", "operator", None)]


@pytest.fixture
def db():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    make = sessionmaker(engine, expire_on_commit=False)
    with make.begin() as session:
        for account_id, role, institution in PEOPLE:
            session.add(Account(id=account_id, email=f"{account_id}@x.fr",
                                password_hash="x", role=role,
                                institution_id=institution))
    return make


def signed_in(db, account_id: str) -> str:
    with db.begin() as session:
        return sessions.open_session(session, Principal(account_id, "learner", None),
                                     now=NOW)


def live(db, token: str, at=NOW) -> bool:
    with db.begin() as session:
        return sessions.read_session(session, token, now=at) is not None


def test_revoking_an_account_sets_its_moment_and_ends_its_sessions(db):
    mine, theirs = signed_in(db, "learner-1"), signed_in(db, "learner-2")
    with db.begin() as session:
        revoke_account(session, "learner-1", NOW)
    assert not live(db, mine) and live(db, theirs)
    with db.begin() as session:
        moments = revocation_moments(session, NOW - timedelta(hours=1))
    assert moments == {"learner-1": NOW.timestamp()}


def test_a_moment_only_moves_forward(db):
    with db.begin() as session:
        revoke_account(session, "learner-1", NOW)
        revoke_account(session, "learner-1", NOW - timedelta(minutes=5))  # late
    with db.begin() as session:
        assert session.get(Account, "learner-1").valid_after == NOW


def test_old_revocations_are_not_loaded_their_tokens_have_expired(db):
    with db.begin() as session:
        revoke_account(session, "learner-1", NOW - timedelta(hours=2))
        assert revocation_moments(session, NOW - timedelta(hours=1)) == {}


def test_revoking_an_institution_revokes_its_admins_and_learners_only(db):
    with db.begin() as session:
        revoke_institution(session, "i-1", NOW)
        moments = revocation_moments(session, NOW - timedelta(hours=1))
    assert set(moments) == {"admin-1", "learner-1"}


def test_a_password_change_revokes_what_came_before(db):
    session_token = signed_in(db, "learner-1")
    with db.begin() as session:
        change_password(session, "learner-1", "new-password-22", NOW)
    with db.begin() as session:
        account = session.get(Account, "learner-1")
        assert verify_password(account.password_hash, "new-password-22")
        assert account.valid_after == NOW
    assert not live(db, session_token)


def test_a_removed_admin_is_signed_out_refused_and_their_moment_kept(db):
    from gateway.auth import create_account, login, remove_account

    with db.begin() as session:
        create_account(session, account_id="admin-2", email="adjoint@x.fr",
                       password="adjoint-password-1", role="institution_admin",
                       institution_id="i-1")
    token = signed_in(db, "admin-2")
    with db.begin() as session:
        assert remove_account(session, "admin-2", NOW)
        assert not remove_account(session, "never-signed-up", NOW)  # no account yet
    assert not live(db, token)
    with db.begin() as session:
        assert login(session, "adjoint@x.fr", "adjoint-password-1", "192.0.2.1",
                     NOW) is None
        # the row stays: tokens issued before the removal keep being refused
        assert revocation_moments(session, NOW - timedelta(hours=1)) == {
            "admin-2": NOW.timestamp()}
        assert session.get(Account, "admin-2").removed_at == NOW
    # a session opened by some other door after the removal is not honoured either
    assert not live(db, signed_in(db, "admin-2"))
