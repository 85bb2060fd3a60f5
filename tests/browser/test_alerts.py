"""A reader subscribes to alerts on a phone and confirms by the emailed link, against
the real ``herald serve`` whose in-process worker writes the email to its Maildir."""

from __future__ import annotations

import email
import email.policy
import re
import time
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, NewPage, Site, shoot
from tests.browser.test_accessibility import _every_control_is_named

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MAIL_WAIT_SECONDS = 30.0
"""How long the worker (polling every second) may take to write the email."""


def _confirmation(maildir: Path, address: str) -> EmailMessage:
    """The first message to ``address`` in the Maildir, once the worker wrote it."""
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    while time.monotonic() < deadline:
        for file in sorted((maildir / "new").glob("*")) if (maildir / "new").exists() else []:
            message = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
            if isinstance(message, EmailMessage) and message["To"] == address:
                return message
        time.sleep(0.2)
    pytest.fail(f"no email to {address} in {maildir} after {MAIL_WAIT_SECONDS:.0f} s")


def _no_sideways_scroll(page: Page) -> bool:
    fits: bool = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    return fits


def test_subscribe_and_confirm_on_a_phone(
    fresh_site: Site, new_page: NewPage, tmp_path: Path
) -> None:
    site = fresh_site
    page = new_page(PHONE)
    page.goto(site("/bulletins/CTX696397"))
    page.get_by_role("link", name=re.compile("Get an email when")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subscribe to security alerts")
    assert _no_sideways_scroll(page)

    page.get_by_label("Email address").fill("reader@example.com")
    page.get_by_label(re.compile(r"XenServer, every version")).check()
    page.get_by_label("Lowest severity").select_option("High")
    page.get_by_label("Yes, every change").check()
    shoot(page, "alerts-subscribe-phone")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    expect(page.get_by_role("status")).to_contain_text("reader@example.com")

    message = _confirmation(tmp_path / "var" / "mail", "reader@example.com")
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"https?://\S+/alerts/confirm\?token=\S+", body.get_content())
    assert found is not None
    link = found.group(0)
    assert urlsplit(link).netloc == urlsplit(site.url).netloc

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    assert _no_sideways_scroll(page)

    page.goto(link)  # single use
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")


def test_a_mistyped_address_is_shown_next_to_its_field(fresh_site: Site, new_page: NewPage) -> None:
    page = new_page(PHONE)
    page.goto(fresh_site("/alerts/subscribe"))
    page.get_by_label("Email address").fill("reader at example.com")
    page.get_by_role("button", name="Subscribe").click()
    field = page.get_by_label("Email address")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_contain_text("is not an email address")
    expect(page.get_by_role("alert")).to_contain_text("Email address")


@pytest.mark.parametrize("path", ["/alerts/subscribe", "/alerts/unsubscribe?token=t"])
def test_alert_pages_have_one_h1_and_named_controls(site: Site, page: Page, path: str) -> None:
    page.goto(site(path))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    assert _every_control_is_named(page) >= 1
    expect(page.get_by_role("link", name="Alerts", exact=True)).to_be_visible()


def test_the_subscribe_form_is_usable_by_keyboard(site: Site, page: Page) -> None:
    page.goto(site("/alerts/subscribe"))
    page.get_by_label("Email address").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile(r"XenServer, every version"))).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label(re.compile(r"XenServer, every version"))).to_be_checked()
    expect(page.get_by_role("group", name="Products and versions")).to_be_visible()
    expect(page.get_by_role("group", name="Editorial changes")).to_be_visible()


def test_the_spam_trap_is_out_of_reach_of_people(site: Site, page: Page) -> None:
    """The honeypot field is off screen, skipped by Tab and hidden from screen readers."""
    page.goto(site("/alerts/subscribe"))
    trap = page.locator("#f-website")
    expect(trap).not_to_be_in_viewport()
    assert trap.evaluate("e => e.closest('[aria-hidden=true]') !== null")
    reached: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    assert "f-website" not in reached
    expect(page.get_by_role("button", name="Subscribe")).to_be_focused()
