"""The second person on the staff pages: amendments that wait, emergency steps reviewed
after the fact, and the admin's review policy; on both databases."""

from __future__ import annotations

import html

from fastapi import FastAPI

from herald.bootstrap import Herald
from herald.domain.bulletin import Status
from tests.adapters.web.staff_support import bulletin_form, new_id, signed_in

REFERENCE = "CTX696397"
RAISED = bulletin_form(
    title="XenServer Security Update for CVE-2026-4397",
    cves="CVE-2026-4397",
    severity="High",
    cvss="",
)


def _actions(herald: Herald, subject: str) -> list[tuple[str, str]]:
    with herald.database.unit_of_work() as uow:
        entries = uow.audit.list(subject=subject, limit=50)
    return [(e.actor, e.action) for e in entries]


def test_a_material_amendment_waits_for_someone_else(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    carol = signed_in(app, "carol")
    proposed = carol.post(
        f"/staff/bulletins/{REFERENCE}/amend", {**RAISED, "summary": "Raised the severity"}
    )
    assert proposed.status_code == 303
    shown = html.unescape(carol.get(f"/staff/bulletins/{REFERENCE}").text)
    assert "the change waits for a second person" in shown
    assert "A change waits for a second person" in shown
    assert "amendment of severity" in shown and "proposed by carol" in shown
    assert "approve-change" not in shown  # not to its proposer
    assert herald.reading.bulletin(REFERENCE).severity == "Medium"
    assert "severity-medium" in carol.get(f"/bulletins/{REFERENCE}").text
    assert carol.post(f"/staff/bulletins/{REFERENCE}/approve-change").status_code == 403

    bob = signed_in(app, "bob")
    dashboard = html.unescape(bob.get("/staff/").text)
    assert "Waiting for a second person (1)" in dashboard
    assert f"{REFERENCE}</a>: amendment of severity" in dashboard
    again = carol.post(f"/staff/bulletins/{REFERENCE}/amend", {**RAISED, "summary": "Again"})
    assert again.status_code == 409
    assert "waiting for approval" in html.unescape(again.text)

    approved = bob.post(f"/staff/bulletins/{REFERENCE}/approve-change")
    assert approved.status_code == 303
    stored = herald.reading.bulletin(REFERENCE)
    assert (stored.severity, stored.revision) == ("High", 2)
    assert stored.changelog[-1].summary == "Raised the severity"
    assert "Waiting for a second person" not in bob.get("/staff/").text
    assert _actions(herald, f"bulletin:{REFERENCE}")[:2] == [
        ("bob", "bulletin.approve_amend"),
        ("carol", "bulletin.propose_amend"),
    ]


def test_an_editorial_amendment_goes_straight_and_a_withdrawal_can_be_discarded(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form()))
    assert alice.post(f"/staff/bulletins/{article}/submit").is_redirect
    assert signed_in(app, "bob").post(f"/staff/bulletins/{article}/approve").is_redirect
    carol = signed_in(app, "carol")
    assert carol.post(f"/staff/bulletins/{article}/publish").is_redirect

    retitled = bulletin_form(title="A clearer title", summary="Clarified the title")
    done = carol.post(f"/staff/bulletins/{article}/amend", retitled)
    assert done.status_code == 303
    assert "amended (revision 2)" in html.unescape(carol.get(f"/staff/bulletins/{article}").text)
    assert herald.reading.bulletin(article).title == "A clearer title"

    page = html.unescape(carol.get(f"/staff/bulletins/{article}").text)
    assert "Review policy: material amendments" in page
    withdrawal = carol.post(f"/staff/bulletins/{article}/withdraw", {"summary": "Duplicate"})
    assert withdrawal.status_code == 303
    assert herald.reading.bulletin(article).status is Status.PUBLISHED
    alice = signed_in(app, "alice")
    assert alice.post(f"/staff/bulletins/{article}/discard-change").status_code == 403
    discarded = carol.post(f"/staff/bulletins/{article}/discard-change")
    assert discarded.status_code == 303
    assert herald.authoring.proposal(article) is None
    assert herald.reading.bulletin(article).status is Status.PUBLISHED
    assert _actions(herald, f"bulletin:{article}")[:3] == [
        ("carol", "bulletin.discard_withdraw"),
        ("carol", "bulletin.propose_withdraw"),
        ("carol", "bulletin.amend"),
    ]


def test_an_admin_publishes_in_an_emergency_and_someone_else_reviews_it(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, "alice")
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form()))
    carol = signed_in(app, "carol")
    assert "emergency-publish" not in carol.get(f"/staff/bulletins/{article}").text
    assert (
        carol.post(
            f"/staff/bulletins/{article}/emergency-publish", {"emergency": "zero-day"}
        ).status_code
        == 403
    )

    root = signed_in(app, "root")
    page = root.get(f"/staff/bulletins/{article}")
    assert f'action="/staff/bulletins/{article}/emergency-publish"' in page.text
    blank = root.post(f"/staff/bulletins/{article}/emergency-publish", {"emergency": "  "})
    assert blank.status_code == 422
    assert 'id="emergency-error"' in blank.text
    assert herald.reading.bulletin(article).status is Status.DRAFT

    reason = "Exploited in the wild; the details are already public"
    published = root.post(f"/staff/bulletins/{article}/emergency-publish", {"emergency": reason})
    assert published.status_code == 303
    assert herald.reading.bulletin(article).status is Status.PUBLISHED
    dashboard = html.unescape(root.get("/staff/").text)
    assert f"{article}</a>: emergency publish by root" in dashboard and reason in dashboard

    own = root.post(f"/staff/bulletins/{article}/review-emergency")
    assert own.status_code == 422
    assert "someone else" in html.unescape(own.text)
    bob = signed_in(app, "bob")
    assert bob.post(f"/staff/bulletins/{article}/review-emergency").status_code == 303
    assert "Waiting for a second person" not in root.get("/staff/").text
    assert _actions(herald, f"bulletin:{article}")[:3] == [
        ("bob", "bulletin.emergency_review"),
        ("root", "bulletin.emergency"),
        ("root", "bulletin.publish"),
    ]


def test_the_review_policy_is_an_admin_setting(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    carol = signed_in(app, "carol")
    assert carol.get("/staff/settings").status_code == 403
    assert carol.post("/staff/settings/review-policy", {"amendments": "none"}).status_code == 403
    root = signed_in(app, "root")
    page = root.get("/staff/settings")
    assert page.status_code == 200
    assert 'id="current-policy">material<' in page.text
    bad = root.post("/staff/settings/review-policy", {"amendments": "sometimes"})
    assert bad.status_code == 422 and 'id="amendments-error"' in bad.text
    assert root.post("/staff/settings/review-policy", {"amendments": "none"}).status_code == 303
    assert 'id="current-policy">none<' in root.get("/staff/settings").text
    assert _actions(herald, "settings:review_policy") == [("root", "settings.review_policy")]

    done = carol.post(f"/staff/bulletins/{REFERENCE}/amend", {**RAISED, "summary": "Raised"})
    assert done.status_code == 303
    assert herald.reading.bulletin(REFERENCE).revision == 2
