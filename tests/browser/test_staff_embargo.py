"""Three staff members take a bulletin from draft to an embargo that lifts on its own.

alice (author) writes and submits it, bob (reviewer) approves it, carol (publisher)
schedules it a few seconds ahead. Until that instant a reader's browser gets 404 and an
unchanged list; afterwards the server itself (its embargo task, or the read) publishes it.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, Site, listed, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TITLE = "XenServer Security Update for CVE-2026-9001"
PROBLEM = "A **crafted** request from a guest VM may stop the XenServer 8.4 host (marker Q7ZK)."
MARGIN = timedelta(seconds=10)
"""The least time between scheduling and the release instant: room for the reader's checks,
even on a busy machine."""
PUBLISHED_WITHIN = timedelta(seconds=10)
"""How long after the instant the bulletin may take to show."""


def release_value(now: datetime, step: str | None) -> tuple[datetime, str]:
    """The release instant and the ``datetime-local`` value (UTC) that schedules it.

    With ``step="1"`` (or ``any``) the field takes seconds: the next whole second plus the
    margin. Otherwise (the default step is 60 s) the first whole minute past the margin.
    """
    earliest = now + MARGIN
    if step in {"1", "any"}:
        instant = earliest.replace(microsecond=0) + timedelta(seconds=1)
        return instant, instant.strftime("%Y-%m-%dT%H:%M:%S")
    instant = earliest.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return instant, instant.strftime("%Y-%m-%dT%H:%M")


def write_draft(page: Page, site: Site) -> str:
    """alice writes a complete draft, previews it and saves it; its article id."""
    page.get_by_role("link", name="New draft", exact=True).click()
    page.wait_for_url(site("/staff/bulletins/new"))
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Severity").select_option("High")
    page.get_by_label("CVE ids").fill("CVE-2026-9001")
    page.get_by_label("Problem").fill(PROBLEM)
    page.get_by_role("checkbox", name="XenServer 8.4").check()
    page.get_by_label("XenServer 8.4 — Early Access: fixed in").select_option("8.4.2026-03-19")
    page.get_by_label("XenServer 8.4 — Normal: fixed in").select_option("8.4.2026-03-24")

    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    preview = page.locator("#preview")
    expect(preview.locator(".preview-title")).to_have_text(TITLE)
    expect(preview.locator("strong", has_text="crafted")).to_be_visible()  # Markdown rendered
    expect(preview).to_contain_text("(marker Q7ZK)")
    expect(preview).to_contain_text("CVE-2026-9001")
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)  # the form is kept

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/staff/bulletins/CTX\d+$"))
    article_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("status").first).to_have_text(f"{article_id} draft created.")
    return article_id


def take_step(page: Page, site: Site, article_id: str, button: str, done: str) -> None:
    page.goto(site(f"/staff/bulletins/{article_id}"))
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(site(f"/staff/bulletins/{article_id}"))
    expect(page.get_by_role("status").first).to_have_text(f"{article_id} {done}.")


def test_a_scheduled_bulletin_publishes_itself_on_time(fresh_site: Site, new_page: NewPage) -> None:
    site = fresh_site
    staff = new_page()

    sign_in(staff, site, "alice")
    article_id = write_draft(staff, site)
    take_step(staff, site, article_id, "Submit for review", "submitted for review")
    sign_out(staff)

    sign_in(staff, site, "bob")
    take_step(staff, site, article_id, "Approve", "approved")
    sign_out(staff)

    sign_in(staff, site, "carol")
    staff.goto(site(f"/staff/bulletins/{article_id}"))
    field = staff.get_by_label("Schedule publication at (UTC)")
    instant, value = release_value(datetime.now(UTC), field.get_attribute("step"))
    field.fill(value)
    staff.get_by_role("button", name="Schedule").click()
    staff.wait_for_url(site(f"/staff/bulletins/{article_id}"))
    expect(staff.get_by_role("status").first).to_have_text(
        f"{article_id} scheduled: it publishes itself at {instant:%Y-%m-%d %H:%M} UTC."
    )
    expect(staff.locator(f'time[datetime="{instant.isoformat()}"]')).to_be_visible()

    reader = new_page()  # a browser context of its own: no staff cookie
    response = reader.goto(site(f"/bulletins/{article_id}"))
    assert response is not None and response.status == 404
    reader.goto(site(f"/?q={article_id}"))
    expect(reader.get_by_role("status")).to_have_text("No bulletins match these filters.")
    for path in (f"/api/v1/bulletins/{article_id}", f"/bulletins/{article_id}.json"):
        assert reader.request.get(site(path)).status == 404, path
    for path in ("/feeds/bulletins.atom", "/sitemap.xml", "/products/xenserver"):
        assert article_id not in reader.request.get(site(path)).text(), path
    reader.goto(site("/"))
    assert listed(reader) == ["CTX696397"]
    assert datetime.now(UTC) < instant, "the checks under embargo ran past the instant"

    while True:  # the bulletin shows up by itself: never before the instant, soon after
        reader.reload()
        seen_at = datetime.now(UTC)
        if article_id in listed(reader):
            break
        assert seen_at < instant + PUBLISHED_WITHIN, f"{article_id} still not public"
        time.sleep(1.0 if seen_at < instant - timedelta(seconds=2) else 0.25)
    assert seen_at >= instant, f"{article_id} was public before {instant:%H:%M:%S}"

    reader.get_by_role("link", name=article_id).click()
    reader.wait_for_url(site(f"/bulletins/{article_id}"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    change_log = reader.locator("section[aria-labelledby=change-log]")
    expect(change_log.get_by_role("listitem")).to_have_text(
        [f"{instant:%Y-%m-%d} Initial Publication"]
    )
    expect(reader.locator("article.bulletin")).to_contain_text("(marker Q7ZK)")

    staff.reload()
    expect(staff.locator(".status")).to_have_text("published")
