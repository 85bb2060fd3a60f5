"""Keyboard and accessibility basics, checked in the browser (no axe: nothing is downloaded)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PUBLIC_PAGES = ["/", "/bulletins/CTX696397", "/products/", "/products/xenserver", "/feeds/"]
CONTROLS = "input:not([type=hidden]), select, textarea, button"
# A spam trap sits in an aria-hidden box, out of the tab order: no person, sighted or
# not, is meant to reach it, so it needs no name (tests/browser/test_alerts.py checks
# that it stays unreachable).
OUT_OF_THE_ACCESSIBILITY_TREE = "e => e.closest('[aria-hidden=true]') !== null"


def test_the_skip_link_moves_focus_to_the_main_content(site: Site, page: Page) -> None:
    page.goto(site("/"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown when focused, not only to screen readers
    page.keyboard.press("Enter")
    expect(page).to_have_url(site("/#main"))
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside main: the search field
    expect(page.get_by_label("Search", exact=True)).to_be_focused()


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/staff/sign-in"])
def test_one_h1_and_a_language(site: Site, page: Page, path: str) -> None:
    page.goto(site(path))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page).to_have_title(re.compile(r"\S"))


def _every_control_is_named(page: Page) -> int:
    """Each visible form control has an accessible name, and its label finds it."""
    controls = page.locator(CONTROLS)
    count = controls.count()
    for index in range(count):
        control = controls.nth(index)
        if control.evaluate(OUT_OF_THE_ACCESSIBILITY_TREE):
            continue
        expect(control).to_have_accessible_name(re.compile(r"\S"))
        labels = control.evaluate("e => Array.from(e.labels || [], l => l.innerText.trim())")
        if control.evaluate("e => e.tagName") == "BUTTON":
            continue
        assert labels, f"{control.evaluate('e => e.outerHTML')[:120]} has no <label>"
        found = page.get_by_label(labels[0], exact=True)
        assert found.count() == 1, f"label {labels[0]!r} names {found.count()} controls"
        assert found.evaluate("(e, other) => e === other", control.element_handle())
    return count


def test_every_public_form_control_has_a_name(site: Site, page: Page) -> None:
    page.goto(site("/"))
    assert _every_control_is_named(page) == 6  # search, 4 selects, the button
    filters = page.get_by_role("search", name="Search and filter bulletins")
    expect(filters.get_by_label("Search")).to_have_accessible_description(
        "Article id, title, CVE id or text."
    )


def test_every_staff_form_control_has_a_name(site: Site, page: Page) -> None:
    page.goto(site("/staff/sign-in"))
    assert _every_control_is_named(page) == 3
    sign_in(page, site, "alice")
    page.get_by_role("link", name="New draft", exact=True).click()
    page.wait_for_url(site("/staff/bulletins/new"))
    page.get_by_text("Section overrides (optional)").click()  # open the details
    assert _every_control_is_named(page) > 15
    expect(page.get_by_role("checkbox", name="XenServer 8.4")).to_be_visible()
    expect(page.get_by_role("group", name="Affected versions")).to_be_visible()
