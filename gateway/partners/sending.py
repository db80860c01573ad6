"""One webhook delivery over HTTP, to the address its URL was just checked to have.

Plain code: the webhooks service (service.py) sends many at once from a green pool.
"""

from __future__ import annotations

import urllib.request

import certifi
import urllib3

from . import destinations
from .deliveries import Outgoing


def post(outgoing: Outgoing, allowed: tuple[destinations.Network, ...] = (),
         resolver: destinations.Resolver = destinations.resolve,
         ) -> tuple[int | None, str | None, bool]:
    """One attempt: ``(status code, error, final)``; ``final`` when it must not be
    tried again.

    The URL is checked again now (its name may resolve elsewhere than at registration)
    and the connection goes to the address just checked, never to a second lookup's;
    TLS still names the host (SNI, certificate check) and so does the Host header.
    Redirects are not followed: they would lead somewhere unchecked.
    """
    try:
        to = destinations.check(outgoing.url, allowed, resolver)
    except destinations.Refused as exc:
        return None, f"refused: {exc}"[:500], True
    except destinations.Unresolved as exc:
        return None, str(exc)[:500], False
    pool = connection_to(to)
    try:
        answer = pool.urlopen("POST", to.target, body=outgoing.body,
                              headers={**outgoing.headers, "host": to.host_header},
                              redirect=False, assert_same_host=False, retries=False,
                              timeout=urllib3.Timeout(10), preload_content=True)
        ok = 200 <= answer.status < 300
        text = answer.data.decode("utf-8", "replace")[:200] or f"HTTP {answer.status}"
        return answer.status, None if ok else text, False
    except urllib3.exceptions.HTTPError as exc:
        return None, f"{exc.__class__.__name__}: {exc}"[:500], False
    finally:
        pool.close()


def connection_to(to: destinations.Destination) -> urllib3.HTTPConnectionPool:
    """A connection pool to the checked address of ``to``, for one delivery.

    Through an egress proxy (HTTPS_PROXY) the tunnel is asked for that address too
    (CONNECT <address>:<port>): the proxy resolving the name again would undo the
    check. Plain http (allowed networks only) never goes through a proxy.
    """
    address = str(to.address)
    if to.scheme == "http":
        return urllib3.HTTPConnectionPool(address, to.port, maxsize=1)
    tls = {"server_hostname": to.host, "ca_certs": certifi.where()}
    proxy = urllib.request.getproxies().get("https")
    if proxy and not urllib.request.proxy_bypass(to.host):
        return urllib3.ProxyManager(proxy).connection_from_host(
            address, to.port, "https", pool_kwargs=tls)
    return urllib3.HTTPSConnectionPool(address, to.port, maxsize=1, **tls)
