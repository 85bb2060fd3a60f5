"""The static export: served by Python's plain file server, every link resolves, every
page is the live one (but for the documented differences), and nothing embargoed is
in it."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from herald.adapters.site_export import crawl as site_export_crawl
from herald.adapters.site_export.export import ENTRY_POINTS, export_site
from herald.adapters.site_export.files import file_for
from herald.adapters.site_export.links import links_in
from herald.adapters.web import create_app
from herald.adapters.web.site.routes import for_static_export
from herald.bootstrap import Herald
from herald.services.actors import Actor
from herald.services.publication import PublicationService

from .conftest import MovableClock
from .test_site_support import BASE_URL, content, export, publish

EMBARGOED = "CTX990001"
EMBARGO_MARKER = "Vx9SecretExportMarker"


class _FileServer(SimpleHTTPRequestHandler):
    """Python's file server, also trying ``index.json`` in a folder (as docs/site.md
    tells nginx to with ``index index.html index.json``)."""

    def translate_path(self, path: str) -> str:
        local = Path(super().translate_path(path))
        if local.is_dir() and not (local / "index.html").exists():
            candidate = local / "index.json"
            if candidate.exists():
                return str(candidate)
        return str(local)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def serve() -> Iterator[functools.partial[str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(root: Path) -> str:
        handler = functools.partial(_FileServer, directory=str(root))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield functools.partial(start)
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site(herald: Herald, clock: MovableClock, staff: dict[str, str]) -> Herald:
    """22 public bulletins (two list pages) and one under embargo for an hour."""
    for number in range(1, 22):
        publish(
            herald, clock, f"CTX8000{number:02d}", content(f"Issue {number}", ["CVE-2026-8000"])
        )
    herald.authoring.create_draft(
        content(f"Embargoed {EMBARGO_MARKER}", ["CVE-2026-8999"]), EMBARGOED
    )
    herald.authoring.submit(EMBARGOED)
    reviewer = herald.accounts.user(staff["reviewer"])
    assert reviewer is not None
    herald.authoring.approve(EMBARGOED, actor=Actor.staff(reviewer))
    herald.authoring.schedule(EMBARGOED, clock.now() + timedelta(hours=1))
    return herald


def _static_crawl(root_url: str) -> tuple[dict[str, httpx.Response], set[str]]:
    """Every page reachable on the file server, and the query-string links skipped."""
    pages: dict[str, httpx.Response] = {}
    skipped: set[str] = set()
    queue = list(ENTRY_POINTS)
    with httpx.Client(base_url=root_url, follow_redirects=True, timeout=10) as client:
        while queue:
            path = queue.pop()
            if path in pages:
                continue
            response = client.get(path)
            pages[path] = response
            kind = _media_type(path, response)
            links = links_in(response.content, kind, f"{root_url}{path}", root_url)
            links |= links_in(response.content, kind, f"{BASE_URL}{path}", BASE_URL)
            for link in links:
                if "?" in link:
                    skipped.add(link)
                elif link not in pages and link != "/api/":
                    queue.append(link)
    return pages, skipped


def _media_type(path: str, response: httpx.Response) -> str:
    if path.endswith((".atom", ".rss", ".xml")):
        return "application/xml"  # the file server cannot know these
    kind: str = response.headers.get("content-type", "")
    return kind


STATIC_ONLY = [
    (re.compile(r'\s*<li><a href="/api/">API</a></li>'), ""),
    (re.compile(r'\s*<li><a href="/alerts/subscribe">Alerts</a></li>'), ""),
    (re.compile(r'<a href="/alerts/subscribe">Get security alerts by email</a> · '), ""),
    (re.compile(r'<p class="subscribe-link">.*?</p>', re.S), ""),
    (re.compile(r'<form class="filters".*?</form>', re.S), "[filters]"),
    (re.compile(r'<p class="note">This is a static copy.*?</p>', re.S), "[filters]"),
]
"""The documented differences of an exported page (docs/site.md)."""


def _comparable(html: str) -> str:
    for pattern, replacement in STATIC_ONLY:
        html = pattern.sub(replacement, html)
    return re.sub(r"\n\s*\n", "\n", html)


def test_the_export_serves_from_a_plain_file_server_like_the_live_site(
    site: Herald, client: TestClient, tmp_path: Path, serve: functools.partial[str]
) -> None:
    destination = tmp_path / "public"
    export(site, destination)
    root_url = serve(destination)
    pages, skipped = _static_crawl(root_url)

    broken = {path: r.status_code for path, r in pages.items() if r.status_code != 200}
    assert not broken
    assert {"/", "/page/2/", "/products/xenserver", "/bulletins/CTX800021.md"} <= pages.keys()
    assert all(link.startswith(("/api/", "/feeds/")) for link in skipped), skipped

    for path, static in pages.items():
        live = client.get(path)
        if live.is_redirect:  # a refresh page stands in for the redirect
            assert f'content="0; url={live.headers["location"]}"' in static.text, path
            continue
        assert live.status_code == 200, path
        if live.headers["content-type"].startswith("text/html"):
            assert _comparable(static.text) == _comparable(live.text), path
        else:
            assert static.content == live.content, path

    for file in destination.rglob("*"):
        if file.is_file():
            text = file.read_text(encoding="utf-8", errors="replace")
            assert EMBARGOED not in text and EMBARGO_MARKER not in text, file
    assert not (destination / "bulletins" / EMBARGOED).exists()
    assert "search and filters need the live site" in (destination / "index.html").read_text()
    assert (destination / "404.html").is_file()
    cve_page = (destination / "cve" / "CVE-2026-4397" / "index.html").read_text()
    assert 'http-equiv="refresh" content="0; url=/bulletins/CTX696397"' in cve_page


def test_every_file_is_what_the_site_answers_for_its_url(
    site: Herald, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bulletins read three at a time (eight windows for 22): each file holds, byte for
    byte, what a fresh copy of the site (its own publication service, reading each
    bulletin alone) answers for the URL, rendered for a static copy."""
    monkeypatch.setattr(site_export_crawl, "WINDOW", 3)
    destination = tmp_path / "public"
    export(site, destination)
    read = functools.partial(site.database.unit_of_work, read_only=True)
    fresh = dataclasses.replace(site, publication=PublicationService(read, site.embargo))
    app = create_app(fresh, run_scheduler=False)
    for_static_export(app)
    urls = ["/", "/page/2/", "/sitemap.xml", "/products/xenserver", "/feeds/bulletins.atom"]
    urls += ["/api/v1/bulletins", "/cve/CVE-2026-8000", "/cve/CVE-2026-8000.json"]
    for article_id in ("CTX696397", "CTX800001", "CTX800011", "CTX800021"):
        urls.append(f"/api/v1/bulletins/{article_id}")
        suffixes = (".csaf.json", ".osv.json", ".openvex.json", ".cdx.json")
        for suffix in ("", ".json", ".txt", ".md", *suffixes):
            urls.append(f"/bulletins/{article_id}{suffix}")
    with TestClient(app, base_url=site.settings.base_url) as client:
        for url in urls:
            live = client.get(url, follow_redirects=False)
            assert live.status_code == 200, url
            name = file_for(url, live.headers["content-type"])
            assert name is not None, url
            assert (destination / name).read_bytes() == live.content, url


