"""The HTTP protocol ``herald serve`` runs: uvicorn's, with a deadline for the headers.

uvicorn closes an idle keep-alive connection, but a client that sends its headers a
byte at a time keeps its connection (and a slot of ``limit_concurrency``) for as long as
it likes. Here each request must finish its headers within ``header_timeout`` seconds
of the connection opening or of the previous answer's end; otherwise the connection is
closed (finding 13.8). The deadline is read once per process from
``HERALD_HEADER_TIMEOUT`` (``herald.config.ServerLimits``), so every worker uvicorn
starts uses the same one.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from herald.config import ServerLimits


@cache
def _header_timeout() -> float:
    return ServerLimits.from_environment().header_timeout


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` that closes a connection slow to send its headers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_headers_complete(self) -> None:
        self._disarm_header_deadline()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_header_deadline()  # the next request on this connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_deadline = self.loop.call_later(_header_timeout(), self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            self.transport.close()
