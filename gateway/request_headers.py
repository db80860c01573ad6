"""A request's headers read without the e-mail parser (decision 0068).

eventlet's HTTP server reads a request's headers as the standard library's
``http.server`` does: ``http.client.parse_headers``, which hands the header block to
``email.parser``. That parser's generality (folded lines, MIME, defects) cost about
a twelfth of the gateway's CPU for a single xAPI statement.

Here a block of plain ``Name: value`` lines becomes the same ``HTTPMessage`` as the
e-mail parser makes of it (the same names and values, in order). Anything else (a
folded line, a name that is not a token, a bare carriage return) goes to the e-mail
parser, so an odd request is read exactly as before. Only the gateway's own protocol
(``GatewayProtocol``) takes this path: every other caller of ``parse_headers`` in the
process gets the standard library's.
"""

from __future__ import annotations

import email.parser
import http.client
import re

from nameko.web.server import HttpOnlyProtocol

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # a field name (RFC 9110)
_END = (b"\r\n", b"\n", b"")
_standard = http.client.parse_headers


class RequestHeaders(http.client.HTTPMessage):
    """The headers of a request to the gateway (what selects the plain reading)."""


def parse_headers(fp, _class=http.client.HTTPMessage):
    """``http.client.parse_headers``, with the plain reading for ``RequestHeaders``."""
    if _class is not RequestHeaders:
        return _standard(fp, _class=_class)
    lines = http.client._read_headers(fp)  # its limits on line length and count
    return read_block(lines)


def read_block(lines: list[bytes]) -> RequestHeaders:
    """The message of a header block (its lines, the empty one that ends it last)."""
    message = RequestHeaders()
    for line in lines:
        if line in _END:
            break
        name, colon, value = line.partition(b":")
        # as the e-mail parser reads it: the value without its leading blanks and
        # its line end, trailing blanks kept
        value = value.lstrip(b" \t").rstrip(b"\r\n")
        if not colon or b"\r" in value or not _TOKEN.fullmatch(name):
            return _by_email_parser(lines)
        message.set_raw(name.decode("latin-1"), value.decode("latin-1"))
    return message


def _by_email_parser(lines: list[bytes]) -> RequestHeaders:
    return email.parser.Parser(_class=RequestHeaders).parsestr(
        b"".join(lines).decode("iso-8859-1"))


class GatewayProtocol(HttpOnlyProtocol):
    MessageClass = RequestHeaders


def install_header_parser() -> None:
    """``http.server`` looks ``parse_headers`` up in ``http.client`` at each request."""
    http.client.parse_headers = parse_headers
