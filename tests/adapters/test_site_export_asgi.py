"""The export's in-process client gives an application the scope an HTTP client over
ASGI gives it (so the export writes what the site serves), and reads its answer."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from herald.adapters.site_export_asgi import InProcessClient, Message, Scope

PATHS = ["/bulletins/CTX696397", "/cve/CVE-2026-4397%20x", "/a b/ü", "/feeds/x.atom?page=2"]


class _Recorder:
    """An application that remembers each scope and answers in two body parts."""

    def __init__(self) -> None:
        self.scopes: list[dict[str, Any]] = []

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        self.scopes.append({k: v for k, v in scope.items() if k != "headers"})
        request: Message = await receive()
        assert request["type"] == "http.request" and request["body"] == b""
        headers = [(b"content-type", b"text/plain"), (b"Location", b"/x"), (b"vary", b"a")]
        headers.append((b"vary", b"b"))
        await send({"type": "http.response.start", "status": 308, "headers": headers})
        await send({"type": "http.response.body", "body": b"he", "more_body": True})
        await send({"type": "http.response.body", "body": b"llo"})


@pytest.mark.parametrize("base_url", ["https://bulletins.example.com", "http://host:8080/psirt"])
def test_the_scope_is_an_http_clients_and_the_answer_whole(base_url: str) -> None:
    async def both(path: str) -> tuple[dict[str, Any], dict[str, Any], httpx.Response]:
        app = _Recorder()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            expected = await client.get(path)
        answer = await InProcessClient(app, base_url).get(path)
        assert answer.status == expected.status_code == 308
        assert answer.is_redirect and expected.is_redirect
        assert answer.body == expected.content == b"hello"
        assert answer.headers["location"] == "/x"
        assert answer.headers["vary"] == expected.headers["vary"] == "a, b"
        return app.scopes[0], app.scopes[1], expected

    for path in PATHS:
        theirs, ours, _ = run_apart(both, path)
        assert ours == theirs, path


def run_apart(function: Any, *arguments: Any) -> Any:
    """``asyncio.run`` in a thread of its own, as the export does: the worker's thread may
    already run an event loop (the browser tests' Playwright keeps one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(function(*arguments))).result()
