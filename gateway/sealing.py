"""Answers kept for an ``Idempotency-Key``, sealed with that key (decision 0066).

The first answer of an idempotent request may hold a secret shown once (a partner's
API key, an LRS client's secret). It is kept so that the caller's retry gets it back,
but the gateway's database must not hold the secret in clear: the answer is encrypted
and authenticated with keys derived from the raw ``Idempotency-Key``, which the
database does not hold either (its row is found by ``key_digest``). Whoever reads the
database (a backup, a replica, SQL access) sees neither the key nor the answer; only
a caller sending the key again opens it.

Standard library only (no crypto package is in the lock):

- per row, a random salt; HKDF-SHA256 (RFC 5869) of the raw key gives an encryption
  key and a MAC key of that row alone, bound to the row's principal;
- the keystream is HMAC-SHA256(enc_key, counter), XORed with the answer: the keys are
  never used for another row, so the counter needs no nonce beside it;
- a tag HMAC-SHA256(mac_key, version || salt || ciphertext) is checked, in constant
  time, before anything is decrypted (encrypt-then-MAC).

The protection is as strong as the key is hard to guess: a key such as a UUID (what
the operators' pages send) cannot be searched; a guessable one can, from a copy of the
database, by hashing guesses against ``key_digest``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

VERSION = b"\x01"
SALT_BYTES = 16
TAG_BYTES = 32
_BLOCK = 32  # bytes of keystream per HMAC-SHA256


class Tampered(ValueError):
    """The sealed text was changed, or is opened with another key."""


def key_digest(principal: str, key: str) -> str:
    """What the database holds instead of a principal's raw key: found again by the
    same key, and telling nothing of it (64 hex digits)."""
    digest = hashlib.sha256(b"continuity idempotency-key v1")
    for part in (principal.encode(), key.encode()):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def seal(key: str, plain: bytes, context: str = "") -> str:
    """``plain`` encrypted and tagged under ``key`` (text for a Text column). Two
    seals of the same answer differ (a fresh salt each)."""
    salt = os.urandom(SALT_BYTES)
    enc_key, mac_key = _keys(key, salt, context)
    cipher = _xor(plain, _keystream(enc_key, len(plain)))
    tag = _tag(mac_key, salt, cipher)
    return base64.b64encode(VERSION + salt + cipher + tag).decode("ascii")


def unseal(key: str, sealed: str, context: str = "") -> bytes:
    """The answer ``seal`` was given; Tampered when the text was changed or the key
    (or context) is not the one it was sealed with."""
    try:
        raw = base64.b64decode(sealed.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise Tampered("not a sealed answer") from None
    if len(raw) < 1 + SALT_BYTES + TAG_BYTES or raw[:1] != VERSION:
        raise Tampered("not a sealed answer")
    salt, cipher, tag = (raw[1:1 + SALT_BYTES], raw[1 + SALT_BYTES:-TAG_BYTES],
                         raw[-TAG_BYTES:])
    enc_key, mac_key = _keys(key, salt, context)
    if not hmac.compare_digest(_tag(mac_key, salt, cipher), tag):
        raise Tampered("the sealed answer does not match its tag")
    return _xor(cipher, _keystream(enc_key, len(cipher)))


def _keys(key: str, salt: bytes, context: str) -> tuple[bytes, bytes]:
    """HKDF-SHA256: extract with the row's salt, expand once per purpose."""
    prk = hmac.new(salt, key.encode(), hashlib.sha256).digest()
    info = b"continuity kept answer v1|" + context.encode()
    enc_key = hmac.new(prk, info + b"|enc\x01", hashlib.sha256).digest()
    mac_key = hmac.new(prk, info + b"|mac\x01", hashlib.sha256).digest()
    return enc_key, mac_key


def _keystream(enc_key: bytes, length: int) -> bytes:
    blocks = (hmac.new(enc_key, n.to_bytes(8, "big"), hashlib.sha256).digest()
              for n in range(-(-length // _BLOCK)))
    return b"".join(blocks)[:length]


def _tag(mac_key: bytes, salt: bytes, cipher: bytes) -> bytes:
    return hmac.new(mac_key, VERSION + salt + cipher, hashlib.sha256).digest()


def _xor(data: bytes, stream: bytes) -> bytes:
    if not data:
        return b""
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(len(data), "big")
