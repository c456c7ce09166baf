"""Where a request comes from: the client's address behind the proxies we run, and the
network around it. Only used to limit and to hash; never stored as it is."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# A household or an office shares a /24 (IPv4); a customer site gets a /48 (IPv6), of
# which each home network is a /64: a flood limit per /64 would be easy to dodge.
IPV4_PREFIX, IPV6_SITE_PREFIX, IPV6_HOME_PREFIX = 24, 48, 64


def client_ip(request: HttpRequest) -> str:
    """The client's address as our own proxies saw it.

    TRUSTED_CLIENT_IP_HEADER (e.g. "CF-Connecting-IP") wins when set. Otherwise, with
    TRUSTED_PROXY_COUNT = n, the n-th address from the right of X-Forwarded-For (each of
    our n proxies appends the address it was connected from; entries further left are
    whatever the client sent). With 0, the default, X-Forwarded-For is ignored: a peer
    with a private address is not proof of a proxy (docker-proxy and Kubernetes Services
    relay clients from private addresses without appending anything). An address that
    cannot be parsed falls back to the direct peer's."""
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.TRUSTED_CLIENT_IP_HEADER
    if header:
        return _valid(request.headers.get(header, "")) or remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies or not forwarded:
        return remote
    return _valid(forwarded[-min(proxies, len(forwarded))]) or remote


def network_of(
    ip: str, *, ipv6_prefix: int = IPV6_SITE_PREFIX, public_only: bool = False
) -> str | None:
    """The /24 (IPv4) or /`ipv6_prefix` (IPv6) around an address, as text; None for
    garbage, and with `public_only` for private and loopback addresses too."""
    address = _address(ip)
    if address is None or (public_only and not address.is_global):
        return None
    prefix = IPV4_PREFIX if address.version == 4 else ipv6_prefix
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _address(ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _valid(ip: str) -> str:
    address = _address(ip)
    return str(address) if address else ""
