"""xAPI's ``multipart/mixed`` (Communication 1.5.2): statements with their
attachments' data, read from a request and written in an answer.

The first part is the statements (``application/json``), then one part per
attachment with its ``X-Experience-API-Hash`` (the SHA-2 of its content, in hex) and
``Content-Transfer-Encoding: binary``. Plain code on bytes, no Werkzeug: the body is
read (and bounded) by the route.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from services.lrs.contracts.errors import Invalid

HASH_HEADER = "X-Experience-API-Hash"
CRLF = b"\r\n"


@dataclass(frozen=True)
class RawPart:
    headers: dict[str, str]  # names in lower case
    content: bytes


def refused(path: str, rule: str, detail: str) -> Invalid:
    return Invalid([{"path": path, "rule": rule, "detail": detail}])


def split(body: bytes, boundary: str | None) -> list[RawPart]:
    """The parts of a multipart body (RFC 2046 5.1.1): what lies between the
    delimiters ``--boundary``, up to the closing ``--boundary--``."""
    if not boundary or len(boundary) > 70:
        raise refused("Content-Type", "multipart.boundary",
                      "multipart/mixed needs a boundary parameter of 1 to 70 "
                      "characters")
    delimiter = CRLF + b"--" + boundary.encode("latin-1")
    text = CRLF + body  # the first delimiter may open the body
    start = text.find(delimiter)
    parts: list[RawPart] = []
    while start >= 0:
        after = start + len(delimiter)
        if text[after:after + 2] == b"--":  # the closing delimiter
            break
        line_end = text.find(CRLF, after)  # transport padding, then CRLF
        if line_end < 0 or text[after:line_end].strip(b" \t"):
            raise _malformed("a delimiter line holds more than the boundary")
        end = text.find(delimiter, line_end)
        if end < 0:
            raise _malformed("the body does not end with the closing delimiter "
                             f"--{boundary}--")
        parts.append(_part(text[line_end + 2:end]))
        start = end
    else:
        raise _malformed(f"no delimiter --{boundary} in the body")
    if not parts:
        raise _malformed("the body has no parts")
    return parts


def _part(raw: bytes) -> RawPart:
    if raw.startswith(CRLF):  # no headers
        return RawPart({}, raw[2:])
    head, sep, content = raw.partition(CRLF + CRLF)
    if not sep:
        raise _malformed("a part's headers do not end with an empty line")
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise _malformed(f"{line[:60]!r} is not a header")
        headers[name.strip().lower()] = value.strip()
    return RawPart(headers, content)


def _malformed(detail: str) -> Invalid:
    return refused("body", "multipart.malformed", detail)


def mimetype(headers: dict[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def join(statements: bytes, attachments: list[tuple[str, str, bytes]]) -> \
        tuple[bytes, str]:
    """The body and Content-Type of an answer: the statements' JSON, then each
    ``(sha2, content type, content)``."""
    boundary = secrets.token_hex(16)  # 128 random bits: in no content, in practice
    mark = b"--" + boundary.encode()
    chunks = [mark, CRLF, b"Content-Type: application/json", CRLF, CRLF, statements]
    for sha2, content_type, content in attachments:
        chunks += [CRLF, mark, CRLF,
                   f"Content-Type: {content_type}".encode("latin-1"), CRLF,
                   b"Content-Transfer-Encoding: binary", CRLF,
                   f"{HASH_HEADER}: {sha2}".encode(), CRLF, CRLF, content]
    chunks += [CRLF, mark, b"--", CRLF]
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'
