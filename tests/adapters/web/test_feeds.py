"""Atom and RSS feeds, read back with feedparser as a subscriber's reader would."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import timedelta
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

import herald.demo as demo
from herald.bootstrap import Herald

from .conftest import MovableClock
from .test_api import add_xencenter, content, publish, xencenter_content

BASE = "https://bulletins.example.com"
FEEDS = [
    "/feeds/bulletins.atom",
    "/feeds/bulletins.rss",
    "/feeds/products/xenserver.atom",
    "/feeds/products/xenserver.rss",
]


def read(client: TestClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.text
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def entry_ids(parsed: Any) -> list[str]:
    return [entry.id for entry in parsed.entries]


def updated(entry: Any, suffix: str) -> int:
    """The entry's last change, as a POSIX time (Atom ``updated``, RSS ``pubDate``)."""
    stamp = entry.updated_parsed if suffix == "atom" else entry.published_parsed
    return calendar.timegm(stamp)


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_lists_the_public_bulletins_with_absolute_links(
    herald: Herald, client: TestClient, url: str
) -> None:
    herald.authoring.create_draft(content(1))
    parsed = read(client, url)
    assert parsed.version in ("atom10", "rss20")
    assert parsed.feed.title.startswith("Citrix security bulletins")
    (entry,) = parsed.entries
    assert entry.id == f"{BASE}/bulletins/CTX696397"
    assert entry.link == f"{BASE}/bulletins/CTX696397"
    assert entry.title == "CTX696397: XenServer Security Update for CVE-2026-4397"
    assert "Revision 1 (2026-03-24): Initial Publication" in entry.summary
    assert "CVE-2026-4397" in entry.summary
    for link in (*parsed.feed.links, *entry.links):
        assert link.href.startswith(BASE), link.href


def test_atom_details(client: TestClient) -> None:
    response = client.get("/feeds/bulletins.atom")
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert parsed.feed.id == f"{BASE}/feeds/bulletins.atom"
    rels = {link.rel: link.href for link in parsed.feed.links}
    assert rels == {"self": f"{BASE}/feeds/bulletins.atom", "alternate": f"{BASE}/"}
    (entry,) = parsed.entries
    assert entry.published == "2026-03-24T16:00:00+00:00"
    assert entry.updated == "2026-03-24T16:00:00+00:00"
    assert [link.href for link in entry.links] == [f"{BASE}/bulletins/CTX696397"]
    assert f'href="{BASE}/api/v1/bulletins/CTX696397"' in entry.content[0].value
    assert "access memory data of a previously terminated VM" in entry.content[0].value
    assert {tag.term for tag in entry.tags} == {"Medium", "CVE-2026-4397"}


def test_rss_details(client: TestClient) -> None:
    response = client.get("/feeds/bulletins.rss")
    assert response.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert f'<guid isPermaLink="true">{BASE}/bulletins/CTX696397</guid>' in response.text
    parsed = feedparser.parse(response.content)
    assert parsed.feed.link == f"{BASE}/"
    (entry,) = parsed.entries
    assert entry.published == "Tue, 24 Mar 2026 16:00:00 +0000"


@pytest.mark.parametrize("suffix", ["atom", "rss"])
def test_a_product_feed_has_only_that_product(
    herald: Herald, client: TestClient, clock: MovableClock, suffix: str
) -> None:
    add_xencenter(herald)
    clock.advance(timedelta(hours=1))
    xencenter = publish(herald, xencenter_content(1))
    xenserver = read(client, f"/feeds/products/xenserver.{suffix}")
    assert entry_ids(xenserver) == [f"{BASE}/bulletins/CTX696397"]
    assert xenserver.feed.title == "Citrix security bulletins: XenServer"
    center = read(client, f"/feeds/products/xencenter.{suffix}")
    assert entry_ids(center) == [f"{BASE}/bulletins/{xencenter}"]
    everything = read(client, f"/feeds/bulletins.{suffix}")
    assert entry_ids(everything) == [f"{BASE}/bulletins/{xencenter}", f"{BASE}/bulletins/CTX696397"]


