"""Every registered machine-readable format, on the site: served at its URL with its
media type and bytes, linked from the bulletin page, written by the static export."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from herald.adapters.formats.cve5 import PLACEHOLDER_ORG_ID
from herald.adapters.formats.machine import MACHINE_FORMATS, MachineFormat, Scope, Sources
from herald.adapters.site_export.export import export_site
from herald.adapters.site_export.files import file_for
from herald.adapters.web import create_app
from herald.bootstrap import Herald

ARTICLE_ID = "CTX696397"


class _Links(HTMLParser):
    """``(tag, rel, href, type)`` of every ``<a>`` and ``<link>`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[tuple[str, str, str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"a", "link"}:
            named = {name: value or "" for name, value in attrs}
            self.found.add(
                (tag, named.get("rel", ""), named.get("href", ""), named.get("type", ""))
            )


def _sources(herald: Herald) -> Sources:
    return Sources(
        herald.publication.bulletin(ARTICLE_ID).bulletin,
        herald.publication.catalog(),
        herald.publication.publisher(),
        herald.settings.base_url,
        cna_org_id=herald.settings.cna_org_id or PLACEHOLDER_ORG_ID,
    )


def _documents(herald: Herald) -> list[tuple[MachineFormat, str]]:
    bulletin = herald.publication.bulletin(ARTICLE_ID).bulletin
    found = [(fmt, subject) for fmt in MACHINE_FORMATS for subject in fmt.subjects(bulletin)]
    assert {fmt for fmt, _ in found} == set(MACHINE_FORMATS)  # the demo has each format
    return found


def test_every_format_is_served_at_its_url(herald: Herald, client: TestClient) -> None:
    sources = _sources(herald)
    for fmt, subject in _documents(herald):
        response = client.get(fmt.path(subject))
        assert response.status_code == 200, fmt.path(subject)
        assert response.headers["content-type"] == fmt.media_type
        assert response.content == fmt.body(sources, subject)


def test_the_bulletin_page_lists_every_format(herald: Herald, client: TestClient) -> None:
    page = _Links()
    page.feed(client.get(f"/bulletins/{ARTICLE_ID}").text)
    for fmt, subject in _documents(herald):
        assert ("a", "", fmt.path(subject), fmt.media_type) in page.found
        alternate = ("link", "alternate", fmt.path(subject), fmt.media_type)
        assert (alternate in page.found) == (fmt.scope is Scope.BULLETIN)


def test_the_static_export_writes_every_format(herald: Herald, tmp_path: Path) -> None:
    report = export_site(
        create_app(herald, run_scheduler=False), tmp_path, herald.settings.base_url
    )
    for fmt, subject in _documents(herald):
        name = file_for(fmt.path(subject), fmt.media_type)
        assert name == fmt.path(subject).lstrip("/")
        assert name in report.files


@pytest.mark.parametrize("fmt", MACHINE_FORMATS, ids=lambda fmt: fmt.name)
def test_an_unknown_subject_is_404_in_every_format(
    herald: Herald, client: TestClient, fmt: MachineFormat
) -> None:
    subject = "CTX999999" if fmt.scope is Scope.BULLETIN else "CVE-2026-0001"
    assert client.get(fmt.path(subject)).status_code == 404
