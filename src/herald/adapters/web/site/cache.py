"""Rendered public pages, kept in memory by (site generation, path and query).

The site generation grows with every change that may alter a public surface, and
reading it releases any embargo that is due (``PublicationService.generation``), so
a page cached at one generation can never be early: a new generation simply misses.
A server process reuses a generation it read for up to 0.5 s (``EmbargoKeeper``: not
past an embargo's instant, not after its own commits), so a change made by another
process shows within that bound, and a cached request usually costs no I/O at all.

Validators: the ``ETag`` is a hash of the page itself (its status, media type and
bytes), so a page that a change elsewhere did not alter keeps its tag, and the tag
says nothing about changes that are not public yet (scheduling an embargoed
bulletin moves the generation but no public byte). ``Last-Modified`` is the newest
change the page shows. ``If-None-Match`` is answered with 304.

Concurrent requests share generation reads (``site_generation``); a cached page is
answered on the event loop, only a miss renders in a worker thread.

``CachedPages`` answers a GET or HEAD of a page already cached at the current
generation before FastAPI sees the request (no routing, no dependency injection, no
``Request``): the same status line, headers and bytes as ``respond`` sends, since both
come from ``_response``. Everything else, misses included, goes on to the app. The
public API keeps its answers here too (``keep``, with ``http_cache``'s validators).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from herald.adapters.web.http_cache import Prepared, Wire
from herald.adapters.web.site.generation import GenerationReader, reader_of

CAPACITY = 2_000
"""The most pages kept per process (least recently used go first)."""
MAX_KEY_LENGTH = 1_024
"""Longer paths and queries are answered but not kept."""
CACHE_CONTROL = "public, no-cache"
"""Clients and CDNs may store a page but must revalidate it (cheap: a 304)."""


@dataclass(frozen=True)
class Page:
    """A rendered response, ready to send again."""

    body: bytes
    media_type: str
    status: int = 200
    last_modified: datetime | None = None
    """The newest change the page shows (UTC), when known."""
    location: str | None = None
    """Where a redirect points."""
    etag: str = field(init=False)
    wire: tuple[Wire, Wire | None] = field(init=False, repr=False, compare=False)
    """The response start as sent (status, raw headers): in full, and as a 304 (200 only)."""

    def __post_init__(self) -> None:
        digest = hashlib.blake2b(digest_size=12)
        for part in (str(self.status).encode(), self.media_type.encode(), self.body):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        object.__setattr__(self, "etag", f'"{digest.hexdigest()}"')
        full = Wire.of(_response(self, not_modified=False))
        short = Wire.of(_response(self, not_modified=True)) if self.status == 200 else None
        object.__setattr__(self, "wire", (full, short))

    def answer(
        self, if_none_match: str | None, if_modified_since: str | None
    ) -> tuple[Wire, bytes]:
        """The start and body ``respond`` sends for a request with these header values."""
        del if_modified_since  # the tag decides (docs/site.md)
        full, short = self.wire
        if short is not None and _matches(if_none_match, self.etag):
            return short, b""
        return full, self.body

    @classmethod
    def text(cls, text: str, media_type: str, last_modified: datetime | None = None) -> Page:
        return cls(text.encode("utf-8"), media_type, last_modified=last_modified)

    @classmethod
    def redirect(cls, location: str, status: int = 303) -> Page:
        return cls(b"", "text/plain; charset=utf-8", status=status, location=location)


Kept = Page | Prepared
"""What the cache holds: a page of the site, or an API answer (``http_cache.prepare``)."""


class PageCache:
    """A bounded LRU of pages for the newest generation seen; thread-safe."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._pages: OrderedDict[str, Kept] = OrderedDict()
        self._generation: int | None = None
        self._lock = threading.Lock()
        self._flights: dict[str, tuple[threading.Lock, list[int]]] = {}

    def get(self, generation: int, key: str) -> Kept | None:
        with self._lock:
            if generation != self._generation:
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, generation: int, key: str, page: Kept) -> None:
        """Keep ``page``; a newer generation empties the cache, an older one is ignored."""
        if len(key) > MAX_KEY_LENGTH:
            return
        with self._lock:
            if self._generation is None or generation > self._generation:
                self._pages.clear()
                self._generation = generation
            elif generation < self._generation:
                return
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self._capacity:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)

    def __contains__(self, key: str) -> bool:
        """Whether ``key`` is kept at any generation (a hint: ``get`` decides)."""
        return key in self._pages

    @contextmanager
    def single_flight(self, key: str) -> Iterator[None]:
        """One render per key at a time: the others wait, then find it cached."""
        with self._lock:
            flight = self._flights.get(key)
            if flight is None:
                flight = self._flights[key] = (threading.Lock(), [0])
            flight[1][0] += 1
        try:
            with flight[0]:
                yield
        finally:
            with self._lock:
                flight[1][0] -= 1
                if not flight[1][0]:
                    del self._flights[key]


_CREATING = threading.Lock()


