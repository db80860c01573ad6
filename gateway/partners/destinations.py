"""Where a webhook may be sent: public internet addresses only.

A partner chooses the URL and the webhooks worker POSTs to it from inside our network,
so an address that is not on the public internet (loopback, private ranges, the cloud
metadata service at 169.254.169.254, ...) would let a partner reach what only we can.
The URL is checked when it is registered and again before every delivery, after its
name is resolved; the delivery then connects to the very address that was checked, so
a name that resolves differently a moment later (DNS rebinding) cannot redirect it.

``WEBHOOK_ALLOWED_NETWORKS`` (empty by default) lists networks allowed all the same,
for development and tests whose receivers listen on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[Address]]

# names that never lead to the public internet, whatever a resolver says of them:
# RFC 6761 (localhost), RFC 6762 (.local), RFC 8375 (home.arpa), ICANN's private-use
# .internal (metadata.google.internal), and the usual /etc/hosts alias of localhost
INTERNAL_SUFFIXES = ("localhost", "localdomain", "local", "internal", "home.arpa")
LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d


class Refused(Exception):
    """The URL may never be delivered to: the reason says why, for the partner."""


class Unresolved(Exception):
    """The name has no address now; it may have one later."""


@dataclass(frozen=True)
class Destination:
    """A checked URL: connect to ``address``, speak to ``host`` (TLS SNI, Host)."""

    scheme: str
    host: str  # as in the URL: the name certificates and virtual hosts know
    port: int
    target: str  # path and query
    address: Address | None  # None: a name not resolved (at registration only)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def parse_networks(text: str) -> tuple[Network, ...]:
    """``"127.0.0.0/8, ::1"`` → networks (a bare address is a network of one)."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False)
                 for part in text.split(",") if part.strip())


def why_not_public(address: Address) -> str | None:
    """The kind of non-public address this is, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return why_not_public(embedded)
        if address.teredo or (address in IPV4_COMPATIBLE and int(address) > 1):
            return "an IPv4 tunnel address"
        if address.is_site_local:
            return "site-local"
    for kind, hit in (("unspecified", address.is_unspecified),
                      ("loopback", address.is_loopback),
                      ("link-local", address.is_link_local),
                      ("multicast", address.is_multicast),
                      ("private", address.is_private),
                      ("reserved", address.is_reserved)):
        if hit:
            return kind
    if not address.is_global:  # e.g. 100.64.0.0/10, shared carrier-grade NAT space
        return "not publicly routable"
    return None


def literal_address(host: str) -> Address | None:
    """The address a host written as a number means, in every form a C resolver takes:
    ``127.0.0.1``, ``::ffff:127.0.0.1``, ``2130706433``, ``0x7f000001``,
    ``0177.0.0.1``, ``127.1``."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])  # an IPv6 zone is no help
    except ValueError:
        pass
    if re.fullmatch(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}", host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            raise Refused(f"{host} is not a valid address") from None
    return None


def resolve(host: str, port: int) -> list[Address]:
    """Every address the system resolver gives for ``host``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolved(f"{host} does not resolve: {exc}") from None
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def check(url: str, allowed: Iterable[Network] = (),
          resolver: Resolver | None = resolve) -> Destination:
    """Refuse a URL that carries credentials or leads (now) to an address that is not
    public and not in ``allowed``; plain http:// only to ``allowed`` networks (a
    receiver on a developer's machine), https:// to the internet.

    With a resolver, the name must resolve, every address it gives must be acceptable
    (one bad answer among good ones is enough to refuse) and the first is the one to
    connect to. Without one (``None``), only what the URL itself says is checked.
    """
    allowed = tuple(allowed)
    try:
        parts = urlsplit(url)
        port = parts.port
        if port is None:
            port = 443 if parts.scheme == "https" else 80
    except ValueError as exc:
        raise Refused(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise Refused("must be an http:// or https:// URL")
    if port == 0:
        raise Refused("port 0 cannot be connected to")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise Refused("must not carry credentials (user:password@)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Refused("must name a host")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    address = literal_address(host)
    if address is None:
        host = _name(host)  # IDNA may turn it into a number: "127。0。0。1"
        address = literal_address(host)
    addresses = [address] if address is not None else []
    if address is None and resolver is not None:
        try:
            addresses = resolver(host, port)
            if not addresses:
                raise Unresolved(f"{host} does not resolve")
        except Unresolved:
            if parts.scheme == "http":  # plain http only where it is seen to be allowed
                raise Refused("must be an https:// URL") from None
            raise
    for candidate in addresses:
        reason = why_not_public(candidate)
        if reason and not any(candidate in network for network in allowed):
            shown = host if candidate == address else f"{host} ({candidate})"
            raise Refused(f"{shown} is not on the public internet ({reason})")
    if parts.scheme == "http" and not (
            addresses and all(any(a in n for n in allowed) for a in addresses)):
        raise Refused("must be an https:// URL")
    return Destination(parts.scheme, host, port, target,
                       addresses[0] if addresses else None)


def _name(host: str) -> str:
    """A host name as DNS knows it, refused if it can only be internal."""
    try:
        name = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise Refused(f"{host} is not a valid host name") from None
    if any(name == s or name.endswith("." + s) for s in INTERNAL_SUFFIXES):
        raise Refused(f"{host} is an internal host name, not on the public internet")
    labels = name.split(".")
    if len(labels) < 2 or not all(LABEL.fullmatch(label) for label in labels):
        # a single label is found through the local search domains, never the internet
        raise Refused(f"{host} is not a public host name (a.b.example)")
    return name

