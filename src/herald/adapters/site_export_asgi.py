"""GET requests straight to an ASGI application, in-process, for the static export.

One request is one call of the application with the scope a client over HTTP/1.1
would give it (the same scope ``httpx.ASGITransport`` builds, minus the client's
machinery of redirects, cookies, events and response models), and the answer is the
status, headers and body it sends. An exception of the application is logged and
answered 500, as a server would.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import httpx

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
AsgiApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]

log = logging.getLogger("herald.export")

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HEADERS = (
    (b"accept", b"*/*"),
    (b"accept-encoding", b"gzip, deflate"),
    (b"connection", b"keep-alive"),
    (b"user-agent", b"herald-export-site"),
)


@dataclass(frozen=True)
class Answer:
    """What the application sent for one request."""

    status: int
    headers: dict[str, str]
    """Header names in lower case; repeated headers joined with ``", "``."""
    body: bytes

    @property
    def is_redirect(self) -> bool:
        return self.status in _REDIRECTS and "location" in self.headers


class InProcessClient:
    """Sends GET requests for paths of ``base_url`` to ``app``."""

    def __init__(self, app: AsgiApp, base_url: str) -> None:
        self._app = app
        self._base = httpx.URL(base_url)
        raw = self._base.raw_path
        self._prefix = raw if raw.endswith(b"/") else raw + b"/"
        self._headers = [(b"host", self._base.netloc), *_HEADERS]

    async def get(self, path: str) -> Answer:
        """The answer to ``GET path`` (relative to the base URL's path, as a client's)."""
        relative = httpx.URL(path)
        url = self._base.copy_with(raw_path=self._prefix + relative.raw_path.lstrip(b"/"))
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "headers": list(self._headers),
            "scheme": url.scheme,
            "path": url.path,
            "raw_path": url.raw_path.split(b"?")[0],
            "query_string": url.query,
            "server": (url.host, url.port),
            "client": ("127.0.0.1", 123),
            "root_path": "",
        }
        exchange = _Exchange()
        try:
            await self._app(scope, exchange.receive, exchange.send)
        except Exception:
            # What a server does: log it and answer 500 (Starlette sent one already).
            log.exception("GET %s failed", path)
            if exchange.status is None:
                return Answer(500, {}, b"")
        if exchange.status is None or not exchange.done.is_set():
            raise RuntimeError(f"{path}: the application sent no complete response")
        return Answer(exchange.status, exchange.headers, b"".join(exchange.body))


class _Exchange:
    """The two ASGI channels of one request without a body."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.done = asyncio.Event()
        self._received = False

    async def receive(self) -> Message:
        if self._received:
            await self.done.wait()
            return {"type": "http.disconnect"}
        self._received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            for name, value in message.get("headers", []):
                key, text = name.decode("latin-1").lower(), value.decode("latin-1")
                self.headers[key] = f"{self.headers[key]}, {text}" if key in self.headers else text
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            if body:
                self.body.append(body)
            if not message.get("more_body", False):
                self.done.set()