def cache_of(app: FastAPI) -> PageCache:
    """The app's page cache (one per application, made on first use)."""
    cache: PageCache | None = getattr(app.state, "site_cache", None)
    if cache is None:
        with _CREATING:
            cache = getattr(app.state, "site_cache", None)
            if cache is None:
                cache = PageCache()
                app.state.site_cache = cache
    return cache


async def cached(request: Request, render: Callable[[int], Page]) -> Response:
    """The page for this request: from the cache, or rendered (in a worker thread) and kept.

    ``render`` gets the generation to render at. A cached page costs one shared
    generation read (``site_generation``) and no worker thread. Concurrent misses of
    one page render it once (the rest wait for it). Errors ``render`` raises go to the
    app's error handlers and are not kept.
    """
    generation = await reader_of(request.app).current()
    cache = cache_of(request.app)
    key = key_of(request.scope)
    page = cache.get(generation, key)
    if not isinstance(page, Page):
        page = await run_in_threadpool(_render_once, cache, generation, key, render)
    return respond(request, page)


def keep(request: Request, generation: int, answer: Prepared) -> Response:
    """Keep an API answer made at ``generation`` (read before its data) for this URL;
    ``answer`` as the response to ``request``. ``CachedPages`` sends it next time."""
    cache_of(request.app).put(generation, key_of(request.scope), answer)
    return answer.response(request)


def key_of(scope: Scope) -> str:
    """The cache key of a request: its path and query string."""
    return f"{scope['path']}?{scope.get('query_string', b'').decode('latin-1')}"


def _render_once(
    cache: PageCache, generation: int, key: str, render: Callable[[int], Page]
) -> Page:
    with cache.single_flight(key):
        page = cache.get(generation, key)
        if not isinstance(page, Page):
            page = render(generation)
            cache.put(generation, key, page)
        return page


def respond(request: Request, page: Page) -> Response:
    """``page`` as a response, or 304 when the client already holds it."""
    not_modified = page.status == 200 and _matches(request.headers.get("if-none-match"), page.etag)
    return _response(page, not_modified=not_modified)


def _response(page: Page, *, not_modified: bool) -> Response:
    headers = {"Cache-Control": CACHE_CONTROL}
    if page.location is not None:
        headers["Location"] = page.location
    if page.status == 200:
        headers["ETag"] = page.etag
        if page.last_modified is not None:
            headers["Last-Modified"] = http_date(page.last_modified)
        if not_modified:
            return Response(status_code=304, headers=headers)
    return Response(page.body, status_code=page.status, media_type=page.media_type, headers=headers)


_BODY_HEADERS = frozenset({b"content-length", b"transfer-encoding"})


class CachedPages:
    """Pure ASGI front: a cached page's GET or HEAD answered without entering FastAPI.

    It sits in front of the whole application, Starlette's own middleware included
    (``app.HeraldApp``), so it adds ``extra_headers`` itself: the same security headers
    ``SecurityHeaders`` adds to every other response. A request goes on to the app
    when it is not a GET or HEAD, announces a body (the body limit decides), carries
    the session cookie (staff: their session is loaded, and may change), names a key the
    cache does not hold at the current generation, or when reading the generation
    fails (the app then answers with its own error page).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        site: FastAPI,
        session_cookie: str,
        extra_headers: tuple[tuple[bytes, bytes], ...] = (),
    ) -> None:
        self._app = app
        self._site = site
        self._cookie = f"{session_cookie}=".encode("latin-1")
        self._extra = extra_headers
        self._parts: tuple[PageCache, GenerationReader] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self._app(scope, receive, send)
            return
        if_none_match: str | None = None
        if_modified_since: str | None = None
        for name, value in scope["headers"]:
            if name == b"if-none-match" and if_none_match is None:
                if_none_match = value.decode("latin-1")
            elif name == b"if-modified-since" and if_modified_since is None:
                if_modified_since = value.decode("latin-1")
            elif (name == b"cookie" and self._cookie in value) or name in _BODY_HEADERS:
                await self._app(scope, receive, send)
                return
        if self._parts is None:
            self._parts = cache_of(self._site), reader_of(self._site)
        cache, reader = self._parts
        key = f"{scope['path']}?{scope['query_string'].decode('latin-1')}"  # key_of, inlined
        page = None
        if key in cache:
            generation = reader.known()
            if generation is None:
                try:
                    generation = await reader.current()
                except Exception:  # the app reads again and maps the error to its page
                    generation = None
            if generation is not None:
                page = cache.get(generation, key)
        if page is None:
            await self._app(scope, receive, send)
            return
        wire, body = page.answer(if_none_match, if_modified_since)
        await send(
            {
                "type": "http.response.start",
                "status": wire.status,
                "headers": wire.headers + self._extra,
            }
        )
        await send({"type": "http.response.body", "body": body})


def http_date(instant: datetime) -> str:
    """``Tue, 24 Mar 2026 16:00:00 GMT``."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return format_datetime(instant.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