@pytest.mark.parametrize("suffix", ["atom", "rss"])
def test_an_amended_bulletin_keeps_its_entry_and_moves_up(
    herald: Herald, client: TestClient, clock: MovableClock, suffix: str
) -> None:
    clock.advance(timedelta(hours=1))
    other = publish(herald, content(1))
    before = read(client, f"/feeds/bulletins.{suffix}")
    assert entry_ids(before) == [f"{BASE}/bulletins/{other}", f"{BASE}/bulletins/CTX696397"]

    clock.advance(timedelta(days=2))
    herald.authoring.amend(
        "CTX696397", replace(demo.reference_content(), severity="High"), "Raised the severity"
    )
    after = read(client, f"/feeds/bulletins.{suffix}")
    assert entry_ids(after) == [f"{BASE}/bulletins/CTX696397", f"{BASE}/bulletins/{other}"]
    old = before.entries[1]
    new = after.entries[0]
    assert new.id == old.id
    assert updated(new, suffix) > updated(old, suffix)
    assert "Revision 2 (2026-11-04): Raised the severity" in new.summary


@pytest.mark.parametrize("suffix", ["atom", "rss"])
def test_a_withdrawn_bulletin_says_so(herald: Herald, client: TestClient, suffix: str) -> None:
    herald.authoring.withdraw("CTX696397", "Withdrawn: the issue does not affect XenServer")
    (entry,) = read(client, f"/feeds/bulletins.{suffix}").entries
    assert entry.id == f"{BASE}/bulletins/CTX696397"
    assert entry.title.startswith("[Withdrawn] CTX696397")
    assert entry.summary.startswith(
        "Withdrawn on 2026-11-02: Withdrawn: the issue does not affect XenServer"
    )


def test_a_feed_carries_the_fifty_latest_changes(
    herald: Herald, client: TestClient, clock: MovableClock
) -> None:
    made = []
    for n in range(51):
        clock.advance(timedelta(minutes=1))
        made.append(publish(herald, content(n)))
    parsed = read(client, "/feeds/bulletins.atom")
    assert len(parsed.entries) == 50
    assert entry_ids(parsed) == [f"{BASE}/bulletins/{i}" for i in reversed(made[1:])]
    clock.advance(timedelta(minutes=1))
    herald.authoring.amend("CTX696397", replace(demo.reference_content(), severity="Low"), "Low")
    assert entry_ids(read(client, "/feeds/bulletins.atom"))[0] == f"{BASE}/bulletins/CTX696397"


def test_text_that_xml_cannot_carry_is_dropped(herald: Herald, client: TestClient) -> None:
    """Input refuses such text now (herald.domain.text); a bulletin stored by an older
    herald may still hold it."""
    publish(herald, content(1, problem="Bell and vertical tab."))
    with herald.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE bulletins SET problem = :p WHERE problem = 'Bell and vertical tab.'"),
            {"p": "Bell\x07 and\x0b vertical tab."},
        )
        connection.execute(text("UPDATE site_state SET generation = generation + 1"))
    for url in FEEDS[:2]:
        parsed = read(client, url)
        assert "Bell and vertical tab." in parsed.entries[0].content[0].value


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_answer_304_and_change_their_etag_with_the_content(
    herald: Herald, client: TestClient, clock: MovableClock, url: str
) -> None:
    first = client.get(url)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    assert first.headers["last-modified"] == "Tue, 24 Mar 2026 16:00:00 GMT"
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    since = {"If-Modified-Since": first.headers["last-modified"]}
    assert client.get(url, headers=since).status_code == 304
    herald.authoring.create_draft(content(1))
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    clock.advance(timedelta(days=1))
    publish(herald, content(2))
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


@pytest.mark.parametrize("url", [*FEEDS, "/feeds/"])
def test_head_answers_like_get_without_a_body(client: TestClient, url: str) -> None:
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == got.headers["etag"]


@pytest.mark.parametrize("url", ["/feeds/products/nope.atom", "/feeds/products/nope.rss"])
def test_an_unknown_product_has_no_feed(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_the_feeds_page_lists_every_feed(herald: Herald, client: TestClient) -> None:
    add_xencenter(herald)
    response = client.get("/feeds/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    for href in (
        *FEEDS[:2],
        "/feeds/products/xenserver.atom",
        "/feeds/products/xencenter.rss",
    ):
        assert f'href="{BASE}{href}"' in response.text
    assert "XenCenter" in response.text
    assert (
        client.get("/feeds/", headers={"If-None-Match": response.headers["etag"]}).status_code
        == 304
    )
