"""The crawl of the export: the app's answers from the entry points over every same-site
link, fetched ``CONCURRENCY`` at a time, each written as soon as it arrives.

The public bulletins are listed first (one light query); after the entry points,
pages of no bulletin (lists, CVE pages, products, feeds) are fetched first, then the
URLs of one window of bulletins (the page, its renderings, its API answer) together,
right after the publication service read that window at once, so that it answers them
from memory instead of reading a bulletin again for each URL. The CSAF distribution's
files come last: its build (every document signed, the first time) runs from the entry
point on, beside the rest of the crawl.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI

from herald.adapters.site_export.files import StagingFolder, redirect_page
from herald.adapters.site_export.links import links_in, same_site_path
from herald.adapters.site_export_asgi import InProcessClient
from herald.services.ports.bulletins import MAX_HEADLINES, BulletinQuery
from herald.services.publication import KEPT_BULLETINS, PublicationService

NOT_EXPORTED = ("/api/v1/openapi.json", "/staff", "/healthz", "/alerts")
"""Live-only path prefixes (the API description, the staff side, alert subscriptions)
never written."""
NOT_EXPORTED_PAGES = frozenset({"/api/"})
"""Live-only pages (the API index, which describes the live API)."""
CONCURRENCY = 8
"""Requests in flight during the crawl."""
WINDOW = KEPT_BULLETINS // 4
"""Bulletins read at once; the publication service keeps a few windows in memory."""
_BULLETIN_URL = re.compile(r"/bulletins/([A-Za-z0-9][A-Za-z0-9_-]*)(?:\.[a-z.]+)?")
_API_BULLETIN_URL = re.compile(r"/api/v1/bulletins/([A-Za-z0-9][A-Za-z0-9_-]*)")
_DISTRIBUTION = "/.well-known/csaf/"
_FIRST, _LAST = -2, 1 << 62
"""Ranks of the entry points and of the CSAF distribution's files in the crawl."""


@dataclass
class _Windows:
    """The public bulletins in windows of ``WINDOW`` (in the list's order), and which
    windows the publication service was asked for."""

    publication: PublicationService
    window_of: dict[str, int]
    """The window of each public bulletin's article id."""
    read: set[int] = field(default_factory=set)
    reading: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    async def listed(cls, publication: PublicationService) -> _Windows:
        query = BulletinQuery(limit=MAX_HEADLINES)
        headlines = await asyncio.to_thread(publication.headlines, query)
        return cls(publication, {h.article_id: i // WINDOW for i, h in enumerate(headlines)})

    @property
    def count(self) -> int:
        return -(-len(self.window_of) // WINDOW)

    def rank(self, path: str) -> int:
        """The window of the bulletin ``path`` belongs to (after all the windows for an
        unknown one); -1 for a path of no bulletin, which goes first."""
        match = _BULLETIN_URL.fullmatch(path) or _API_BULLETIN_URL.fullmatch(path)
        if match is None:
            return -1
        return self.window_of.get(match.group(1), self.count)

    async def prepare(self, rank: int) -> None:
        """Have window ``rank`` read in one query (once), before its URLs are fetched."""
        if rank < 0 or rank >= self.count or rank in self.read:
            return
        async with self.reading:
            if rank not in self.read:
                query = BulletinQuery(limit=WINDOW, offset=rank * WINDOW)
                await asyncio.to_thread(self.publication.bulletins, query)
                self.read.add(rank)


@dataclass
class Crawl:
    """One crawl of the app: what it wrote, what it could not, and what is still to fetch."""

    base_url: str
    staging: StagingFolder
    windows: _Windows
    missing: dict[str, int] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    queue: asyncio.PriorityQueue[tuple[int, int, str]] = field(
        default_factory=asyncio.PriorityQueue
    )
    """(window, order found, path) of the paths to fetch."""
    found: Iterator[int] = field(default_factory=itertools.count)


async def crawl_site(app: FastAPI, base_url: str, entries: tuple[str, ...], staging: Path) -> Crawl:
    """Fetch everything the entry points lead to, writing each file into ``staging``."""
    windows = await _Windows.listed(app.state.herald.publication)
    crawl = Crawl(base_url, StagingFolder(staging), windows)
    for entry in entries:
        _enqueue(crawl, entry, first=True)
    client = InProcessClient(app, base_url)
    workers = [asyncio.create_task(_worker(client, crawl)) for _ in range(CONCURRENCY)]
    done = asyncio.create_task(crawl.queue.join())
    try:
        # A worker ends only by an error of the export (raised here); else all is fetched.
        await asyncio.wait([done, *workers], return_when=asyncio.FIRST_COMPLETED)
        for worker in workers:
            if worker.done():
                worker.result()
    finally:
        for task in (done, *workers):
            task.cancel()
        await asyncio.gather(done, *workers, return_exceptions=True)
    not_found = await client.get("/404")
    crawl.staging.write("404.html", not_found.body)
    return crawl


async def _worker(client: InProcessClient, crawl: Crawl) -> None:
    while True:
        rank, _, path = await crawl.queue.get()
        try:
            await crawl.windows.prepare(rank)
            await _fetch(client, crawl, path)
        finally:
            crawl.queue.task_done()


async def _fetch(client: InProcessClient, crawl: Crawl, path: str) -> None:
    response = await client.get(path)
    media_type = response.headers.get("content-type", "application/octet-stream")
    page_url = f"{crawl.base_url}{path}"
    if response.is_redirect:
        target = same_site_path(response.headers.get("location", ""), page_url, crawl.base_url)
        if target is None:
            return
        crawl.staging.store(path, "text/html", redirect_page(target))
        _enqueue(crawl, target)
        return
    if response.status != 200:
        crawl.missing[path] = response.status
        return
    crawl.staging.store(path, media_type, response.body)
    for link in links_in(response.body, media_type, page_url, crawl.base_url):
        _enqueue(crawl, link)


def _enqueue(crawl: Crawl, path: str, *, first: bool = False) -> None:
    if "?" in path:
        crawl.skipped.add(path)
        return
    if path in crawl.seen or path in NOT_EXPORTED_PAGES or path.startswith(NOT_EXPORTED):
        return
    crawl.seen.add(path)
    crawl.queue.put_nowait((_rank(crawl, path, first), next(crawl.found), path))


def _rank(crawl: Crawl, path: str, first: bool) -> int:
    """Entry points first (the CSAF provider metadata starts the distribution's build,
    signatures included, while the rest is fetched), the distribution's other files
    last (they wait for that build), the rest by bulletin window."""
    if first:
        return _FIRST
    if path.startswith(_DISTRIBUTION):
        return _LAST
    return crawl.windows.rank(path)
