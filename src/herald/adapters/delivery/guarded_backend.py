"""The webhook sender's network backend: connect only to an address the guard let through.

httpcore asks its network backend for a TCP connection to the URL's host name. This
backend looks the name up once, through the target guard (its resolver and its rules),
and connects to one of the addresses of that very answer, never to a second lookup's.
A name that passed the send-time check and then answers an internal address (DNS
rebinding) is refused here, as a connection error.

Only the TCP connection goes to the IP address: httpcore still starts TLS with the host
name (SNI, and the certificate is verified against the name), and the request keeps its
``Host`` header, since the URL is never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpcore

from herald.adapters.delivery.targets import WebhookTargetGuard
from herald.domain.errors import ValidationError


class GuardedNetworkBackend(httpcore.NetworkBackend):
    """``httpcore.NetworkBackend``: TCP to vetted addresses only; no Unix sockets."""

    def __init__(
        self, guard: WebhookTargetGuard, backend: httpcore.NetworkBackend | None = None
    ) -> None:
        self._guard = guard
        self._backend = backend or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._guard.addresses(host, port)
        except ValidationError as error:
            raise httpcore.ConnectError(f"not connected: {error}") from error
        *others, last = addresses  # the guard never returns an empty list
        for address in others:  # in the resolver's order, as socket.create_connection does
            try:
                return self._backend.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue  # the next address; the last one's error is the one raised
        return self._backend.connect_tcp(last, port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("webhooks are sent over TCP only")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)
