"""The review and embargo workflow through the staff pages, on both databases."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from herald.adapters.web.staff import audit as staff_audit
from herald.bootstrap import Herald
from herald.domain.bulletin import INITIAL_PUBLICATION, Status
from herald.domain.errors import NotFound
from tests.adapters.web.conftest import MovableClock, later
from tests.adapters.web.staff_support import (
    StaffClient,
    bulletin_form,
    local_input,
    new_id,
    signed_in,
)

REFERENCE = "CTX696397"


def _approved(app: FastAPI) -> tuple[str, StaffClient]:
    """A bulletin alice wrote and bob approved; carol's browser."""
    alice = signed_in(app, "alice")
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form()))
    assert alice.post(f"/staff/bulletins/{article}/submit").status_code == 303
    bob = signed_in(app, "bob")
    assert bob.post(f"/staff/bulletins/{article}/approve").status_code == 303
    return article, signed_in(app, "carol")


def test_draft_review_schedule_and_release_on_time(
    app: FastAPI, client: TestClient, herald: Herald, staff: dict[str, str], clock: MovableClock
) -> None:
    alice = signed_in(app, "alice")
    created = alice.post("/staff/bulletins/new", bulletin_form())
    article = new_id(created)
    assert "draft created" in alice.get(f"/staff/bulletins/{article}").text
    assert herald.reading.bulletin(article).created_by == "alice"

    assert alice.post(f"/staff/bulletins/{article}/submit").status_code == 303
    assert herald.reading.bulletin(article).status is Status.IN_REVIEW
    assert alice.post(f"/staff/bulletins/{article}/approve").status_code == 403

    bob = signed_in(app, "bob")
    page = bob.get(f"/staff/bulletins/{article}")
    assert f'action="/staff/bulletins/{article}/approve"' in page.text
    assert bob.post(f"/staff/bulletins/{article}/approve").status_code == 303
    assert herald.reading.bulletin(article).approved_by == "bob"

    carol = signed_in(app, "carol")
    page = carol.get(f"/staff/bulletins/{article}")
    assert 'type="datetime-local"' in page.text and "(UTC)" in page.text
    release_at = later(clock, hours=1)
    scheduled = carol.post(
        f"/staff/bulletins/{article}/schedule", {"release_at": local_input(release_at)}
    )
    assert scheduled.status_code == 303
    assert herald.reading.bulletin(article).release_at == release_at
    assert (
        "publishes itself at 2026-11-02 11:00 UTC" in carol.get(f"/staff/bulletins/{article}").text
    )

    assert client.get(f"/bulletins/{article}").status_code == 404
    clock.advance(timedelta(hours=1, seconds=1))
    public = client.get(f"/bulletins/{article}")
    assert public.status_code == 200
    assert INITIAL_PUBLICATION in public.text
    assert "2026-11-02" in public.text
    released = herald.reading.bulletin(article)
    assert released.status is Status.PUBLISHED
    assert released.changelog[0].on.isoformat() == "2026-11-02"
    assert released.published_at == release_at


def test_nobody_approves_their_own_bulletin(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    root = signed_in(app, "root")
    article = new_id(root.post("/staff/bulletins/new", bulletin_form()))
    assert root.post(f"/staff/bulletins/{article}/submit").status_code == 303
    response = root.post(f"/staff/bulletins/{article}/approve")
    assert response.status_code == 422
    assert "approved by a reviewer who is not its author" in response.text
    assert herald.reading.bulletin(article).status is Status.IN_REVIEW


def test_a_reviewer_sends_a_bulletin_back(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form()))
    alice.post(f"/staff/bulletins/{article}/submit")
    bob = signed_in(app, "bob")
    assert bob.post(f"/staff/bulletins/{article}/request-changes").status_code == 303
    assert herald.reading.bulletin(article).status is Status.DRAFT


