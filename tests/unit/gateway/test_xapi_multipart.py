"""xAPI's multipart/mixed, read from a request and written in an answer
(``gateway/routes/xapi/multipart.py``): each refusal names its rule."""

from __future__ import annotations

import pytest

from gateway.routes.xapi import multipart
from services.lrs.contracts.errors import Invalid

STATEMENTS = b'{"actor": {"mbox": "mailto:jo@example.org"}}'
PDF = b"%PDF-1.7\r\n--not-the-boundary\r\n\x00\xff binary"


def body(boundary: str = "xapi-b") -> bytes:
    return (b"preamble, ignored\r\n"
            b"--xapi-b\r\nContent-Type: application/json\r\n\r\n" + STATEMENTS +
            b"\r\n--xapi-b\r\nContent-Type: application/pdf\r\n"
            b"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ab12\r\n\r\n"
            + PDF + b"\r\n--xapi-b--\r\nepilogue, ignored")


def rule(raw: bytes, boundary: str | None = "xapi-b") -> str:
    with pytest.raises(Invalid) as refused:
        multipart.split(raw, boundary)
    return refused.value.violations[0]["rule"]


def test_split_gives_each_part_s_headers_and_exact_bytes():
    first, second = multipart.split(body(), "xapi-b")
    assert first.content == STATEMENTS
    assert multipart.mimetype(first.headers) == "application/json"
    assert second.content == PDF  # CRLF, dashes and binary inside are kept
    assert second.headers["x-experience-api-hash"] == "ab12"
    assert second.headers["content-transfer-encoding"] == "binary"


def test_multipart_boundary():
    assert rule(body(), None) == "multipart.boundary"
    assert rule(body(), "x" * 71) == "multipart.boundary"


def test_multipart_malformed():
    assert rule(b"no delimiter at all") == "multipart.malformed"
    assert rule(body().split(b"\r\n--xapi-b--")[0]) == "multipart.malformed"
    assert rule(b"--xapi-b\r\nno colon here\r\n\r\n{}\r\n--xapi-b--") == \
        "multipart.malformed"
    assert rule(b"--xapi-b--\r\n") == "multipart.malformed"


def test_join_then_split_gives_the_same_parts():
    raw, content_type = multipart.join(STATEMENTS, [("ab12", "application/pdf", PDF)])
    boundary = content_type.split('boundary="')[1].rstrip('"')
    first, second = multipart.split(raw, boundary)
    assert (first.content, second.content) == (STATEMENTS, PDF)
    assert second.headers == {"content-type": "application/pdf",
                              "content-transfer-encoding": "binary",
                              "x-experience-api-hash": "ab12"}
