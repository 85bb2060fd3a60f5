"""Pure ASGI middleware: security headers on every response, ``no-store`` on private
answers, and a cap on body size."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
"""What a page may load and run: nothing from elsewhere, no inline script, no plugin.
Every HTML page also carries it in a ``<meta http-equiv>`` (``base.html``), so a static
copy on a file server that sends no headers keeps it."""
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (
        b"content-security-policy",
        f"{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'".encode(),
    ),
)


def security_headers(*, hsts: bool) -> tuple[tuple[bytes, bytes], ...]:
    """``SECURITY_HEADERS``, with HSTS when the site is served over TLS."""
    return SECURITY_HEADERS + (
        ((b"strict-transport-security", b"max-age=31536000"),) if hsts else ()
    )


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` (and HSTS when served over TLS) to every response."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self._app = app
        self._headers = security_headers(hsts=hsts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self._headers if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self._app(scope, receive, send_with_headers)


PRIVATE_PREFIXES = ("/staff", "/alerts/", "/api/v1/webhooks")
"""Paths whose answers are for one person (staff pages, signed-link pages, a token
holder's webhooks): no browser or proxy may keep them."""
NO_STORE = (b"cache-control", b"no-store")


def is_private(path: str, headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the answer to this request is for its sender only: a private path, or any
    request that carries credentials (an ``Authorization`` header)."""
    return (
        path == "/staff"
        or path.startswith(PRIVATE_PREFIXES)
        or any(name == b"authorization" for name, _ in headers)
    )


class PrivateAnswers:
    """``Cache-Control: no-store`` (replacing any other) on every private answer, errors
    and redirects included (``is_private``)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_private(scope["path"], scope.get("headers", [])):
            await self._app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(n, v) for n, v in message.get("headers", []) if n != b"cache-control"]
                message["headers"] = [*kept, NO_STORE]
            await send(message)

        await self._app(scope, receive, send_no_store)


class BodyLimit:
    """Answers 413 to a request body larger than ``limit`` bytes, declared or streamed."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self._app = app
        self._limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self._limit:
                await _too_large(send, self._limit)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self._limit:
                    raise _TooLarge
            return message

        try:
            await self._app(scope, counted, send)
        except _TooLarge:
            await _too_large(send, self._limit)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"error": {{"status": 413, "message": "request body over {limit} bytes"}}}}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})
