"""Bearer tokens (HS256, pinned) and argon2 password hashes."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from gateway.auth import (
    AUDIENCE,
    ISSUER,
    Principal,
    Unauthenticated,
    hash_password,
    issue_token,
    read_token,
    verify_password,
)

SECRET = "test-secret-" + "x" * 64
LEARNER = Principal("member-1", "learner", "inst-1", "leo@lycee.fr")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def claims(**changes) -> dict:
    now = datetime.now(UTC)
    base = {
        "sub": "member-1",
        "role": "learner",
        "inst": "inst-1",
        "email": "leo@lycee.fr",
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def b64(data: dict) -> str:
    raw = json.dumps(data, default=str).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "principal",
    [
        LEARNER,
        Principal("op-1", "operator", None, "op@continuity.local"),
        Principal("admin-1", "institution_admin", "inst-9", None),
    ],
)
def test_a_token_reads_back_as_its_principal(principal):
    assert read_token(SECRET, issue_token(SECRET, principal, 60)) == principal


def test_two_tokens_for_the_same_principal_differ():
    assert issue_token(SECRET, LEARNER, 60) != issue_token(SECRET, LEARNER, 60)


def test_an_expired_token_is_refused():
    token = issue_token(SECRET, LEARNER, -1)
    with pytest.raises(Unauthenticated, match="expired"):
        read_token(SECRET, token)


def test_a_token_signed_with_another_secret_is_refused():
    token = issue_token("another-secret-" + "y" * 64, LEARNER, 60)
    with pytest.raises(Unauthenticated):
        read_token(SECRET, token)


def test_a_token_whose_claims_were_changed_is_refused():
    header, _, signature = issue_token(SECRET, LEARNER, 60).split(".")
    forged = ".".join(
        (header, b64(claims(role="operator", iat=0, exp=9999999999)), signature)
    )

    with pytest.raises(Unauthenticated):
        read_token(SECRET, forged)


def test_a_token_with_a_damaged_signature_is_refused():
    token = issue_token(SECRET, LEARNER, 60)
    damaged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(Unauthenticated):
        read_token(SECRET, damaged)


def test_an_unsigned_alg_none_token_is_refused():
    token = jwt.encode(claims(role="operator"), None, algorithm="none")
    with pytest.raises(Unauthenticated):
        read_token(SECRET, token)


def test_a_token_with_another_algorithm_is_refused():
    token = jwt.encode(claims(), SECRET, algorithm="HS512")
    with pytest.raises(Unauthenticated):
        read_token(SECRET, token)


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-api"},
        {"iss": "someone-else"},
        {"aud": None},
        {"exp": None},
        {"sub": None},
        {"role": "superuser"},
        {"role": None},
    ],
)
def test_tokens_with_wrong_or_missing_claims_are_refused(changes):
    token = jwt.encode(claims(**changes), SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        read_token(SECRET, token)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x.y.z"])
def test_garbage_is_refused(garbage):
    with pytest.raises(Unauthenticated):
        read_token(SECRET, garbage)


def test_a_password_hash_verifies_only_its_password():
    hashed = hash_password("correct horse battery staple")

    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert verify_password(hashed, "correct horse battery staple") is True
    assert verify_password(hashed, "Correct horse battery staple") is False
    assert verify_password(hashed, "") is False


def test_the_same_password_hashes_differently_each_time():
    assert hash_password("s3cret-pass") != hash_password("s3cret-pass")


@pytest.mark.parametrize("stored", ["", "plain-text", "$argon2id$broken"])
def test_a_damaged_hash_never_verifies(stored):
    assert verify_password(stored, "plain-text") is False


def test_a_token_read_before_is_still_refused_once_expired():
    token = issue_token(SECRET, LEARNER, 2)  # expires 1 to 2 s from now (whole seconds)
    assert read_token(SECRET, token) == LEARNER  # verified, then remembered
    time.sleep(2.1)
    with pytest.raises(Unauthenticated):
        read_token(SECRET, token)


def test_a_remembered_token_is_not_valid_under_another_secret():
    token = issue_token(SECRET, LEARNER, 60)
    assert read_token(SECRET, token) == LEARNER
    with pytest.raises(Unauthenticated):
        read_token("another-secret-" + "y" * 64, token)


def test_an_e_mail_with_an_account_gets_no_second_one(make_sessions):
    """Another institution's invitation to the same address: refused, clearly."""
    from gateway.auth import EmailTaken, create_account, login
    from gateway.models import Base

    sessions = make_sessions(Base.metadata)
    account = {"email": "Camille@famille.fr", "role": "learner"}
    with sessions.begin() as session:
        create_account(session, account_id="member-a", password="first-password",
                       institution_id="inst-a", **account)

    with pytest.raises(EmailTaken), sessions.begin() as session:
        create_account(session, account_id="member-b", password="second-password",
                       institution_id="inst-b", **account)

    with sessions.begin() as session:
        assert login(session, "camille@famille.fr", "first-password",
                     "192.0.2.1", NOW).subject == "member-a"


def test_failed_logins_slow_the_guessing_address_not_the_owners(make_sessions):
    from gateway.auth import SlowDown, create_account, login
    from gateway.models import Base

    sessions = make_sessions(Base.metadata)
    with sessions.begin() as session:
        create_account(session, account_id="admin-1", email="dir@lycee.fr",
                       password="the-right-one", role="institution_admin",
                       institution_id="inst-1")
    # the same moment throughout: slow hashing on a busy machine cannot let the
    # one-second lock run out between the guesses and the owner's try
    for _ in range(5):
        with sessions.begin() as session:
            assert login(session, "dir@lycee.fr", "guess", "203.0.113.9", NOW) is None
    with pytest.raises(SlowDown), sessions.begin() as session:
        login(session, "dir@lycee.fr", "the-right-one", "203.0.113.9", NOW)
    with sessions.begin() as session:
        assert login(session, "DIR@lycee.fr", "the-right-one",
                     "192.0.2.1", NOW).subject == "admin-1"
    # once the lock has run out, the right password works from there too
    with sessions.begin() as session:
        assert login(session, "dir@lycee.fr", "the-right-one", "203.0.113.9",
                     NOW + timedelta(seconds=2)).subject == "admin-1"
