"""A statement's attachment objects (Data 2.4.11), and what a request's attachment
parts must be to go with them (Communication 1.5.2, signed statements: Data 2.6)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import rsa
from .shapes import _SHA2, Shapes, Violation, _join

# RFC 6838's type/subtype (RFC 2045 tokens), then any parameters
_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
_MEDIA_TYPE = re.compile(rf"^{_TOKEN}/{_TOKEN}(?:\s*;.*)?$")


class Attachments(Shapes):
    def attachments(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.fail(path, "attachments.array", "must be an array of attachments")
            return
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            if not self.is_object(item, where, "attachment.object"):
                continue
            self.keys(item, ("usageType", "display", "description", "contentType",
                             "length", "sha2", "fileUrl"), where,
                      "attachment.properties")
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in item:
                    self.fail(where, "attachment.required",
                              f"an attachment has a {key!r}")
            if "usageType" in item:
                self.iri(item["usageType"], _join(where, "usageType"),
                         "attachment.usage-type-iri")
            for key in ("display", "description"):
                if key in item:
                    self.language_map(item[key], _join(where, key))
            content_type = item.get("contentType")
            if "contentType" in item and (not isinstance(content_type, str)
                                          or not _MEDIA_TYPE.match(content_type)):
                self.fail(_join(where, "contentType"), "attachment.content-type",
                          "must be an Internet Media Type (type/subtype, "
                          "e.g. application/pdf)")
            if "length" in item and (isinstance(item["length"], bool) or not
                                     isinstance(item["length"], int)
                                     or item["length"] < 0):
                self.fail(_join(where, "length"), "attachment.length-integer",
                          "must be a whole number of octets")
            if "sha2" in item and (not isinstance(item["sha2"], str)
                                   or not _SHA2.match(item["sha2"])):
                self.fail(_join(where, "sha2"), "attachment.sha2-hex",
                          "must be a SHA-2 hash in hexadecimal")
            if "fileUrl" in item:
                self.irl(item["fileUrl"], _join(where, "fileUrl"),
                         "attachment.file-url-irl")


# -- a request's attachments: the statements with the parts that carry their data ----
# (Communication 1.5.2; Data 2.4.11 and 2.6, signed statements)
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_CONTENT_TYPE = "application/octet-stream"
JWS_ALGORITHMS = ("RS256", "RS384", "RS512")
# what the LRS may set or change when it stores a statement: a signature's payload
# is compared to the statement received without them (Data 2.6)
SET_BY_LRS = ("id", "authority", "stored", "timestamp", "version")
_HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384,
           128: hashlib.sha512}
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Part:
    """One attachment's data as a multipart/mixed request carried it."""

    sha2: str  # its X-Experience-API-Hash header, as sent
    content: bytes
    content_type: str | None = None


def sha2_of(content: bytes, like: str) -> str | None:
    """The SHA-2 of ``content`` of the length of the hash ``like`` (SHA-224 to
    SHA-512, told apart by their length in hexadecimal), or None for no such length."""
    algorithm = _HASHES.get(len(like))
    return algorithm(content).hexdigest() if algorithm else None


def attachment_objects(statement: Any) -> list[tuple[str, dict]]:
    """(path, attachment) of a statement's attachments and its SubStatement's."""
    found = []
    if not isinstance(statement, dict):
        return found
    for where, owner in (("attachments", statement),
                         ("object.attachments", statement.get("object"))):
        if not isinstance(owner, dict) or not isinstance(owner.get("attachments"),
                                                         list):
            continue
        if where.startswith("object") and owner.get("objectType") != "SubStatement":
            continue
        for i, item in enumerate(owner["attachments"]):
            if isinstance(item, dict):
                found.append((f"{where}[{i}]", item))
    return found


def referenced_hashes(statements: Iterable[Any]) -> list[str]:
    """The SHA-2 hashes (lower case) of the statements' attachments, each once, in
    the order they are named: what a GET with ``attachments=true`` sends."""
    seen: dict[str, None] = {}
    for statement in statements:
        for _, item in attachment_objects(statement):
            if isinstance(item.get("sha2"), str):
                seen.setdefault(item["sha2"].lower(), None)
    return list(seen)


