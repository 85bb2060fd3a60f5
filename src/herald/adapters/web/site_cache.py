"""Rendered public pages, kept in memory by (site generation, path and query).

The site generation grows with every change that may alter a public surface, and
reading it releases any embargo that is due (``PublicationService.generation``), so
a page cached at one generation can never be stale or early: a new generation
simply misses. A cached request costs one generation read and a dictionary look-up.

Validators: the ``ETag`` is a hash of the page itself (its status, media type and
bytes), so a page that a change elsewhere did not alter keeps its tag, and the tag
says nothing about changes that are not public yet (scheduling an embargoed
bulletin moves the generation but no public byte). ``Last-Modified`` is the newest
change the page shows. ``If-None-Match`` is answered with 304.

Concurrent requests share generation reads (``site_generation``); a cached page is
answered on the event loop, only a miss renders in a worker thread.
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

from herald.adapters.web.site_generation import reader_of

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

    def __post_init__(self) -> None:
        digest = hashlib.blake2b(digest_size=12)
        for part in (str(self.status).encode(), self.media_type.encode(), self.body):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        object.__setattr__(self, "etag", f'"{digest.hexdigest()}"')

    @classmethod
    def text(cls, text: str, media_type: str, last_modified: datetime | None = None) -> Page:
        return cls(text.encode("utf-8"), media_type, last_modified=last_modified)

    @classmethod
    def redirect(cls, location: str, status: int = 303) -> Page:
        return cls(b"", "text/plain; charset=utf-8", status=status, location=location)


class PageCache:
    """A bounded LRU of pages for the newest generation seen; thread-safe."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._pages: OrderedDict[str, Page] = OrderedDict()
        self._generation: int | None = None
        self._lock = threading.Lock()
        self._flights: dict[str, tuple[threading.Lock, list[int]]] = {}

    def get(self, generation: int, key: str) -> Page | None:
        with self._lock:
            if generation != self._generation:
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, generation: int, key: str, page: Page) -> None:
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
    query = request.scope.get("query_string", b"").decode("latin-1")
    key = f"{request.scope['path']}?{query}"
    page = cache.get(generation, key)
    if page is None:
        page = await run_in_threadpool(_render_once, cache, generation, key, render)
    return respond(request, page)


def _render_once(
    cache: PageCache, generation: int, key: str, render: Callable[[int], Page]
) -> Page:
    with cache.single_flight(key):
        page = cache.get(generation, key)
        if page is None:
            page = render(generation)
            cache.put(generation, key, page)
        return page


def respond(request: Request, page: Page) -> Response:
    """``page`` as a response, or 304 when the client already holds it."""
    headers = {"Cache-Control": CACHE_CONTROL}
    if page.location is not None:
        headers["Location"] = page.location
    if page.status == 200:
        headers["ETag"] = page.etag
        if page.last_modified is not None:
            headers["Last-Modified"] = http_date(page.last_modified)
        if _matches(request.headers.get("if-none-match"), page.etag):
            return Response(status_code=304, headers=headers)
    return Response(page.body, status_code=page.status, media_type=page.media_type, headers=headers)


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