def test_publish_now_and_unschedule(app: FastAPI, herald: Herald, staff: dict[str, str]) -> None:
    article, carol = _approved(app)
    release = {"release_at": "2026-12-01T09:30"}
    assert carol.post(f"/staff/bulletins/{article}/schedule", release).status_code == 303
    assert herald.reading.bulletin(article).status is Status.SCHEDULED
    assert carol.post(f"/staff/bulletins/{article}/unschedule").status_code == 303
    unscheduled = herald.reading.bulletin(article)
    assert unscheduled.status is Status.APPROVED and unscheduled.release_at is None
    assert carol.post(f"/staff/bulletins/{article}/publish").status_code == 303
    published = herald.reading.bulletin(article)
    assert published.status is Status.PUBLISHED
    assert published.changelog[0].on.isoformat() == "2026-11-02"


def test_a_schedule_in_the_past_or_unreadable_is_refused(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    article, carol = _approved(app)
    for value, message in [
        ("2026-11-02T09:59", "must be in the future"),
        ("next tuesday", "is not a date and time"),
        ("", "give the date and time"),
    ]:
        response = carol.post(f"/staff/bulletins/{article}/schedule", {"release_at": value})
        assert response.status_code == 422
        assert 'id="release_at-error"' in response.text
        assert message in html.unescape(response.text)
    assert herald.reading.bulletin(article).status is Status.APPROVED


def test_an_amendment_needs_a_summary(app: FastAPI, herald: Herald, staff: dict[str, str]) -> None:
    carol = signed_in(app, "carol")
    form = carol.get(f"/staff/bulletins/{REFERENCE}/amend")
    assert form.status_code == 200
    assert 'name="summary"' in form.text
    changed = bulletin_form(
        title="XenServer Security Update for CVE-2026-4397",
        cves="CVE-2026-4397",
        severity="High",
    )
    missing = carol.post(f"/staff/bulletins/{REFERENCE}/amend", changed)
    assert missing.status_code == 422
    assert 'id="summary-error"' in missing.text
    assert herald.reading.bulletin(REFERENCE).revision == 1

    done = carol.post(
        f"/staff/bulletins/{REFERENCE}/amend", {**changed, "summary": "Raised the severity"}
    )
    assert done.status_code == 303
    assert herald.reading.bulletin(REFERENCE).revision == 1  # material: waits for bob
    assert signed_in(app, "bob").post(f"/staff/bulletins/{REFERENCE}/approve-change").is_redirect
    amended = herald.reading.bulletin(REFERENCE)
    assert amended.revision == 2
    assert amended.severity == "High"
    assert amended.changelog[-1].summary == "Raised the severity"


def test_an_author_cannot_amend(app: FastAPI, staff: dict[str, str]) -> None:
    alice = signed_in(app, "alice")
    assert alice.get(f"/staff/bulletins/{REFERENCE}/amend").status_code == 403
    assert alice.post(f"/staff/bulletins/{REFERENCE}/amend", bulletin_form()).status_code == 403
    assert alice.get(f"/staff/bulletins/{REFERENCE}/edit").status_code == 303


def test_withdrawing_needs_a_reason(app: FastAPI, herald: Herald, staff: dict[str, str]) -> None:
    carol = signed_in(app, "carol")
    missing = carol.post(f"/staff/bulletins/{REFERENCE}/withdraw", {"summary": "  "})
    assert missing.status_code == 422
    assert 'id="summary-error"' in missing.text
    assert herald.reading.bulletin(REFERENCE).status is Status.PUBLISHED
    done = carol.post(
        f"/staff/bulletins/{REFERENCE}/withdraw", {"summary": "Withdrawn: not affected"}
    )
    assert done.status_code == 303
    assert herald.reading.bulletin(REFERENCE).status is Status.PUBLISHED  # waits for bob
    assert signed_in(app, "bob").post(f"/staff/bulletins/{REFERENCE}/approve-change").is_redirect
    withdrawn = herald.reading.bulletin(REFERENCE)
    assert withdrawn.status is Status.WITHDRAWN
    assert withdrawn.changelog[-1].summary == "Withdrawn: not affected"


def test_deleting_drafts_but_never_published_bulletins(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form()))
    response = alice.post(f"/staff/bulletins/{article}/delete")
    assert response.status_code == 303 and response.headers["location"] == "/staff/"
    with pytest.raises(NotFound):
        herald.reading.bulletin(article)
    root = signed_in(app, "root")
    refused = root.post(f"/staff/bulletins/{REFERENCE}/delete")
    assert refused.status_code == 422
    assert "never deleted, only withdrawn" in refused.text


