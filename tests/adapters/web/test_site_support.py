"""Helpers the site, embargo and export tests share (bulletin builders, a crawler, an
HTML outline), and the tests of the export's link finding and file mapping."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import herald.demo as demo
from herald.adapters.site_export.export import export_site
from herald.adapters.site_export.files import file_for
from herald.adapters.site_export.links import links_in, same_site_path
from herald.adapters.web import create_app
from herald.bootstrap import Herald
from herald.domain import BulletinContent, ChannelRef, CveId, Fix, VersionRef
from herald.domain.bulletin import Bulletin
from herald.domain.scoring import CvssScore

from .conftest import MovableClock

BASE_URL = "https://bulletins.example.com"
"""The ``herald`` fixture's ``base_url``."""


def content(
    title: str,
    cves: Iterable[str] = ("CVE-2026-5001",),
    *,
    severity: str = "High",
    problem: str = "A problem in XenServer 8.4 that lets a guest read host memory.",
    cvss: tuple[CvssScore, ...] = (),
) -> BulletinContent:
    """A publishable bulletin about XenServer 8.4 with a fix on both channels."""
    server = demo.XENSERVER
    return BulletinContent(
        title=title,
        severity=severity,
        cves=tuple(CveId(cve) for cve in cves),
        cvss=cvss,
        problem=problem,
        affected=(VersionRef(server, "8.4"),),
        fixes=(
            Fix(ChannelRef(server, "8.4", "Early Access"), release="8.4.2026-03-19"),
            Fix(ChannelRef(server, "8.4", "Normal"), release="8.4.2026-03-24"),
        ),
    )


def publish(
    herald: Herald, clock: MovableClock, article_id: str, body: BulletinContent
) -> Bulletin:
    """Draft and publish ``body`` now, then move the clock a day (so each is newer)."""
    herald.authoring.create_draft(body, article_id)
    published = herald.authoring.publish(article_id, on=clock.now().date())
    clock.advance(timedelta(days=1))
    return published


def export(herald: Herald, destination: Path) -> None:
    """Export the public site of ``herald`` to ``destination``: consistent, nothing missing."""
    app = create_app(herald, run_scheduler=False)
    report = export_site(
        app, destination, herald.settings.base_url, generation=herald.publication.generation
    )
    assert report.consistent
    assert report.missing == (), report.missing


@dataclass
class Outline(HTMLParser):
    """What the accessibility and content checks need from a page."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    _heading: list[str] | None = None
    _line: list[str] = field(default_factory=list)
    _skip: int = 0

    BLOCKS = frozenset(
        {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "div", "section", "ul", "dl"}
    )

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in {"style", "script", "head"}:
            self._skip += 1
        if tag in self.BLOCKS:
            self._break()
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script", "head"}:
            self._skip -= 1
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and self._heading is not None:
            self.headings.append((int(tag[1]), " ".join("".join(self._heading).split())))
            self._heading = None
        if tag in {"dt", "td", "th"}:
            self._line.append(" ")
        if tag in self.BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if not self._skip:
            self._line.append(data)

    def _break(self) -> None:
        line = " ".join("".join(self._line).split())
        if line:
            self.lines.append(line)
        self._line = []

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def outline(html: str) -> Outline:
    page = Outline()
    page.feed(html)
    page.close()
    page._break()
    return page


Response = Any
"""A test client's response: ``httpx.Response`` at run time, ``httpx2``'s to mypy."""


def crawl(client: TestClient, starts: Iterable[str], limit: int = 400) -> dict[str, Response]:
    """Every same-site URL reachable from ``starts`` (query strings included)."""
    seen: dict[str, Response] = {}
    queue = list(dict.fromkeys(starts))
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response
        if response.is_redirect:
            target = same_site_path(response.headers["location"], f"{BASE_URL}{path}", BASE_URL)
            links = {target} if target else set()
        else:
            links = links_in(
                response.content,
                response.headers.get("content-type", ""),
                f"{BASE_URL}{path}",
                BASE_URL,
            )
        queue.extend(link for link in sorted(links) if link not in seen)
    return seen


def rows(html: str) -> list[str]:
    """The article ids of a list page, in order."""
    page = outline(html)
    return [
        (attrs.get("href") or "").removeprefix("/bulletins/")
        for name, attrs in page.tags
        if name == "a" and (attrs.get("href") or "").startswith("/bulletins/")
    ]


# tests of the export's helpers


@pytest.mark.parametrize(
    ("path", "media_type", "expected"),
    [
        ("/", "text/html; charset=utf-8", "index.html"),
        ("/bulletins/CTX696397", "text/html", "bulletins/CTX696397/index.html"),
        ("/bulletins/CTX696397.json", "application/json", "bulletins/CTX696397.json"),
        ("/page/2/", "text/html", "page/2/index.html"),
        ("/api/v1/bulletins", "application/json", "api/v1/bulletins/index.json"),
        (
            "/api/v1/products/x/versions/8.4",
            "application/json",
            "api/v1/products/x/versions/8.4/index.json",
        ),
        ("/feeds/bulletins.atom", "application/atom+xml", "feeds/bulletins.atom"),
        ("/a%20b/", "text/html", "a b/index.html"),
        ("/../etc/passwd", "text/plain", None),
    ],
)
def test_every_path_maps_to_the_file_a_file_server_serves_for_it(
    path: str, media_type: str, expected: str | None
) -> None:
    assert file_for(path, media_type) == expected


def test_links_are_found_in_html_xml_and_json_and_kept_on_site() -> None:
    html = (
        b'<a href="/bulletins/A">a</a><link href="/static/x.css"><a href="https://other.example/">'
        b'</a><a href="#top">t</a><a href="page/2/">rel</a><a href="/?q=x&amp;page=2">q</a>'
    )
    assert links_in(html, "text/html", f"{BASE_URL}/products/", BASE_URL) == {
        "/bulletins/A",
        "/static/x.css",
        "/products/page/2/",
        "/?q=x&page=2",
    }
    xml = f"<feed><link href='{BASE_URL}/bulletins/B'/><loc>{BASE_URL}/</loc></feed>".encode()
    assert links_in(xml, "application/atom+xml", BASE_URL, BASE_URL) == {"/bulletins/B", "/"}
    body = f'{{"data": [{{"url": "{BASE_URL}/api/v1/x", "self": "/y", "t": "no"}}]}}'
    assert links_in(body.encode(), "application/json", BASE_URL, BASE_URL) == {
        "/api/v1/x",
        "/y",
    }
