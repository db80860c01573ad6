"""Key ids and rotation of the token key; the per-process copy of revocations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from gateway.auth import (
    AUDIENCE,
    ISSUER,
    Principal,
    Revocations,
    TokenKeys,
    Unauthenticated,
    issue_token,
    key_id,
    read_token,
    read_token_issued,
)

OLD = "old-secret-" + "o" * 64
NEW = "new-secret-" + "n" * 64
LEARNER = Principal("member-1", "learner", "inst-1", "leo@lycee.fr")


def test_a_token_names_the_key_that_signed_it():
    token = issue_token(TokenKeys(NEW, (OLD,)), LEARNER, 60)
    assert jwt.get_unverified_header(token)["kid"] == key_id(NEW)
    assert key_id(NEW) != key_id(OLD) and NEW not in key_id(NEW)


def test_during_a_rotation_tokens_of_the_previous_key_still_work():
    before = issue_token(TokenKeys(OLD), LEARNER, 60)
    rotated = TokenKeys(NEW, (OLD,))
    assert read_token(rotated, before) == LEARNER
    assert read_token(rotated, issue_token(rotated, LEARNER, 60)) == LEARNER


def test_once_the_previous_key_is_dropped_its_tokens_are_refused():
    before = issue_token(TokenKeys(OLD), LEARNER, 60)
    with pytest.raises(Unauthenticated, match="unknown signing key"):
        read_token(TokenKeys(NEW), before)


def test_a_token_naming_an_unknown_key_is_refused_even_if_its_signature_holds():
    now = datetime.now(UTC)
    claims = {"sub": "member-1", "role": "learner", "aud": AUDIENCE, "iss": ISSUER,
              "iat": now, "exp": now + timedelta(minutes=5)}
    token = jwt.encode(claims, NEW, algorithm="HS256",
                       headers={"kid": "somewhere-else"})
    with pytest.raises(Unauthenticated, match="unknown signing key"):
        read_token(TokenKeys(NEW), token)


def test_a_token_without_a_key_id_is_checked_against_the_current_key_only():
    now = datetime.now(UTC)
    claims = {"sub": "member-1", "role": "learner", "aud": AUDIENCE, "iss": ISSUER,
              "iat": now, "exp": now + timedelta(minutes=5)}
    unnamed = jwt.encode(claims, NEW, algorithm="HS256")
    assert read_token(TokenKeys(NEW), unnamed).subject == "member-1"
    with pytest.raises(Unauthenticated):
        read_token(TokenKeys(NEW, (OLD,)), jwt.encode(claims, OLD, algorithm="HS256"))


def test_keys_come_from_the_configuration():
    keys = TokenKeys.from_config({"TOKEN_SECRET": NEW,
                                  "TOKEN_PREVIOUS_SECRETS": f" {OLD} , "})
    assert keys.current == NEW and keys.previous == (OLD,)
    assert TokenKeys.from_config({"TOKEN_SECRET": NEW}).previous == ()


def test_the_moment_of_issue_is_kept_to_below_the_second():
    # a token issued just after a revocation, in the same second, outlives it
    before = datetime.now(UTC).timestamp()
    _, issued = read_token_issued(NEW, issue_token(NEW, LEARNER, 60))
    assert before <= issued <= datetime.now(UTC).timestamp()


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_revocations_are_read_in_one_load_then_reloaded_after_the_bound():
    clock, loads, moments = Clock(), [], {}

    def load():
        loads.append(clock.now)
        return dict(moments)

    revocations = Revocations(load, refresh_seconds=5, clock=clock)
    assert not revocations.revoked("member-1", issued_at=1000.0)
    moments["member-1"] = 2000.0  # revoked elsewhere
    for _ in range(100):
        assert not revocations.revoked("member-1", issued_at=1000.0)
    assert loads == [100.0]  # one query, not one per request
    clock.now += 5
    assert revocations.revoked("member-1", issued_at=1000.0)
    assert not revocations.revoked("member-1", issued_at=2000.5)  # issued after
    assert not revocations.revoked("member-2", issued_at=1000.0)
    assert loads == [100.0, 105.0]


def test_a_failed_reload_is_tried_again_on_the_next_request():
    clock, calls = Clock(), []

    def load():
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionError("database away")
        return {"member-1": 50.0}

    revocations = Revocations(load, refresh_seconds=5, clock=clock)
    assert revocations.revoked("member-1", issued_at=10.0)
    clock.now += 6
    with pytest.raises(ConnectionError):
        revocations.revoked("member-1", issued_at=10.0)
    assert revocations.revoked("member-1", issued_at=10.0)
    assert len(calls) == 3