def part_violations(statements: list, parts: list[Part],
                    single: bool = False) -> list[Violation]:
    """The rules a request's statements and attachment parts break together: each
    part's hash is the SHA-2 of its content and an attachment's ``sha2``; every
    attachment without a ``fileUrl`` has its part; signatures are well formed JWS
    of the statement they sign. ``single``: paths without the statement's index."""
    found: list[Violation] = []
    by_hash: dict[str, Part] = {}
    for n, part in enumerate(parts):
        where = f"attachments[{n}]"
        given = part.sha2.strip().lower()
        if sha2_of(part.content, given) != given:
            found.append(Violation(where, "attachment.part-hash",
                                   "the part's X-Experience-API-Hash is not the "
                                   "SHA-2 of its content"))
            continue
        by_hash[given] = part
    named: set[str] = set()
    for i, statement in enumerate(statements):
        prefix = "" if single else f"[{i}]."
        for path, item in attachment_objects(statement):
            sha2 = item.get("sha2")
            if not isinstance(sha2, str):
                continue  # attachment.required says so
            sha2 = sha2.lower()
            named.add(sha2)
            part = by_hash.get(sha2)
            if part is None and "fileUrl" not in item:
                found.append(Violation(
                    f"{prefix}{path}.sha2", "attachment.part-required",
                    "an attachment without a fileUrl needs its data: a part of a "
                    "multipart/mixed request whose X-Experience-API-Hash is this "
                    "sha2"))
            if item.get("usageType") == SIGNATURE:
                found += [Violation(f"{prefix}{path}{v.path}", v.rule, v.detail)
                          for v in _signature(statement, item, part)]
    for n, part in enumerate(parts):
        given = part.sha2.strip().lower()
        if given in by_hash and given not in named:
            found.append(Violation(f"attachments[{n}]", "attachment.part-unreferenced",
                                   "no attachment of the statements has this "
                                   "part's hash as its sha2"))
    return found


def _signature(statement: dict, item: dict, part: Part | None) -> list[Violation]:
    """A signature attachment: application/octet-stream, its part a JWS (compact
    serialization) signed with RS256/384/512, whose payload is the statement as it
    was before the signature was added (Data 2.6); with a certificate in its header
    (``x5c``), signed by that certificate's key (decision 0060)."""
    found = []
    if item.get("contentType") != SIGNATURE_CONTENT_TYPE:
        found.append(Violation(".contentType", "signature.content-type",
                               "a signature's contentType is "
                               f"{SIGNATURE_CONTENT_TYPE}"))
    if part is None:
        found.append(Violation(".sha2", "signature.part-required",
                               "a signature is sent as a part of the request, "
                               "so that the LRS can check it"))
        return found
    try:
        segments = part.content.decode("ascii").strip().split(".")
    except UnicodeDecodeError:
        segments = []
    if len(segments) != 3 or not all(_BASE64URL.match(s) for s in segments) \
            or not segments[0] or not segments[2]:
        found.append(Violation("", "signature.jws-compact",
                               "a signature is a JWS in compact serialization: "
                               "header.payload.signature, each base64url"))
        return found
    header, payload = _json_of(segments[0]), _json_of(segments[1])
    if not isinstance(header, dict):
        found.append(Violation("", "signature.jws-compact",
                               "the JWS header is not a JSON object"))
    elif header.get("alg") not in JWS_ALGORITHMS:
        found.append(Violation("", "signature.algorithm",
                               "a signature's alg is one of "
                               f"{', '.join(JWS_ALGORITHMS)}"))
    if not isinstance(payload, dict):
        found.append(Violation("", "signature.payload-statement",
                               "the JWS payload is not a statement (a JSON object)"))
    elif _unsigned(payload) != _unsigned(statement):
        found.append(Violation("", "signature.matches-statement",
                               "the JWS payload is not this statement (id, "
                               "authority, stored, timestamp, version and the "
                               "signature attachment aside)"))
    if not found and "x5c" in header:
        found += _certified(header, segments)
    return found


def _certified(header: dict, segments: list[str]) -> list[Violation]:
    """The JWS is signed by the key of the first certificate of its ``x5c`` (RFC
    7515 4.1.6: base64, not base64url, DER). Its issuer is not checked."""
    chain = header["x5c"]
    try:
        if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
            raise rsa.BadCertificate("x5c is not a list of certificates")
        certificate = base64.b64decode(chain[0], validate=True)
        signature = _unbase64url(segments[2])
        good = rsa.verifies(header["alg"], f"{segments[0]}.{segments[1]}".encode(),
                            signature, certificate)
    except (ValueError, IndexError) as exc:  # BadCertificate, binascii.Error too
        return [Violation("", "signature.x5c-certificate",
                          "the JWS header's x5c[0] is not an X.509 certificate "
                          f"of an RSA key of {rsa.MIN_BITS} to {rsa.MAX_BITS} bits "
                          f"({exc})")]
    if not good:
        return [Violation("", "signature.verifies",
                          "the JWS signature is not made by the key of the "
                          "certificate in its header (x5c)")]
    return []


def _unbase64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _json_of(segment: str) -> Any:
    try:
        return json.loads(_unbase64url(segment))
    except (ValueError, binascii.Error):
        return None


def _unsigned(statement: dict) -> dict:
    """What a signature covers: the statement without what the LRS may set and
    without its signature attachments."""
    kept = {k: v for k, v in statement.items() if k not in SET_BY_LRS}
    attachments = [a for a in kept.get("attachments") or []
                   if not (isinstance(a, dict) and a.get("usageType") == SIGNATURE)]
    kept.pop("attachments", None)
    if attachments:
        kept["attachments"] = attachments
    return kept
