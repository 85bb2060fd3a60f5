"""The static export: the whole public site as files a plain file server or CDN serves.

The web app is crawled in-process (straight ASGI calls, no network) from its entry points
over every same-site link found in HTML, XML, JSON and text bodies. Each response is
written where a file server maps its URL back:

- ``/`` → ``index.html``; ``/bulletins/CTX696397`` → ``bulletins/CTX696397/index.html``;
- a path whose last part has a known suffix (``.json``, ``.txt``, ``.md``, ``.xml``,
  ``.atom``, ``.rss``, ``.css``...) is written as it is;
- any other path is a folder holding ``index.<ext>`` for its media type, e.g.
  ``/api/v1/bulletins`` → ``api/v1/bulletins/index.json`` (the server must try
  ``index.json`` as well as ``index.html``);
- a same-site redirect (``/cve/...`` naming one bulletin) becomes a small HTML page
  that refreshes to its target.

URLs with a query string (search, filters, API cursors) cannot be files and are not
exported; the site's own page links never need one. Every file is written, as soon as
it is fetched, into a fresh folder beside the destination, which replaces it once
complete, so a half-written export is never served and memory holds only the pages in
flight. ``docs/site.md`` describes how to serve it.

The crawl reads bulletins in windows: the public bulletins are listed first (one light
query); after the entry points, pages of no bulletin (lists, CVE pages, products,
feeds) are fetched first, then the URLs of one window of bulletins (the page, its
renderings, its API answer) together, right after the publication service read that
window at once, so that it answers them from memory instead of reading a bulletin again
for each URL. The CSAF distribution's files come last: its build (every document
signed, the first time) runs from the entry point on, beside the rest of the crawl.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Coroutine, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from fastapi import FastAPI

from herald.adapters.formats.machine import MACHINE_FORMATS
from herald.adapters.site_export_asgi import InProcessClient
from herald.adapters.web.site.routes import for_static_export
from herald.services.ports.bulletins import MAX_HEADLINES, BulletinQuery
from herald.services.publication import KEPT_BULLETINS, PublicationService

ENTRY_POINTS = (
    "/",
    "/sitemap.xml",
    "/robots.txt",
    "/products/",
    "/feeds/bulletins.atom",
    "/feeds/bulletins.rss",
    "/api/v1/bulletins",
    "/api/v1/products",
    "/static/herald.css",
    "/.well-known/security.txt",
    "/.well-known/csaf/provider-metadata.json",
    "/.well-known/csaf/index.txt",
    "/.well-known/csaf/changes.csv",
)
"""Where the crawl starts; everything else is found through links."""
NOT_EXPORTED = ("/api/v1/openapi.json", "/staff", "/healthz", "/alerts")
"""Live-only path prefixes (the API description, the staff side, alert subscriptions)
never written."""
NOT_EXPORTED_PAGES = frozenset({"/api/"})
"""Live-only pages (the API index, which describes the live API)."""
SUFFIXES = frozenset(
    {".json", ".txt", ".md", ".xml", ".atom", ".rss", ".css", ".js", ".html", ".svg", ".png"}
    | {".ico", ".woff2", ".pdf"}
    | {".csv", ".asc", ".sha256", ".sha512"}  # the CSAF distribution (docs/csaf-provider.md)
    | {PurePosixPath(f"x{fmt.suffix}").suffix for fmt in MACHINE_FORMATS}  # .csaf.json -> .json
)
"""Suffixes a file server recognises: such paths are written as they are."""
_INDEX_SUFFIX = {
    "text/html": ".html",
    "application/json": ".json",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "application/atom+xml": ".xml",
    "application/rss+xml": ".xml",
    "text/plain": ".txt",
    "text/markdown": ".md",
}
_ABSOLUTE_URL = re.compile(r"https?://[^\s<>\"'`)]+")
_ATTRIBUTE_URL = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
CONCURRENCY = 8
"""Requests in flight during the crawl."""
WINDOW = KEPT_BULLETINS // 4
"""Bulletins read at once; the publication service keeps a few windows in memory."""
_BULLETIN_URL = re.compile(r"/bulletins/([A-Za-z0-9][A-Za-z0-9_-]*)(?:\.[a-z.]+)?")
_API_BULLETIN_URL = re.compile(r"/api/v1/bulletins/([A-Za-z0-9][A-Za-z0-9_-]*)")
_DISTRIBUTION = "/.well-known/csaf/"
_FIRST, _LAST = -2, 1 << 62
"""Ranks of the entry points and of the CSAF distribution's files in the crawl."""
ATTEMPTS = 3
"""Exports tried until the site did not change while one ran."""


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote and what it could not."""

    destination: Path
    files: tuple[str, ...]
    """Files written, relative to the destination."""
    missing: tuple[str, ...]
    """Linked paths the site answered with an error (4xx or 5xx), with their status."""
    skipped: tuple[str, ...] = ()
    """Linked URLs with a query string (not exportable)."""
    consistent: bool = True
    """False when the site kept changing while it was exported."""


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
class _Crawl:
    base_url: str
    staging: Path
    """The folder each file is written into as soon as it is fetched."""
    windows: _Windows
    files: set[str] = field(default_factory=set)
    missing: dict[str, int] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    folders: set[Path] = field(default_factory=set)
    """Folders made in the staging folder."""
    queue: asyncio.PriorityQueue[tuple[int, int, str]] = field(
        default_factory=asyncio.PriorityQueue
    )
    """(window, order found, path) of the paths to fetch."""
    found: Iterator[int] = field(default_factory=itertools.count)


def export_site(
    app: FastAPI,
    destination: Path,
    base_url: str,
    *,
    generation: Callable[[], int] | None = None,
    entry_points: Iterable[str] = ENTRY_POINTS,
) -> ExportReport:
    """Write the public site of ``app`` to ``destination`` (replacing what is there).

    ``generation`` (the site generation) lets the export try again when a change or a
    lifted embargo landed while it ran, so the files agree with each other.
    """
    for_static_export(app)
    entries = tuple(entry_points)
    parent = destination.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    consistent = False
    for attempt in range(ATTEMPTS):
        before = generation() if generation else None
        staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=parent))
        try:
            crawl = _on_own_loop(_crawl(app, base_url.rstrip("/"), entries, staging))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if generation is None or generation() == before:
            consistent = True
        if consistent or attempt == ATTEMPTS - 1:
            break
        shutil.rmtree(staging, ignore_errors=True)  # the site changed meanwhile: again
    _swap_in(destination, crawl.staging)
    return ExportReport(
        destination=destination,
        files=tuple(sorted(crawl.files)),
        missing=tuple(f"{path} ({status})" for path, status in sorted(crawl.missing.items())),
        skipped=tuple(sorted(crawl.skipped)),
        consistent=consistent,
    )


def links_in(body: bytes, media_type: str, page_url: str, base_url: str) -> set[str]:
    """Same-site paths (with any query string, without fragment) a body links to."""
    text = body.decode("utf-8", "replace")
    found: set[str] = set()
    kind = media_type.split(";")[0].strip().lower()
    if kind == "text/html":
        collector = _Links()
        collector.feed(text)
        collector.close()
        found.update(collector.links)
    elif kind.endswith("json"):
        with contextlib.suppress(ValueError):
            found.update(_json_strings(json.loads(text)))
    elif kind.endswith("xml"):
        found.update(unescape(link) for link in _ATTRIBUTE_URL.findall(text))
    found.update(unescape(url) for url in _ABSOLUTE_URL.findall(text))
    paths = set()
    for link in found:
        path = same_site_path(link, page_url, base_url)
        if path is not None:
            paths.add(path)
    return paths


def same_site_path(link: str, page_url: str, base_url: str) -> str | None:
    """``link`` (resolved against ``page_url``) as a path and query, or None elsewhere."""
    link = link.strip()
    if not link or link.startswith(("#", "mailto:", "javascript:", "data:")):
        return None
    absolute = urljoin(page_url, link)
    parts, base = urlsplit(absolute), urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def file_for(path: str, media_type: str) -> str | None:
    """Where a file server finds ``path``; None when it cannot be a file."""
    decoded = unquote(path)
    parts = [part for part in decoded.split("/") if part]
    if any(part in {".", ".."} or "\\" in part or "\x00" in part for part in parts):
        return None
    if parts and not decoded.endswith("/") and PurePosixPath(parts[-1]).suffix in SUFFIXES:
        return "/".join(parts)
    kind = media_type.split(";")[0].strip().lower()
    return "/".join([*parts, f"index{_INDEX_SUFFIX.get(kind, '.html')}"])


async def _crawl(app: FastAPI, base_url: str, entries: tuple[str, ...], staging: Path) -> _Crawl:
    crawl = _Crawl(base_url, staging, await _Windows.listed(app.state.herald.publication))
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
    _write_file(crawl, "404.html", not_found.body)
    return crawl


async def _worker(client: InProcessClient, crawl: _Crawl) -> None:
    while True:
        rank, _, path = await crawl.queue.get()
        try:
            await crawl.windows.prepare(rank)
            await _fetch(client, crawl, path)
        finally:
            crawl.queue.task_done()


async def _fetch(client: InProcessClient, crawl: _Crawl, path: str) -> None:
    response = await client.get(path)
    media_type = response.headers.get("content-type", "application/octet-stream")
    page_url = f"{crawl.base_url}{path}"
    if response.is_redirect:
        target = same_site_path(response.headers.get("location", ""), page_url, crawl.base_url)
        if target is None:
            return
        _store(crawl, path, "text/html", _redirect_page(target))
        _enqueue(crawl, target)
        return
    if response.status != 200:
        crawl.missing[path] = response.status
        return
    _store(crawl, path, media_type, response.body)
    for link in links_in(response.body, media_type, page_url, crawl.base_url):
        _enqueue(crawl, link)


def _enqueue(crawl: _Crawl, path: str, *, first: bool = False) -> None:
    if "?" in path:
        crawl.skipped.add(path)
        return
    if path in crawl.seen or path in NOT_EXPORTED_PAGES or path.startswith(NOT_EXPORTED):
        return
    crawl.seen.add(path)
    crawl.queue.put_nowait((_rank(crawl, path, first), next(crawl.found), path))


def _rank(crawl: _Crawl, path: str, first: bool) -> int:
    """Entry points first (the CSAF provider metadata starts the distribution's build,
    signatures included, while the rest is fetched), the distribution's other files
    last (they wait for that build), the rest by bulletin window."""
    if first:
        return _FIRST
    if path.startswith(_DISTRIBUTION):
        return _LAST
    return crawl.windows.rank(path)


def _store(crawl: _Crawl, path: str, media_type: str, body: bytes) -> None:
    name = file_for(path, media_type)
    if name is not None:
        _write_file(crawl, name, body)


def _write_file(crawl: _Crawl, name: str, body: bytes) -> None:
    """Write a fetched file into the staging folder (the first answer for a name wins),
    so the export holds no more than the pages in flight in memory."""
    if name in crawl.files:
        return
    crawl.files.add(name)
    target = crawl.staging / name
    if target.parent not in crawl.folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        crawl.folders.add(target.parent)
    target.write_bytes(body)


def _redirect_page(target: str) -> bytes:
    href = escape(target, quote=True)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<title>Moved</title>\n<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{href}">\n</head>\n<body>\n'
        f'<p>This page is at <a href="{href}">{href}</a>.</p>\n</body>\n</html>\n'
    ).encode()


def _on_own_loop(crawling: Coroutine[Any, Any, _Crawl]) -> _Crawl:
    """Run the crawl on a fresh event loop in a thread of its own, so that the export
    works from synchronous code whether or not the caller's thread runs a loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, crawling).result()


def _swap_in(destination: Path, staging: Path) -> None:
    """Put the complete ``staging`` folder (beside ``destination``) in its place.

    A symlink destination is replaced atomically (``rename`` of a new link); a folder
    is renamed aside and the new one renamed in, then the old one removed.
    """
    parent = staging.parent
    staging.chmod(0o755)
    if destination.is_symlink():
        old = destination.resolve()
        link = parent / f".{destination.name}.link-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(staging.name)
        link.replace(destination)
        if old.is_dir() and old.parent == parent:
            shutil.rmtree(old, ignore_errors=True)
        return
    if destination.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{destination.name}.old.", dir=parent))
        retired.rmdir()
        destination.rename(retired)
        staging.rename(destination)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(destination)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.links.add(value)


def _json_strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        if value.startswith(("/", "http://", "https://")):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
