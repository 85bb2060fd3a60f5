"""The workflow at the command line: each step taken by a named account, under the web's rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.cli.conftest import Herald, add_staff, assert_one_line_error
from tests.adapters.cli.test_commands import DRAFT

pytestmark = pytest.mark.usefixtures("database_url")


@pytest.fixture
def team(herald: Herald, tmp_path: Path) -> Herald:
    """The demo data, a draft CTX700001 and four accounts: alice (author), bob
    (reviewer), pat (publisher), root (admin)."""
    assert herald("demo").exit_code == 0
    for username, role in (
        ("alice", "author"),
        ("bob", "reviewer"),
        ("pat", "publisher"),
        ("root", "admin"),
    ):
        add_staff(herald, username, role)
    draft = tmp_path / "CTX700001.yaml"
    draft.write_text(DRAFT, encoding="utf-8")
    imported = herald("import", str(draft), "--as", "alice")
    assert imported.exit_code == 0, imported.stderr
    return herald


def _status(herald: Herald, article_id: str) -> str:
    shown = herald("bulletin", "show", article_id)
    assert shown.exit_code == 0, shown.stderr
    return shown.stdout.splitlines()[1]


def test_a_draft_is_reviewed_before_it_is_published(team: Herald) -> None:
    herald = team
    assert_one_line_error(herald("bulletin", "publish", "CTX700001"), "--as", exit_code=2)
    assert_one_line_error(
        herald("bulletin", "publish", "CTX700001", "--as", "pat"), "approved first", exit_code=2
    )
    assert_one_line_error(
        herald("bulletin", "submit", "CTX700001", "--as", "nobody"), "--as", "nobody"
    )
    assert _status(herald, "CTX700001").startswith("status: draft")

    assert herald("bulletin", "submit", "CTX700001", "--as", "alice").exit_code == 0
    own = herald("bulletin", "approve", "CTX700001", "--as", "alice")
    assert own.exit_code != 0  # an author may not review, let alone their own draft
    sent_back = herald("bulletin", "request-changes", "CTX700001", "--as", "bob")
    assert sent_back.exit_code == 0, sent_back.stderr
    assert herald("bulletin", "submit", "CTX700001", "--as", "alice").exit_code == 0
    approved = herald("bulletin", "approve", "CTX700001", "--as", "bob")
    assert approved.exit_code == 0, approved.stderr
    assert "approved by bob" in approved.stdout
    published = herald("bulletin", "publish", "CTX700001", "--as", "pat", "--date", "2026-04-01")
    assert published.exit_code == 0, published.stderr
    assert "revision 1" in published.stdout

    log = herald("audit", "log", "--subject", "bulletin:CTX700001")
    actions = [line.split()[3:5] for line in log.stdout.splitlines()]
    assert actions[:5] == [
        ["pat", "bulletin.publish"],
        ["bob", "bulletin.approve"],
        ["alice", "bulletin.submit"],
        ["bob", "bulletin.request_changes"],
        ["alice", "bulletin.submit"],
    ]
    assert actions[-1] == ["alice", "bulletin.import"]
    assert herald("audit", "verify").exit_code == 0


def test_a_material_amendment_waits_for_a_second_person(team: Herald) -> None:
    herald = team
    herald("bulletin", "submit", "CTX700001", "--as", "alice")
    herald("bulletin", "approve", "CTX700001", "--as", "bob")
    herald("bulletin", "publish", "CTX700001", "--as", "pat", "--date", "2026-04-01")

    editorial = herald(
        "bulletin", "amend", "CTX700001", "--title", "A clearer title", "--summary", "Title"
    )
    assert_one_line_error(editorial, "--as")
    editorial = herald(
        "bulletin",
        *("amend", "CTX700001", "--title", "A clearer title", "--summary", "Clarified the title"),
        *("--as", "pat", "--date", "2026-04-02"),
    )
    assert editorial.exit_code == 0, editorial.stderr
    assert "amended (revision 2)" in editorial.stdout

    material = herald(
        "bulletin",
        *("amend", "CTX700001", "--severity", "High", "--add-cve", "CVE-2026-4398"),
        *("--summary", "Added CVE-2026-4398", "--as", "pat", "--date", "2026-04-03"),
    )
    assert material.exit_code == 0, material.stderr
    assert "waiting for a second person" in material.stdout
    assert "revision 2" in _status(herald, "CTX700001")
    waiting = herald("bulletin", "waiting")
    assert "CTX700001: amendment of severity, cves proposed by pat" in waiting.stdout
    assert_one_line_error(
        herald("bulletin", "amend", "CTX700001", "--title", "x", "--summary", "x", "--as", "pat"),
        "waiting for approval",
        exit_code=4,
    )

    assert herald("bulletin", "approve-change", "CTX700001", "--as", "pat").exit_code != 0
    assert "revision 2" in _status(herald, "CTX700001")
    approved = herald("bulletin", "approve-change", "CTX700001", "--as", "bob")
    assert approved.exit_code == 0, approved.stderr
    assert "revision 3" in approved.stdout

    withdrawal = herald(
        "bulletin", "withdraw", "CTX700001", "--summary", "Duplicate", "--as", "pat"
    )
    assert "waiting for a second person" in withdrawal.stdout
    discarded = herald("bulletin", "discard-change", "CTX700001", "--as", "pat")
    assert discarded.exit_code == 0, discarded.stderr
    assert "nothing waits" in herald("bulletin", "waiting").stdout
    assert "published" in _status(herald, "CTX700001")

    text = herald("render", "CTX700001").stdout
    assert "2026-04-02 Clarified the title" in text
    assert "2026-04-03 Added CVE-2026-4398" in text
    assert "Severity: High" in text
    log = herald("audit", "log", "--subject", "bulletin:CTX700001").stdout.splitlines()
    assert [line.split()[3:5] for line in log[:4]] == [
        ["pat", "bulletin.discard_withdraw"],
        ["pat", "bulletin.propose_withdraw"],
        ["bob", "bulletin.approve_amend"],
        ["pat", "bulletin.propose_amend"],
    ]
    assert herald("audit", "verify").exit_code == 0


def test_the_emergency_path_needs_an_admin_and_a_reason_and_is_reviewed_after(
    team: Herald,
) -> None:
    herald = team
    assert_one_line_error(
        herald("bulletin", "publish", "CTX700001", "--as", "pat", "--emergency", "zero-day"),
        "emergency",
        exit_code=5,
    )
    assert_one_line_error(
        herald("bulletin", "publish", "CTX700001", "--as", "root", "--emergency", " "),
        "emergency: state why",
        exit_code=2,
    )
    assert _status(herald, "CTX700001").startswith("status: draft")
    published = herald(
        "bulletin",
        *("publish", "CTX700001", "--as", "root"),
        *("--emergency", "Exploited in the wild; the advisory is already public"),
    )
    assert published.exit_code == 0, published.stderr
    assert "emergency path" in published.stdout
    waiting = herald("bulletin", "waiting").stdout
    assert "CTX700001: emergency publish by root" in waiting
    assert "Exploited in the wild" in waiting

    assert herald("bulletin", "review-emergency", "CTX700001", "--as", "root").exit_code != 0
    assert herald("bulletin", "review-emergency", "CTX700001", "--as", "alice").exit_code != 0
    reviewed = herald("bulletin", "review-emergency", "CTX700001", "--as", "bob")
    assert reviewed.exit_code == 0, reviewed.stderr
    assert "reviewed the emergency publish by root" in reviewed.stdout
    assert "nothing waits" in herald("bulletin", "waiting").stdout
    log = herald("audit", "log", "--subject", "bulletin:CTX700001").stdout.splitlines()
    assert [line.split()[3:5] for line in log[:3]] == [
        ["bob", "bulletin.emergency_review"],
        ["root", "bulletin.emergency"],
        ["root", "bulletin.publish"],
    ]
    assert herald("audit", "verify").exit_code == 0


def test_the_review_policy_is_an_admin_setting(team: Herald) -> None:
    herald = team
    shown = herald("policy")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("amendments: material")
    assert_one_line_error(herald("policy", "--amendments", "none", "--as", "pat"), exit_code=5)
    assert_one_line_error(
        herald("policy", "--amendments", "sometimes", "--as", "root"), "--amendments", exit_code=2
    )
    assert herald("policy").stdout.startswith("amendments: material")
    changed = herald("policy", "--amendments", "none", "--as", "root")
    assert changed.exit_code == 0, changed.stderr
    assert changed.stdout.startswith("amendments: none")

    herald("bulletin", "submit", "CTX700001", "--as", "alice")
    herald("bulletin", "approve", "CTX700001", "--as", "bob")
    herald("bulletin", "publish", "CTX700001", "--as", "pat")
    straight = herald(
        "bulletin", "amend", "CTX700001", "--severity", "High", "--summary", "High", "--as", "pat"
    )
    assert "amended (revision 2)" in straight.stdout
    log = herald("audit", "log", "--subject", "settings:review_policy").stdout
    assert "root settings.review_policy" in log
