"""Webhooks reach the public internet only, whatever way the URL spells an address."""

from __future__ import annotations

import ipaddress

import pytest

from gateway.partners import destinations

LOOPBACK_ONLY = destinations.parse_networks("127.0.0.0/8")


def resolver(table: dict[str, str]) -> destinations.Resolver:
    """A resolver that knows only ``table`` (name → comma-separated addresses)."""

    def resolve(host: str, port: int) -> list[destinations.Address]:
        if host not in table:
            raise destinations.Unresolved(f"{host} does not resolve")
        return [ipaddress.ip_address(a) for a in table[host].split(",")]

    return resolve


@pytest.mark.parametrize(("url", "reason"), [
    ("https://127.0.0.1:8080/h", "loopback"),
    ("https://2130706433/h", "loopback"),  # decimal
    ("https://0x7f000001/h", "loopback"),  # hexadecimal
    ("https://0177.0.0.1/h", "loopback"),  # octal
    ("https://0x7f.1/h", "loopback"),  # short, mixed
    ("https://127.1/h", "loopback"),
    ("https://127\u30020\u30020\u30021/h", "loopback"),  # ideographic full stops
    ("https://[::1]:8080/h", "loopback"),
    ("https://[::ffff:127.0.0.1]/h", "loopback"),  # IPv4-mapped IPv6
    ("https://[::ffff:a9fe:a9fe]/h", "link-local"),
    ("https://[2002:a00:1::]/h", "private"),  # 6to4 of 10.0.0.1
    ("https://[64:ff9b::c0a8:1]/h", "private"),  # NAT64 of 192.168.0.1
    ("https://169.254.169.254/latest/meta-data/", "link-local"),
    ("https://[fe80::1]/h", "link-local"),
    ("https://10.1.2.3/h", "private"),
    ("https://172.16.0.1/h", "private"),
    ("https://192.168.1.1/h", "private"),
    ("https://[fd12:3456::1]/h", "private"),  # unique local
    ("https://[fec0::1]/h", "site-local"),
    ("https://100.64.0.1/h", "not publicly routable"),  # carrier-grade NAT
    ("https://224.0.0.1/h", "multicast"),
    ("https://[ff02::1]/h", "multicast"),
    ("https://240.0.0.1/h", "private"),  # reserved (Python counts it private too)
    ("https://0.0.0.0/h", "unspecified"),
    ("https://[::]/h", "unspecified"),
])
def test_addresses_that_are_not_public_are_refused_in_every_spelling(url, reason):
    with pytest.raises(destinations.Refused, match="not on the public internet") as err:
        destinations.check(url, resolver=resolver({}))
    assert f"({reason})" in str(err.value)


@pytest.mark.parametrize("url", [
    "https://localhost/h", "https://localhost./h", "https://api.localhost/h",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://printer.local/h", "https://router.home.arpa/h",
    "https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/h",  # fullwidth
    "https://%6c%6f%63%61%6c%68%6f%73%74/h",  # percent-encoded
    "https://metadata/h",  # one label: found through local search domains only
])
def test_internal_host_names_are_refused_before_any_lookup(url):
    with pytest.raises(destinations.Refused):
        destinations.check(url, resolver=resolver({"metadata": "8.8.8.8"}))


def test_localhost_is_refused_as_the_system_resolves_it_too():
    """Even were the name not known to be internal, it resolves to loopback here."""
    assert all(a.is_loopback for a in destinations.resolve("localhost", 443))
    with pytest.raises(destinations.Refused):
        destinations.check("https://localhost:9/h")


def test_a_name_is_judged_by_every_address_it_resolves_to():
    table = resolver({"rebound.example": "127.0.0.1",
                      "mixed.example": "93.184.215.14,10.0.0.7",
                      "public.example": "93.184.215.14,2606:4700:4700::1111"})
    with pytest.raises(destinations.Refused, match=r"rebound.example \(127.0.0.1\)"):
        destinations.check("https://rebound.example/h", resolver=table)
    with pytest.raises(destinations.Refused, match=r"\(private\)"):
        destinations.check("https://mixed.example/h", resolver=table)
    to = destinations.check("https://public.example:8443/h?x=1", resolver=table)
    # the delivery connects to the address checked and names the host for TLS and Host
    assert (str(to.address), to.host, to.port, to.target, to.host_header) == (
        "93.184.215.14", "public.example", 8443, "/h?x=1", "public.example:8443")


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://files.example/h", "http:// or https://"),
    ("https://user:secret@hooks.example/h", "credentials"),
    ("https://@hooks.example/h", "credentials"),
    ("http://93.184.215.14/h", "https://"),  # plain http only to allowed networks
    ("http://hooks.example/h", "https://"),
    ("https://999.0.0.1/h", "not a valid address"),
    ("https:///h", "must name a host"),
    ("https://hooks.example:0/h", "port 0"),
])
def test_only_plain_https_urls_without_credentials(url, message):
    with pytest.raises(destinations.Refused, match=message):
        destinations.check(url, resolver=resolver({"hooks.example": "93.184.215.14"}))


def test_public_addresses_pass():
    for url in ("https://93.184.215.14/h", "https://[2606:4700:4700::1111]/h",
                "https://[64:ff9b::808:808]/h"):  # NAT64 of a public address
        assert destinations.check(url, resolver=resolver({})).address is not None


def test_allowed_networks_open_exactly_what_they_name():
    to = destinations.check("http://127.0.0.1:8080/h", LOOPBACK_ONLY)
    assert (str(to.address), to.host_header) == ("127.0.0.1", "127.0.0.1:8080")
    assert destinations.check("http://2130706433:8080/h", LOOPBACK_ONLY).address == \
        ipaddress.ip_address("127.0.0.1")
    for url in ("http://10.0.0.1/h", "https://[::1]/h", "https://169.254.169.254/"):
        with pytest.raises(destinations.Refused):
            destinations.check(url, LOOPBACK_ONLY)


def test_an_unresolved_name_is_not_refused_for_good():
    with pytest.raises(destinations.Unresolved):
        destinations.check("https://hooks.example/h", resolver=resolver({}))
