"""Webhook targets: refuse URLs that reach loopback, private or other internal addresses.

Checked when a webhook is stored and again before every send (DNS may change), for an
early, clear refusal. The webhook sender's network backend (``guarded_backend.py``) checks
once more, at connection time, the very lookup whose addresses it connects to: a name
that answers a public address to the first check and an internal one afterwards (DNS
rebinding) is never connected to.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from herald.domain.errors import ValidationError
from herald.services.webhooks import RefusedAddress

Resolver = Callable[[str, int], Sequence[str]]
"""Host and port to IP address strings."""

_BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "198.18.0.0/15",
        "64:ff9b::/96",
        "2002::/16",
        "2001::/32",
    )
)


def system_resolver(host: str, port: int) -> Sequence[str]:
    """The system's answer, in its order of preference, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_refused(address: str) -> str | None:
    """Why a connection to this IP address is refused, or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
        (any(ip in net for net in _BLOCKED_NETWORKS), "internal"),
    )
    for hit, reason in checks:
        if hit:
            return f"{reason} address {ip}"
    return None


class WebhookTargetGuard:
    """``TargetGuard``: https only (http too when private targets are allowed), no
    credentials in the URL, and no internal address unless ``allow_private``."""

    def __init__(self, *, allow_private: bool, resolver: Resolver = system_resolver) -> None:
        self.allow_private = allow_private
        self._resolver = resolver

    def check(self, url: str) -> None:
        self.resolve(url)

    def resolve(self, url: str) -> list[str]:
        """The addresses the URL may be reached at; ``ValidationError`` when refused."""
        try:
            parts = urlsplit(url)
        except ValueError:  # e.g. an unclosed IPv6 bracket
            raise ValidationError("url", "is not a valid URL") from None
        schemes = ("https", "http") if self.allow_private else ("https",)
        if parts.scheme not in schemes:
            raise ValidationError("url", f"use {' or '.join(schemes)}:// for webhooks")
        if parts.username or parts.password:
            raise ValidationError("url", "must not carry a user name or password")
        host = parts.hostname
        if not host:
            raise ValidationError("url", "names no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise ValidationError("url", "has an invalid port") from None
        return self.addresses(host, port)

    def addresses(self, host: str, port: int) -> list[str]:
        """One lookup of ``host``: its addresses, in the resolver's order, when every one
        of them may be connected to; ``ValidationError`` (field ``url``) otherwise."""
        try:
            addresses = list(self._resolver(host, port))
        except OSError as error:
            raise RefusedAddress("url", f"cannot resolve {host} ({error})") from error
        except UnicodeError:  # IDNA refuses the name (an empty or over-long label...)
            raise ValidationError("url", f"{host!r} is not a valid host name") from None
        if not addresses:
            raise RefusedAddress("url", f"{host} has no address")
        if not self.allow_private:
            for address in addresses:
                reason = address_refused(address)
                if reason is not None:
                    raise RefusedAddress("url", f"{host} resolves to a {reason}")
        return addresses
