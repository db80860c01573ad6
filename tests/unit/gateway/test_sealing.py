"""Kept answers sealed with their Idempotency-Key: only that key opens them, and a
changed one is refused rather than replayed."""

from __future__ import annotations

import base64

import pytest

from gateway.sealing import Tampered, key_digest, seal, unseal

KEY = "7f0c6d2e-4b1a-4e8f-9d3c-2a5b6c7d8e9f"
ANSWER = b'{"id": "p1", "api_key": "ck_live_secret_shown_once"}'


def flipped(sealed: str, at: int) -> str:
    raw = bytearray(base64.b64decode(sealed))
    raw[at] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def test_the_key_it_was_sealed_with_opens_it():
    sealed = seal(KEY, ANSWER, "operator:o1")
    assert unseal(KEY, sealed, "operator:o1") == ANSWER
    assert unseal(KEY, seal(KEY, b""), "") == b""
    long = bytes(range(256)) * 40  # many keystream blocks, and bytes of every value
    assert unseal(KEY, seal(KEY, long)) == long


def test_the_sealed_text_shows_neither_the_answer_nor_the_key():
    sealed = seal(KEY, ANSWER, "operator:o1")
    raw = base64.b64decode(sealed)
    for text in (sealed.encode(), raw):
        assert b"ck_live" not in text and KEY.encode() not in text
    assert b"secret_shown_once" not in raw


def test_another_key_or_principal_does_not_open_it():
    sealed = seal(KEY, ANSWER, "operator:o1")
    with pytest.raises(Tampered):
        unseal(KEY[:-1] + "0", sealed, "operator:o1")
    with pytest.raises(Tampered):
        unseal(KEY, sealed, "operator:o2")


@pytest.mark.parametrize("where", [0, 1, 20, -1])  # version, salt, ciphertext, tag
def test_a_changed_byte_anywhere_is_refused(where):
    sealed = seal(KEY, ANSWER)
    at = where if where >= 0 else len(base64.b64decode(sealed)) + where
    with pytest.raises(Tampered):
        unseal(KEY, flipped(sealed, at))


@pytest.mark.parametrize("text", ["", "not base64!", base64.b64encode(b"\x01short")
                                  .decode(), "é"])
def test_what_is_not_a_sealed_answer_is_refused(text):
    with pytest.raises(Tampered):
        unseal(KEY, text)


def test_a_truncated_answer_is_refused():
    raw = base64.b64decode(seal(KEY, ANSWER))
    cut = raw[:40] + raw[-32:]  # ciphertext shortened, tag kept
    with pytest.raises(Tampered):
        unseal(KEY, base64.b64encode(cut).decode())


def test_two_seals_of_the_same_answer_differ():
    first, second = seal(KEY, ANSWER, "operator:o1"), seal(KEY, ANSWER, "operator:o1")
    assert first != second
    # not only the salt: the ciphertexts differ too (each row its own keys)
    assert base64.b64decode(first)[17:-32] != base64.b64decode(second)[17:-32]


def test_a_key_digest_is_each_principals_own_and_tells_nothing_of_the_key():
    digest = key_digest("operator:o1", KEY)
    assert digest == key_digest("operator:o1", KEY)
    assert len(digest) == 64 and KEY not in digest
    assert digest != key_digest("operator:o2", KEY)
    assert digest != key_digest("operator:o1", KEY + "x")
    # the parts are told apart: no principal and key run together into another pair
    assert key_digest("a", "bc") != key_digest("ab", "c")
