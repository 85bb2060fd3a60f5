"""An export of the whole public site (``export_site``), tried again when the site
changed while it ran, and its report. ``crawl.py`` fetches and writes the files.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from herald.adapters.site_export.crawl import Crawl, crawl_site
from herald.adapters.site_export.files import swap_in
from herald.adapters.web.site.routes import for_static_export

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
            crawl = _on_own_loop(crawl_site(app, base_url.rstrip("/"), entries, staging))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if generation is None or generation() == before:
            consistent = True
        if consistent or attempt == ATTEMPTS - 1:
            break
        shutil.rmtree(staging, ignore_errors=True)  # the site changed meanwhile: again
    swap_in(destination, crawl.staging.path)
    return ExportReport(
        destination=destination,
        files=tuple(sorted(crawl.staging.files)),
        missing=tuple(f"{path} ({status})" for path, status in sorted(crawl.missing.items())),
        skipped=tuple(sorted(crawl.skipped)),
        consistent=consistent,
    )


def _on_own_loop(crawling: Coroutine[Any, Any, Crawl]) -> Crawl:
    """Run the crawl on a fresh event loop in a thread of its own, so that the export
    works from synchronous code whether or not the caller's thread runs a loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, crawling).result()