def test_editing_an_approved_bulletin_sends_it_back_to_draft(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    article, _ = _approved(app)
    alice = signed_in(app, "alice")
    page = alice.get(f"/staff/bulletins/{article}/edit")
    assert "sends it back to draft" in page.text
    assert "CVE-2026-5001" in page.text
    saved = alice.post(f"/staff/bulletins/{article}/edit", bulletin_form(severity="Critical"))
    assert saved.status_code == 303
    edited = herald.reading.bulletin(article)
    assert edited.status is Status.DRAFT and edited.severity == "Critical"
    assert edited.approved_by is None


def test_the_dashboard_lists_bulletins_by_status(app: FastAPI, staff: dict[str, str]) -> None:
    article, carol = _approved(app)
    page = carol.get("/staff/").text
    approved = page.split('id="status-approved"', 1)[1].split("</section>", 1)[0]
    assert article in approved
    published = page.split('id="status-published"', 1)[1].split("</section>", 1)[0]
    assert REFERENCE in published
    assert "Draft (0)" in page


# --- the audit log ------------------------------------------------------------------------


def _entries(page: str) -> list[tuple[str, str, str]]:
    """(actor, action, subject) of each entry on an audit page, in order."""
    found = re.findall(
        r'<strong class="actor">([^<]+)</strong>\s*· <code class="action">([^<]+)</code>\s*'
        r"· <a [^>]*>([^<]+)</a>",
        page,
    )
    return [(actor, action, subject) for actor, action, subject in found]


def test_the_audit_log_records_every_step_newest_first(
    app: FastAPI, herald: Herald, staff: dict[str, str], clock: MovableClock
) -> None:
    article, carol = _approved(app)
    carol.post(f"/staff/bulletins/{article}/schedule", {"release_at": "2026-11-02T10:30"})
    clock.advance(timedelta(hours=1))
    herald.authoring.release_due()

    root = signed_in(app, "root")
    page = root.get(f"/staff/audit?subject=bulletin:{article}")
    assert page.status_code == 200
    assert _entries(page.text) == [
        ("system", "bulletin.release", f"bulletin:{article}"),
        ("carol", "bulletin.schedule", f"bulletin:{article}"),
        ("bob", "bulletin.approve", f"bulletin:{article}"),
        ("alice", "bulletin.submit", f"bulletin:{article}"),
        ("alice", "bulletin.create", f"bulletin:{article}"),
    ]
    assert '<span class="remove">-status: scheduled</span>' in page.text
    assert '<span class="add">+status: published</span>' in page.text
    everything = _entries(root.get("/staff/audit").text)
    assert ("cli", "user.add", "user:alice") in everything


def test_the_audit_log_pages_backwards(
    app: FastAPI, staff: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staff_audit, "PAGE_SIZE", 3)
    root = signed_in(app, "root")
    first = root.get("/staff/audit").text
    link = re.search(r'href="(/staff/audit\?before_id=\d+)" rel="next"', first)
    assert link is not None
    second = root.get(link.group(1)).text
    shown = _entries(first) + _entries(second)
    assert len(_entries(first)) == 3
    assert [entry for entry in shown if entry[1] == "user.add"] == [
        ("cli", "user.add", f"user:{name}") for name in ("root", "carol", "bob", "alice")
    ]


@pytest.mark.parametrize(
    "query", ["subject=%00", "subject=" + "a" * 100, "before_id=0", "before_id=abc"]
)
def test_odd_audit_queries_are_422(app: FastAPI, staff: dict[str, str], query: str) -> None:
    root = signed_in(app, "root")
    response = root.get(f"/staff/audit?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.text
