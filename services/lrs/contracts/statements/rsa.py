"""A JWS's RS256/RS384/RS512 signature checked with the RSA key of an X.509
certificate (the ``x5c`` of its header), as xAPI asks of an LRS (Data 2.6).

Plain Python (the platform has no cryptography library): the certificate's DER is
read just far enough to find its public key, and the signature is checked the way
RFC 8017 8.2.2 says, by building the whole expected PKCS #1 v1.5 block from the
message and comparing it with what the key makes of the signature, so that nothing
of the decrypted block is parsed (the forgeries of lax parsers do not apply).
Verifying is all it does: no private key, no trust in the certificate's issuer.
"""

from __future__ import annotations

import hashlib
import hmac

# DigestInfo's DER before the digest, per hash (RFC 8017 9.2, note 1)
DIGESTS = {
    "RS256": (hashlib.sha256, bytes.fromhex("3031300d060960864801650304020105000420")),
    "RS384": (hashlib.sha384, bytes.fromhex("3041300d060960864801650304020205000430")),
    "RS512": (hashlib.sha512, bytes.fromhex("3051300d060960864801650304020305000440")),
}
RSA_ENCRYPTION = bytes.fromhex("2a864886f70d010101")  # OID 1.2.840.113549.1.1.1
SEQUENCE, INTEGER, BIT_STRING, OID = 0x30, 0x02, 0x03, 0x06
MIN_BITS = 2048  # JWA (RFC 7518 3.3): a key of 2048 bits or more
MAX_BITS = 8192  # beyond, a request could make the LRS spend seconds on one pow()


class BadCertificate(ValueError):
    """Not an X.509 certificate of an RSA key this module can read."""


def _element(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER element at ``pos``."""
    if pos + 2 > len(data):
        raise BadCertificate("truncated")
    tag, length = data[pos], data[pos + 1]
    pos += 2
    if length & 0x80:
        size = length & 0x7F
        if not 1 <= size <= 4 or pos + size > len(data):
            raise BadCertificate("bad length")
        length = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    if pos + length > len(data):
        raise BadCertificate("truncated")
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    found = []
    while start < end:
        tag, content, stop = _element(data, start)
        found.append((tag, content, stop))
        start = stop
    return found


def public_key(certificate: bytes) -> tuple[int, int]:
    """(modulus, exponent) of the RSA key of a DER X.509 certificate."""
    tag, start, end = _element(certificate, 0)
    if tag != SEQUENCE:
        raise BadCertificate("not a certificate")
    tag, start, end = _children(certificate, start, end)[0]  # tbsCertificate
    fields = _children(certificate, start, end)
    if fields and fields[0][0] == 0xA0:  # [0] version
        fields = fields[1:]
    if len(fields) < 6:  # serial, signature, issuer, validity, subject, key
        raise BadCertificate("not a certificate")
    tag, start, end = fields[5]  # subjectPublicKeyInfo
    algorithm, key = _children(certificate, start, end)[:2]
    oid = _children(certificate, algorithm[1], algorithm[2])[0]
    if oid[0] != OID or certificate[oid[1]:oid[2]] != RSA_ENCRYPTION:
        raise BadCertificate("not an RSA key")
    if key[0] != BIT_STRING or certificate[key[1]] != 0:
        raise BadCertificate("not an RSA key")
    tag, start, end = _element(certificate, key[1] + 1)  # RSAPublicKey
    numbers = _children(certificate, start, end)
    if tag != SEQUENCE or len(numbers) != 2 or any(n[0] != INTEGER for n in numbers):
        raise BadCertificate("not an RSA key")
    modulus, exponent = (int.from_bytes(certificate[n[1]:n[2]], "big")
                         for n in numbers)
    if not MIN_BITS <= modulus.bit_length() <= MAX_BITS:
        raise BadCertificate(f"an RSA key of {modulus.bit_length()} bits, not "
                             f"{MIN_BITS} to {MAX_BITS}")
    if not 3 <= exponent < modulus:
        raise BadCertificate("an RSA key's exponent out of range")
    return modulus, exponent


def verifies(alg: str, signing_input: bytes, signature: bytes,
             certificate: bytes) -> bool:
    """Whether ``signature`` is the ``alg`` signature of ``signing_input`` (the JWS's
    ``header.payload``) by the key of ``certificate``. BadCertificate if unreadable."""
    modulus, exponent = public_key(certificate)
    digest, prefix = DIGESTS[alg]
    size = (modulus.bit_length() + 7) // 8
    value = int.from_bytes(signature, "big")
    if len(signature) != size or value >= modulus:
        return False
    block = pow(value, exponent, modulus).to_bytes(size, "big")
    info = prefix + digest(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(info) - 3) + b"\x00" + info
    return hmac.compare_digest(block, expected)
