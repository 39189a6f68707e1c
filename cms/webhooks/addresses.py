"""Where webhooks may be sent: ``https`` addresses on the public internet only.

A webhook URL is checked twice: when an administrator saves it (:func:`check_url`, a clear form
error) and at every delivery (:func:`resolve`), because a name's addresses can change. Delivery
then connects to exactly the address that was checked (cms.webhooks.delivery pins it), so a name
that resolves differently a moment later (DNS rebinding) cannot send a request inside the network.

Refused: other schemes than https, user names or passwords in the URL, and any name that resolves
to an address that is not globally routable (loopback, private, link-local — including the cloud
metadata address 169.254.169.254 —, shared, multicast, reserved, unspecified). For development and
tests, ``BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP`` admits ``http://127.0.0.1:<port>`` and
``http://localhost:<port>`` (and only loopback addresses over plain http).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


class UnsafeWebhookURL(ValueError):
    """A URL webhooks must not be sent to; the message says why, for an administrator."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name as written (Host header, TLS server name)
    port: int
    path: str  # path and query
    address: str  # the checked IP address to connect to


def _loopback_http_allowed() -> bool:
    return bool(getattr(settings, "BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP", False))


def _split(url: str):
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise UnsafeWebhookURL(f"Not a valid URL: {error}.") from None
    if parts.username or parts.password:
        raise UnsafeWebhookURL("A webhook URL must not contain a user name or password.")
    if not parts.hostname:
        raise UnsafeWebhookURL("A webhook URL needs a host name.")
    host = parts.hostname.lower()
    plain_loopback = parts.scheme == "http" and _loopback_http_allowed() and host in LOOPBACK_NAMES
    if parts.scheme != "https" and not plain_loopback:
        raise UnsafeWebhookURL("A webhook URL must start with https://.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path


def _allowed_address(address: str, *, scheme: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return scheme == "http" and _loopback_http_allowed()
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> Target:
    """The URL's target, with an address checked to be allowed; raises :class:`UnsafeWebhookURL`."""
    scheme, host, port, path = _split(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeWebhookURL(f"The host name {host} cannot be resolved ({error}).") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    refused = [address for address in addresses if not _allowed_address(address, scheme=scheme)]
    if refused or not addresses:
        raise UnsafeWebhookURL(
            f"{host} resolves to {', '.join(refused) or 'nothing'}: webhooks are only sent to "
            "addresses on the public internet (not loopback, private or link-local)."
        )
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])


def check_url(url: str) -> str:
    """The URL, stripped, if webhooks may be sent there now; raises :class:`UnsafeWebhookURL`."""
    resolve(url)
    return url.strip()
