"""Where a webhook may go. HTTPS only (plain http with WEBHOOKS_ALLOW_HTTP, for
development), and only to public internet addresses unless
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: whoever may register an endpoint must not be able to
make the server call its own network (SSRF), such as the database, Redis or a cloud's
metadata service.

The address is checked when an endpoint is saved and again on every attempt, and the
attempt connects to exactly the address it checked (the name is not resolved a second
time by the HTTP client), so a name that resolves to a public address when saved and to
a private one later (DNS rebinding) is refused."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class Refused(Exception):
    """The URL may not be called; the message says why (translatable)."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    url: str  # the URL with the checked address as its host
    host: str  # the Host header (and TLS server name) the URL had
    server_name: str | None  # for TLS: the name the certificate must be for


# IPv6 ranges that carry an IPv4 address (IPv4-compatible, SIIT, NAT64, 6to4): where
# they are routed they reach that IPv4 address, which may be private. Never a webhook.
EMBEDDING_IPV4 = tuple(
    ipaddress.ip_network(net)
    for net in ("::/96", "::ffff:0:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16")
)


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            address = address.ipv4_mapped
        elif any(address in net for net in EMBEDDING_IPV4):
            return False
    return address.is_global and not address.is_multicast


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _addresses(host: str, port: int) -> list[str]:
    literal = _literal(host)
    if literal is not None:
        return [str(literal)]
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):  # socket.gaierror is an OSError
        raise Refused(_("The host name %(host)s could not be found.") % {"host": host}) from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def _checked(host: str, port: int) -> list[str]:
    """The host's addresses, all public unless private ones are allowed."""
    addresses = _addresses(host, port)
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not _public(ipaddress.ip_address(address)):
                raise Refused(
                    _(
                        "%(host)s leads to a private or local address (%(address)s): webhooks "
                        "go only to public internet addresses."
                    )
                    % {"host": host, "address": address}
                )
    return addresses


def _parts(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL a webhook may use; Refused otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused(_("Enter a valid URL.")) from None
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and settings.WEBHOOKS_ALLOW_HTTP):
        raise Refused(_("The URL must start with https://."))
    if parts.username is not None or parts.password is not None:
        raise Refused(
            _("Leave the user name and password out of the URL: the signature shows it is us.")
        )
    if not parts.hostname:
        raise Refused(_("Enter a valid URL."))
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def url_check(url: str) -> None:
    """Raises Refused for a URL an endpoint may not have. Without private addresses
    allowed, it resolves the name: the form says at once when it leads inside."""
    _scheme, host, port = _parts(url)
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        _checked(host, port)


def target(url: str) -> Target:
    """What an attempt connects to: the first checked address of the URL's host."""
    _scheme, host, port = _parts(url)
    try:
        original = httpx.URL(url)
    except httpx.InvalidURL:
        raise Refused(_("Enter a valid URL.")) from None
    address = _checked(host, port)[0]
    return Target(
        url=str(original.copy_with(host=address)),
        host=original.netloc.decode("ascii"),
        server_name=None if _literal(host) else host,
    )
