"""The gateway reads a request's headers as the standard library does (the same
names and values, in order), without the e-mail parser for plain blocks."""

from __future__ import annotations

import email.parser
import http.client
import io

import pytest

from gateway.request_headers import RequestHeaders, parse_headers

BLOCKS = {
    "plain": b"Host: lrs.example.org\r\nContent-Type: application/json\r\n"
             b"X-Experience-API-Version: 1.0.3\r\nContent-Length: 12\r\n\r\n",
    "repeated names, any case": b"Accept: a\r\naccept: b\r\nACCEPT: c\r\n\r\n",
    "blanks around values": b"X-A:  padded  \r\nX-B:\tx\t\r\nX-C:\r\nX-D: \r\n\r\n",
    "colon in the value": b"Authorization: Basic a2V5OnNlY3JldA==\r\n"
                          b"Referer: https://x.example/a:b\r\n\r\n",
    "bare line feeds": b"Host: a\nX-B: b\n\n",
    "latin-1 bytes": b"X-Name: Ren\xe9e\r\n\r\n",
    "folded line": b"X-Long: first\r\n  second\r\nHost: a\r\n\r\n",
    "space before the colon": b"Host : a\r\nX-B: b\r\n\r\n",
    "no colon": b"Host a\r\nX-B: b\r\n\r\n",
    "carriage return inside": b"X-A: one\rX-B: two\r\nHost: a\r\n\r\n",
    "empty name": b": nameless\r\nHost: a\r\n\r\n",
    "no header": b"\r\n",
    "cut short": b"Host: a\r\n",
}


def standard(stream: bytes) -> http.client.HTTPMessage:
    """The standard library's reading (the gateway may have replaced it)."""
    lines = http.client._read_headers(io.BytesIO(stream))
    return email.parser.Parser(_class=http.client.HTTPMessage).parsestr(
        b"".join(lines).decode("iso-8859-1"))


@pytest.mark.parametrize("block", BLOCKS.values(), ids=BLOCKS.keys())
def test_a_header_block_reads_as_the_standard_library_reads_it(block):
    stream = block + b'{"id": "x"}\r\n'  # a body: read as a header if none ends them
    theirs = standard(stream)
    ours = parse_headers(io.BytesIO(stream), _class=RequestHeaders)
    assert ours.items() == theirs.items()
    assert ours.get_content_type() == theirs.get_content_type()
    assert ours.get("host") == theirs.get("host")


def test_the_body_after_the_headers_is_left_to_read():
    stream = io.BytesIO(BLOCKS["plain"] + b'{"id": "x"}')
    parse_headers(stream, _class=RequestHeaders)
    assert stream.read() == b'{"id": "x"}'


def test_too_many_headers_are_refused_as_before():
    block = b"".join(b"X-%d: v\r\n" % n for n in range(101)) + b"\r\n"
    with pytest.raises(http.client.HTTPException, match="more than 100 headers"):
        parse_headers(io.BytesIO(block), _class=RequestHeaders)


def test_other_callers_get_the_standard_reading():
    message = parse_headers(io.BytesIO(BLOCKS["plain"]))
    assert type(message) is http.client.HTTPMessage
    assert message["Host"] == "lrs.example.org"