def test_a_new_export_replaces_the_old_one_whole(
    site: Herald, clock: MovableClock, tmp_path: Path
) -> None:
    destination = tmp_path / "public"
    export(site, destination)
    (destination / "stale.html").write_text("old")
    clock.advance(timedelta(hours=2))
    export(site, destination)
    assert not (destination / "stale.html").exists()
    assert (destination / "bulletins" / EMBARGOED / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".public")) == []


@pytest.mark.parametrize(("changes", "consistent"), [(1, True), (99, False)])
def test_a_change_during_the_export_makes_it_start_again(
    herald: Herald, tmp_path: Path, changes: int, consistent: bool
) -> None:
    """The first ``changes`` exports see the generation move while they run: each is
    thrown away and tried again, up to three; nothing is left beside the destination."""
    values = iter(range(2 * changes))

    def generation() -> int:
        return next(values, 2 * changes)

    destination = tmp_path / "out" / "public"
    app = create_app(herald, run_scheduler=False)
    report = export_site(app, destination, herald.settings.base_url, generation=generation)
    assert report.consistent is consistent
    assert (destination / "bulletins" / "CTX696397" / "index.html").is_file()
    assert [p.name for p in destination.parent.iterdir()] == ["public"]
    assert len(report.files) == sum(1 for p in destination.rglob("*") if p.is_file())


def test_a_failing_page_is_named_and_the_rest_exported(herald: Herald, tmp_path: Path) -> None:
    """A route that raises is a 500, as on a live server: named among the missing paths,
    and the export goes on."""
    app = create_app(herald, run_scheduler=False)

    def broken() -> None:
        raise RuntimeError("a bug in a page")

    app.add_api_route("/broken", broken)
    destination = tmp_path / "public"
    report = export_site(
        app, destination, herald.settings.base_url, entry_points=(*ENTRY_POINTS, "/broken")
    )
    assert report.missing == ("/broken (500)",)
    assert (destination / "bulletins" / "CTX696397" / "index.html").is_file()
    assert not (destination / "broken").exists()


def test_the_command_writes_the_site(herald: Herald, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HERALD_DATABASE_URL": herald.settings.database_url,
        "HERALD_DATA_DIR": str(tmp_path / "var"),
        "HERALD_BASE_URL": BASE_URL,
    }
    destination = tmp_path / "out"
    completed = subprocess.run(
        [sys.executable, "-m", "herald", "export-site", str(destination)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("exported ")
    assert (destination / "bulletins" / "CTX696397" / "index.html").is_file()
    assert (destination / "sitemap.xml").read_text().count("<loc>") >= 4
