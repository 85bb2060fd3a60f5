"""A reader on the public site: the list, its filters, a bulletin, a product, on a phone."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, NewPage, Site, listed, shoot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ALL = ("CTX696397", "CTX100101", "CTX100103", "CTX100102")
"""Newest first: the demo bulletin (Medium, 2026, memory) and data/: High 2026, Medium 2026
(a network packet), Medium 2025 (memory)."""

SECTIONS = [
    "Description",
    "What Customers Should Do",
    "What Citrix is Doing",
    "Obtaining Support on This Issue",
    "Subscribe to Receive Alerts",
    "Reporting Security Vulnerabilities to Citrix",
    "Change Log",
    "Environment",
    "Issue/Introduction",
    "Description of Problem",
    "Affected Versions",
    "Fixes",
]
"""CTX696397's headings under its title, in the order of the reference bulletin."""


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def facts(page: Page) -> list[str]:
    """The bulletin's facts ("Article ID: CTX696397"), each on one line."""
    rows = page.locator("dl.facts > div").all_inner_texts()
    return [" ".join(row.split()) for row in rows]


def test_browse_filter_and_read_a_bulletin(site: Site, page: Page, backend: str) -> None:
    page.goto(site("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Security bulletins")
    assert listed(page) == list(ALL)
    expect(page.get_by_role("status")).to_have_text("4 bulletins, newest first.")
    shoot(page, f"list-desktop-{backend}", "site-list.png" if backend == "sqlite" else None)

    filters = page.get_by_role("search", name="Search and filter bulletins")
    filters.get_by_label("Product").select_option(label="XenServer")
    filters.get_by_label("Severity").select_option("Medium")
    filters.get_by_role("button", name="Show bulletins").click()
    page.wait_for_url(re.compile(r"\?"))
    assert query(page) == {
        "q": [""],
        "product": ["xenserver"],
        "version": [""],
        "severity": ["Medium"],
        "year": [""],
    }
    assert listed(page) == ["CTX696397", "CTX100103", "CTX100102"]  # not the High one
    expect(filters.get_by_label("Severity")).to_have_value("Medium")  # the form keeps it

    filters.get_by_label("Year").select_option("2026")
    filters.get_by_role("button", name="Show bulletins").click()
    page.wait_for_url(re.compile(r"year=2026"))
    assert query(page)["year"] == ["2026"]
    assert listed(page) == ["CTX696397", "CTX100103"]  # not the one of 2025

    filters.get_by_label("Search").fill("memory")
    filters.get_by_label("Search").press("Enter")
    page.wait_for_url(re.compile(r"q=memory"))
    assert query(page) == {
        "q": ["memory"],
        "product": ["xenserver"],
        "version": [""],
        "severity": ["Medium"],
        "year": ["2026"],
    }
    assert listed(page) == ["CTX696397"]  # not the network packet
    expect(page.get_by_role("status")).to_have_text("1 bulletin, newest first.")

    filters.get_by_label("Search").fill("no such words anywhere")
    filters.get_by_role("button", name="Show bulletins").click()
    page.wait_for_url(re.compile(r"q=no"))
    expect(page.get_by_role("status")).to_have_text("No bulletins match these filters.")
    assert listed(page) == []
    page.get_by_role("link", name="Clear").click()
    page.wait_for_url(site("/"))
    assert listed(page) == list(ALL)

    page.get_by_role("link", name="CTX696397").click()
    page.wait_for_url(site("/bulletins/CTX696397"))
    _check_reference_bulletin(page)
    shoot(
        page,
        f"bulletin-desktop-{backend}",
        "site-bulletin.png" if backend == "sqlite" else None,
    )

    alternates = page.locator('head link[rel="alternate"]')
    found = {
        alternates.nth(n).get_attribute("href"): alternates.nth(n).get_attribute("type")
        for n in range(alternates.count())
    }
    assert found["/bulletins/CTX696397.json"] == "application/json"
    for href, media_type in found.items():  # every alternate answers with its media type
        assert href is not None and media_type is not None
        answer = page.request.get(urljoin(page.url, href))
        assert answer.ok, f"{href}: {answer.status}"
        assert answer.headers["content-type"].split(";")[0] == media_type, href

    page.get_by_role("link", name="XenServer: versions, releases and bulletins").click()
    page.wait_for_url(site("/products/xenserver"))
    expect(page.get_by_role("heading", level=1)).to_have_text("XenServer")
    expect(page.get_by_role("heading", name=re.compile(r"^XenServer 8\.4"))).to_be_visible()
    expect(page.get_by_role("link", name="CTX696397")).to_be_visible()

    response = page.goto(site("/bulletins/CTX696397.json"))
    assert response is not None and response.ok
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["article_id"] == "CTX696397"
    assert document["severity"] == "Medium"
    assert document["cves"] == ["CVE-2026-4397"]


def _check_reference_bulletin(page: Page) -> None:
    expect(page).to_have_title(re.compile(r"^CTX696397: XenServer Security Update"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "XenServer Security Update for CVE-2026-4397"
    )
    assert facts(page)[:2] == ["Article ID: CTX696397", "Updated On: 2026-03-24"]
    headings = page.locator("article.bulletin :is(h2, h3)").all_inner_texts()
    assert headings[: len(SECTIONS)] == SECTIONS
    assert headings[len(SECTIONS) :] == [
        "Status by version and update channel",
        "Related",
        "Machine-readable forms",
    ]
    change_log = page.locator("section[aria-labelledby=change-log]")
    expect(change_log.get_by_role("listitem")).to_have_text(["2026-03-24 Initial Publication"])


@pytest.mark.parametrize("path", ["/", "/bulletins/CTX696397"])
def test_a_phone_never_scrolls_sideways(
    site: Site, new_page: NewPage, path: str, backend: str
) -> None:
    page = new_page(PHONE)
    page.goto(site(path))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] == PHONE["width"], f"{path} is {width[0]} px wide on a phone"
    name = "list" if path == "/" else "bulletin"
    shoot(page, f"{name}-phone-{backend}")
