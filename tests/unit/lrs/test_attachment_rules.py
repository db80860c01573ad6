"""What a request's attachment parts must be to go with its statements (xAPI 1.0.3
Communication 1.5.2, Data 2.4.11 and 2.6 signed statements), one test per rule,
named after it: ``contracts.statements.part_violations``.

``signed_statement.json`` holds a statement signed with openssl (RS256, RS512) by a
2048-bit key whose self-signed certificate is in the header's ``x5c``, and two
certificates the LRS cannot use (a 1024-bit RSA key, an EC key); no private key."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from pathlib import Path

from services.lrs.contracts.statements import (
    SIGNATURE,
    Part,
    check_statement,
    part_violations,
    referenced_hashes,
    violations,
)

DATA = b"%PDF-1.7 a certificate of completion"
SHA = hashlib.sha256(DATA).hexdigest()


def attachment(content: bytes = DATA, **changes) -> dict:
    base = {"usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
            "display": {"en-US": "Certificate"}, "contentType": "application/pdf",
            "length": len(content), "sha2": hashlib.sha256(content).hexdigest()}
    return {**base, **changes}


def statement(*attachments: dict, **changes) -> dict:
    base = {"actor": {"mbox": "mailto:jo@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "https://courses.example.org/c/ethics"},
            "attachments": list(attachments)}
    return {**base, **changes}


def part(content: bytes = DATA, sha2: str | None = None) -> Part:
    return Part(sha2 or hashlib.sha256(content).hexdigest(), content,
                "application/pdf")


def broken(statements, parts, single=False) -> set[tuple[str, str]]:
    return {(v.path, v.rule) for v in part_violations(statements, parts, single)}


def b64url(value) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jws(payload, alg: str = "RS256") -> bytes:
    """A JWS in compact serialization (the signature bytes are not checked)."""
    return ".".join([b64url({"alg": alg, "typ": "JWT"}), b64url(payload),
                     b64url(b"\x01" * 256)]).encode()


def signed(original: dict, token: bytes | None = None, **changes) -> tuple[dict, Part]:
    """``original`` with a signature attachment whose part signs ``original``."""
    token = jws(original) if token is None else token
    sig = attachment(token, **{"usageType": SIGNATURE,
                               "contentType": "application/octet-stream",
                               "display": {"en-US": "Signature"}, **changes})
    with_signature = copy.deepcopy(original)
    with_signature["attachments"] = [*original.get("attachments", []), sig]
    return with_signature, part(token)


# -- the attachment objects ------------------------------------------------------------
def test_attachment_content_type():
    for wrong in ("pdf", "application/", "a b/c", 3):
        found = {(v.path, v.rule) for v in violations(
            statement(attachment(contentType=wrong)))}
        assert found == {("attachments[0].contentType", "attachment.content-type")}
    for right in ("application/pdf", "text/plain; charset=utf-8",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml"
                  ".document"):
        assert violations(statement(attachment(contentType=right))) == []


# -- parts that go with their statements ----------------------------------------------
def test_every_attachment_with_its_part_is_valid():
    one = statement(attachment())
    check_statement(one)
    assert part_violations([one], [part()]) == []


def test_attachment_part_required():
    assert broken([statement(attachment())], []) == {
        ("[0].attachments[0].sha2", "attachment.part-required")}
    assert broken([statement(attachment())], [], single=True) == {
        ("attachments[0].sha2", "attachment.part-required")}


def test_attachment_with_a_file_url_needs_no_part():
    linked = attachment(fileUrl="https://files.example.org/certificate.pdf")
    assert part_violations([statement(linked)], []) == []


def test_attachment_part_hash():
    liar = Part(SHA, b"other bytes", "application/pdf")
    assert ("attachments[0]", "attachment.part-hash") in broken(
        [statement(attachment())], [liar])


def test_attachment_part_hash_of_sha384_and_sha512():
    for algorithm in (hashlib.sha384, hashlib.sha512):
        sha2 = algorithm(DATA).hexdigest()
        assert part_violations([statement(attachment(sha2=sha2))],
                               [part(sha2=sha2)]) == []


def test_attachment_part_unreferenced():
    stray = part(b"nobody names me")
    assert broken([statement(attachment())], [part(), stray]) == {
        ("attachments[1]", "attachment.part-unreferenced")}


def test_one_part_serves_every_attachment_of_its_hash():
    batch = [statement(attachment()), statement(attachment())]
    assert part_violations(batch, [part()]) == []


def test_hashes_are_compared_in_any_case():
    assert part_violations([statement(attachment(sha2=SHA.upper()))],
                           [part()]) == []


def test_a_sub_statement_s_attachments_need_their_parts_too():
    inner = {"objectType": "SubStatement", "actor": {"mbox": "mailto:a@example.org"},
             "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
             "object": {"id": "https://courses.example.org/c/1"},
             "attachments": [attachment()]}
    outer = statement(object=inner)
    assert broken([outer], []) == {
        ("[0].object.attachments[0].sha2", "attachment.part-required")}
    assert part_violations([outer], [part()]) == []
    assert referenced_hashes([outer, statement(attachment())]) == [SHA]


# -- signed statements (Data 2.6) ----------------------------------------------------
def test_a_signed_statement_is_valid():
    one, sig = signed(statement(attachment()))
    check_statement(one)
    assert part_violations([one], [part(), sig]) == []


def test_signature_matches_statement_whatever_the_lrs_sets():
    original = statement(id="fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
                         timestamp="2026-12-07T09:30:00Z")
    one, sig = signed(original)
    one.pop("timestamp")
    one["authority"] = {"mbox": "mailto:lrs@example.org"}
    assert part_violations([one], [sig]) == []


def test_signature_content_type():
    one, sig = signed(statement(), contentType="text/plain")
    assert broken([one], [sig]) == {
        ("[0].attachments[0].contentType", "signature.content-type")}


def test_signature_part_required():
    one, _ = signed(statement(), fileUrl="https://files.example.org/sig")
    assert broken([one], []) == {("[0].attachments[0].sha2",
                                  "signature.part-required")}


def test_signature_jws_compact():
    for token in (b"not a jws", b"a.b", b"a.b.c.d", b"\xff\xfe.x.y", b"ab!.cd.ef"):
        one, sig = signed(statement(), token=token)
        assert ("[0].attachments[0]", "signature.jws-compact") in broken([one], [sig])


def test_signature_algorithm():
    for alg in ("HS256", "none", "ES256"):
        original = statement()
        one, sig = signed(original, token=jws(original, alg=alg))
        assert broken([one], [sig]) == {("[0].attachments[0]", "signature.algorithm")}


def test_signature_payload_statement():
    token = ".".join([b64url({"alg": "RS256"}), b64url(b"[1, 2]"),
                      b64url(b"sig")]).encode()
    one, sig = signed(statement(), token=token)
    assert broken([one], [sig]) == {("[0].attachments[0]",
                                     "signature.payload-statement")}


def test_signature_matches_statement():
    original = statement()
    one, sig = signed(original)
    one["verb"] = {"id": "http://adlnet.gov/expapi/verbs/failed"}
    assert broken([one], [sig]) == {("[0].attachments[0]",
                                     "signature.matches-statement")}


# -- a signature with its certificate (x5c): made with openssl, signed_statement.json --
SIGNED = json.loads((Path(__file__).parent / "signed_statement.json").read_text())


def with_token(token: str) -> tuple[dict, Part]:
    return signed(SIGNED["statement"], token=token.encode())


def resigned(header: dict, signature: str | None = None) -> str:
    """SIGNED's RS256 token with another header (its signature no longer fits)."""
    _, payload, sig = SIGNED["RS256"].split(".")
    return ".".join([b64url(header), payload, signature or sig])


def test_a_signature_made_by_its_certificate_s_key_is_valid():
    for alg in ("RS256", "RS512"):
        one, sig = with_token(SIGNED[alg])
        assert part_violations([one], [sig]) == [], alg


def test_signature_verifies():
    header, payload, sig = SIGNED["RS256"].split(".")
    flipped = bytearray(base64.urlsafe_b64decode(sig + "=="))
    flipped[-1] ^= 1
    for token in (f"{header}.{payload}.{b64url(bytes(flipped))}",
                  f"{header}.{payload}.{b64url(b'short')}",
                  resigned({"alg": "RS512", "x5c": [SIGNED["certificate"]]})):
        one, part_ = with_token(token)
        assert broken([one], [part_]) == {("[0].attachments[0]",
                                           "signature.verifies")}, token


def test_signature_x5c_certificate():
    garbage = base64.b64encode(b"\x30\x03abc").decode()
    for chain in ([], "MIIB", ["not base64!"], [garbage],
                  [SIGNED["certificate_1024_bits"]], [SIGNED["certificate_ec"]]):
        one, part_ = with_token(resigned({"alg": "RS256", "x5c": chain}))
        assert broken([one], [part_]) == {("[0].attachments[0]",
                                           "signature.x5c-certificate")}, chain
