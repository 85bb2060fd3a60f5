"""The public pages: the list with its filters, search and pages; a bulletin with its
sections and renderings; products; CVE look-ups; sitemap and robots; bad input."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

import herald.demo as demo
from herald.adapters.formats import RenderFormat, render
from herald.bootstrap import Herald
from herald.domain.scoring import parse_cvss
from tests.reference import REFERENCE, normalise

from .conftest import MovableClock
from .test_site_support import BASE_URL, content, outline, publish, rows


@pytest.fixture
def three(herald: Herald, clock: MovableClock) -> list[str]:
    """Three more bulletins, published a day apart (newest last), one of them in 2027."""
    publish(herald, clock, "CTX100001", content("Guest escape in XenServer", ["CVE-2026-5001"]))
    publish(
        herald,
        clock,
        "CTX100002",
        content("Memory leak", ["CVE-2026-5002"], severity="Low", problem="A slow LEAK."),
    )
    clock.advance(timedelta(days=365))
    publish(herald, clock, "CTX100003", content("Toolstack flaw", ["CVE-2027-0003"]))
    return ["CTX100003", "CTX100002", "CTX100001", "CTX696397"]


def test_the_list_shows_every_public_bulletin_newest_first(
    client: TestClient, three: list[str]
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert rows(response.text) == three
    assert "4 bulletins" in response.text
    lines = outline(response.text).lines
    assert any(
        line.startswith("CTX100002 Memory leak Low CVE-2026-5002 2026-11-03 2026-11-03")
        for line in lines
    ), lines


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("severity=Low", ["CTX100002"]),
        ("severity=Critical", []),
        ("year=2027", ["CTX100003"]),
        ("year=2026", ["CTX100002", "CTX100001", "CTX696397"]),
        ("product=xenserver", ["CTX100003", "CTX100002", "CTX100001", "CTX696397"]),
        ("product=xenserver&version=8.4", ["CTX100003", "CTX100002", "CTX100001", "CTX696397"]),
        ("product=xenserver&version=9", []),
        ("q=guest+ESCAPE", ["CTX100001"]),
        ("q=CVE-2027-0003", ["CTX100003"]),
        ("q=CTX100002", ["CTX100002"]),
        ("q=slow+leak", ["CTX100002"]),
        ("q=nothing-like-this", []),
        (
            "q=&product=&version=&severity=&year=",
            ["CTX100003", "CTX100002", "CTX100001", "CTX696397"],
        ),
        ("severity=High&year=2026", ["CTX100001"]),
    ],
)
def test_filters_and_search_narrow_the_list(
    client: TestClient, three: list[str], query: str, expected: list[str]
) -> None:
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    assert rows(response.text) == expected
    if not expected:
        assert "No bulletins match these filters." in response.text


def test_the_form_keeps_the_chosen_filters_and_labels_every_control(
    client: TestClient, three: list[str]
) -> None:
    page = outline(client.get("/?q=leak&severity=Low&year=2026").text)
    labelled = {attrs.get("for") for attrs in page.all("label")}
    controls = page.all("input") + page.all("select")
    assert controls and all(attrs.get("id") in labelled for attrs in controls)
    assert {"name": "q", "value": "leak"}.items() <= next(
        a for a in page.all("input") if a.get("name") == "q"
    ).items()
    selected = [a for a in page.all("option") if "selected" in a]
    assert len(selected) == 2  # severity and year; the others are "Any"


def test_pages_of_twenty_with_numbers_and_prev_next(
    herald: Herald, clock: MovableClock, client: TestClient
) -> None:
    for number in range(1, 25):
        publish(
            herald, clock, f"CTX2000{number:02d}", content(f"Issue {number}", ["CVE-2026-6000"])
        )
    first = client.get("/")
    assert len(rows(first.text)) == 20 and rows(first.text)[0] == "CTX200024"
    assert "25 bulletins; showing 1–20" in first.text
    head = outline(first.text).all("link")
    assert {"rel": "next", "href": "/page/2/"}.items() <= next(
        a for a in head if a.get("rel") == "next"
    ).items()
    second = client.get("/page/2/")
    assert rows(second.text) == ["CTX200004", "CTX200003", "CTX200002", "CTX200001", "CTX696397"]
    assert any(
        a.get("rel") == "prev" and a.get("href") == "/" for a in outline(second.text).all("link")
    )
    assert 'aria-current="page"' in second.text
    assert client.get("/?page=2").text == second.text
    assert client.get("/page/1/").headers["location"] == "/"
    filtered = client.get("/?q=CVE-2026-6000")
    assert 'href="/?q=CVE-2026-6000&amp;page=2"' in filtered.text
    assert rows(client.get("/?q=CVE-2026-6000&page=2").text) == [
        "CTX200004",
        "CTX200003",
        "CTX200002",
        "CTX200001",
    ]
    past = client.get("/page/3/")
    assert past.status_code == 404 and "page: there is no page 3" in past.text


BAD = [
    ("page=0", 422, "page"),
    ("page=-1", 422, "page"),
    ("page=abc", 422, "page"),
    ("page=99999999999999999999", 422, "page"),
    ("page=2", 404, "page"),
    ("year=99999", 422, "year"),
    ("year=1850", 422, "year"),
    ("year=twenty", 422, "year"),
    ("severity=Bogus", 422, "severity"),
    ("product=nope", 422, "product"),
    ("product=xenserver&version=7", 422, "version"),
    ("version=8.4", 422, "version"),
    ("q=" + "x" * 201, 422, "q"),
    ("q=%00", 422, "q"),
]


@pytest.mark.parametrize(("query", "status", "parameter"), BAD)
def test_bad_parameters_get_a_4xx_page_naming_them(
    client: TestClient, query: str, status: int, parameter: str
) -> None:
    response = client.get(f"/?{query}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    alert = next(line for line in outline(response.text).lines if line.startswith(f"{parameter}:"))
    assert alert


def test_two_hundred_characters_of_search_are_fine(client: TestClient) -> None:
    assert client.get("/?q=" + "x" * 200).status_code == 200


def test_the_bulletin_page_has_every_reference_section_in_order(client: TestClient) -> None:
    response = client.get("/bulletins/CTX696397")
    assert response.status_code == 200
    page = outline(response.text)
    reference = normalise(REFERENCE.read_text(encoding="utf-8"), updated_on="2026-03-24")
    expected = [line.removeprefix("\u2022 ") for line in reference]  # bullets are <li>
    lines = normalise("\n".join(page.lines))
    position = 0
    for line in expected:
        assert line in lines[position:], f"{line!r} missing or out of order"
        position = lines.index(line, position) + 1
    (h1,) = [text for level, text in page.headings if level == 1]
    assert h1 == "XenServer Security Update for CVE-2026-4397"
    assert "First published: 2026-03-24" in lines
    assert "XenServer 8.4, Normal update channel: fixed in release 8.4.2026-03-24" in lines


def test_the_bulletin_page_links_its_machine_readable_forms(
    herald: Herald, client: TestClient
) -> None:
    page = outline(client.get("/bulletins/CTX696397").text)
    alternates = {
        a["href"]: a["type"]
        for a in page.all("link")
        if a.get("rel") == "alternate" and a.get("href")
    }
    assert alternates["/bulletins/CTX696397.json"] == "application/json"
    assert alternates["/bulletins/CTX696397.txt"] == "text/plain"
    assert alternates["/bulletins/CTX696397.md"] == "text/markdown"
    assert alternates["/api/v1/bulletins/CTX696397"] == "application/json"
    anchors = {a.get("href") for a in page.all("a")}
    assert set(alternates) - {"/feeds/bulletins.atom", "/feeds/bulletins.rss"} <= anchors
    document = herald.publication.bulletin("CTX696397").document
    for suffix, fmt in [
        (".json", RenderFormat.JSON),
        (".txt", RenderFormat.TEXT),
        (".md", RenderFormat.MARKDOWN),
    ]:
        response = client.get(f"/bulletins/CTX696397{suffix}")
        assert response.status_code == 200
        assert response.headers["content-type"] == fmt.media_type
        assert response.text == render(document, fmt)
    assert json.loads(client.get("/bulletins/CTX696397.json").text)["article_id"] == "CTX696397"
    assert client.get("/bulletins/CTX696397.pdf").status_code == 404


def test_cvss_and_the_withdrawn_notice_are_shown(
    herald: Herald, clock: MovableClock, client: TestClient
) -> None:
    score = parse_cvss("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N")
    publish(herald, clock, "CTX300001", content("Scored", cvss=(score,)))
    lines = outline(client.get("/bulletins/CTX300001").text).lines
    assert "CVSS v3.1: 6.0 MEDIUM (CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N)" in lines
    herald.authoring.withdraw("CTX696397", "Withdrawn: not affected")
    page = client.get("/bulletins/CTX696397").text
    assert "Withdrawn:</strong> This bulletin was withdrawn on" in page
    assert "Withdrawn: not affected" in page
    listing = client.get("/").text
    assert "CTX696397" in rows(listing)
    assert 'class="withdrawn">Withdrawn<' in listing


def test_unknown_and_odd_bulletin_ids_are_404(client: TestClient) -> None:
    for path in [
        "/bulletins/CTX000000",
        "/bulletins/..%2Fetc",
        "/bulletins/a.b.json",
        "/bulletins/%00",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "<h1>Not found</h1>" in response.text


def test_products_list_versions_channels_releases_and_bulletins(client: TestClient) -> None:
    index = client.get("/products/")
    assert index.status_code == 200
    assert 'href="/products/xenserver"' in index.text
    assert "9 (Public Preview)" in index.text
    page = outline(client.get("/products/xenserver").text)
    assert (2, "XenServer 8.4 Supported") in page.headings
    assert (2, "XenServer 9 Public Preview") in page.headings
    assert "Normal 8.4.2026-03-24 2026-03-24 xen-hypervisor 4.17.5-20" in page.lines
    assert "CTX696397: XenServer Security Update for CVE-2026-4397" in page.lines
    assert "No public bulletin affects XenServer 9." in page.lines
    assert client.get("/products/nope").status_code == 404
    assert client.get("/products").status_code in (307, 308)


def test_a_cve_redirects_lists_or_is_unknown(
    herald: Herald, clock: MovableClock, client: TestClient
) -> None:
    one = client.get("/cve/CVE-2026-4397")
    assert one.status_code == 303 and one.headers["location"] == "/bulletins/CTX696397"
    publish(herald, clock, "CTX400001", content("Follow-up", ["CVE-2026-4397", "CVE-2026-7000"]))
    several = client.get("/cve/CVE-2026-4397")
    assert several.status_code == 200
    assert rows(several.text) == ["CTX400001", "CTX696397"]
    assert client.get("/cve/CVE-2026-9999").status_code == 404
    malformed = client.get("/cve/CVE-26-1")
    assert malformed.status_code == 422 and "cve:" in malformed.text


def test_sitemap_and_robots(herald: Herald, client: TestClient) -> None:
    sitemap = client.get("/sitemap.xml")
    assert sitemap.headers["content-type"] == "application/xml"
    body = sitemap.text
    for url in (f"{BASE_URL}/", f"{BASE_URL}/products/", f"{BASE_URL}/products/xenserver"):
        assert f"<loc>{url}</loc>" in body
    assert (
        f"<url><loc>{BASE_URL}/bulletins/CTX696397</loc><lastmod>2026-03-24T16:00:00Z</lastmod></url>"
        in body
    )
    robots = client.get("/robots.txt")
    assert robots.headers["content-type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {BASE_URL}/sitemap.xml" in robots.text


def test_if_none_match_gets_304_until_an_amendment_changes_the_page(
    herald: Herald, client: TestClient
) -> None:
    for path in ("/", "/bulletins/CTX696397"):
        first = client.get(path)
        etag = first.headers["etag"]
        assert first.headers["last-modified"].endswith(" GMT")
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert client.get(path, headers={"If-None-Match": '"other", ' + etag}).status_code == 304
    before = {path: client.get(path).headers["etag"] for path in ("/", "/bulletins/CTX696397")}
    amended = demo.reference_content()
    amended = type(amended)(**{**amended.__dict__, "title": "XenServer Security Update (revised)"})
    herald.authoring.amend("CTX696397", amended, "Title revised")
    for path, etag in before.items():
        response = client.get(path, headers={"If-None-Match": etag})
        assert response.status_code == 200, path
        assert response.headers["etag"] != etag
        assert "XenServer Security Update (revised)" in response.text
    assert "Title revised" in client.get("/bulletins/CTX696397").text


def test_head_requests_are_answered(client: TestClient) -> None:
    for path in ("/", "/bulletins/CTX696397", "/sitemap.xml"):
        response = client.head(path)
        assert response.status_code == 200 and response.headers["etag"]


HOSTILE = [
    '<script>alert("owned")</script>',
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_never_reaches_the_page(
    herald: Herald, clock: MovableClock, client: TestClient, payload: str
) -> None:
    publish(
        herald,
        clock,
        "CTX500001",
        content(f"Title {payload}", problem=f"Kept words {payload}"),
    )
    for path in ("/", "/bulletins/CTX500001", "/products/xenserver", "/?q=Kept"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text.lower()
        assert "title" in html and ("kept words" in html or "/bulletins/" not in path), path
        assert "<script" not in html, path
        for tag, attrs in outline(html).tags:
            assert tag not in {"script", "img", "iframe"}, path
            assert not any(name.startswith("on") for name in attrs), (path, tag)
            assert not (attrs.get("href") or "").startswith("javascript:"), path


def test_every_page_has_landmarks_one_h1_and_no_skipped_heading(
    client: TestClient, three: list[str]
) -> None:
    for path in (
        "/",
        "/?q=none",
        "/bulletins/CTX100001",
        "/products/",
        "/products/xenserver",
        "/nope",
    ):
        html = client.get(path).text
        page = outline(html)
        assert [level for level, _ in page.headings].count(1) == 1, path
        levels = [level for level, _ in page.headings]
        assert all(after <= before + 1 for before, after in itertools.pairwise(levels)), path
        for landmark in ("header", "nav", "main", "footer"):
            assert page.all(landmark), (path, landmark)
        assert page.all("html")[0].get("lang") == "en"
        assert '<a class="skip" href="#main">' in html
        assert "<script" not in html
