"""``herald import`` and published history, as an operator tries it from a fresh clone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.cli.conftest import Herald, add_staff, assert_one_line_error

pytestmark = pytest.mark.usefixtures("database_url")


def _audit_lines(herald: Herald) -> list[str]:
    return herald("audit", "log", "--limit", "500").stdout.splitlines()


def test_a_changed_published_bulletin_needs_amend_and_then_is_an_amendment(
    herald: Herald, tmp_path: Path
) -> None:
    assert herald("demo").exit_code == 0
    assert herald("alerts", "add-email", "reader@example.com").exit_code == 0
    assert herald("export", str(tmp_path / "source")).exit_code == 0
    source = tmp_path / "source" / "bulletins" / "CTX696397.yaml"
    text = source.read_text(encoding="utf-8")
    assert "severity: Medium\n" in text
    source.write_text(text.replace("severity: Medium\n", "severity: Low\n"), encoding="utf-8")
    before = _audit_lines(herald)
    assert before

    refused = herald("import", str(tmp_path / "source"))
    assert_one_line_error(refused, "CTX696397.yaml", "CTX696397", "severity", "--amend")
    assert "revision 1" in herald("bulletin", "show", "CTX696397").stdout
    assert _audit_lines(herald) == before

    dry = herald("import", str(tmp_path / "source"), "--amend", "--summary", "Low", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "bulletin:CTX696397 would be amended: severity" in dry.stdout
    assert "-severity: Medium" in dry.stdout and "+severity: Low" in dry.stdout
    assert "dry run, nothing stored" in dry.stdout
    assert "revision 1" in herald("bulletin", "show", "CTX696397").stdout
    assert _audit_lines(herald) == before

    amended = herald(
        "import", str(tmp_path / "source"), "--amend", "--summary", "Severity lowered to Low"
    )
    assert amended.exit_code == 0, amended.stderr
    assert "bulletin:CTX696397 amended: severity (emergency path" in amended.stdout
    shown = herald("bulletin", "show", "CTX696397").stdout
    assert "revision 2" in shown and "severity: Low" in shown
    assert "Severity lowered to Low" in herald("render", "CTX696397").stdout
    after = _audit_lines(herald)
    assert before and after[len(after) - len(before) :] == before
    new_entries = after[: len(after) - len(before)]
    assert [line.split()[3:6] for line in new_entries] == [
        ["cli", "bulletin.emergency", "bulletin:CTX696397"],
        ["cli", "bulletin.amend", "bulletin:CTX696397"],
    ]
    deliveries = herald("alerts", "deliveries", "CTX696397").stdout
    assert "reader@example.com" in deliveries and "pending" in deliveries
    assert "emergency amend by cli" in herald("bulletin", "waiting").stdout
    verified = herald("audit", "verify")
    assert verified.exit_code == 0 and "audit log intact" in verified.stdout


def test_a_named_publisher_s_import_amendment_waits_for_a_reviewer(
    herald: Herald, tmp_path: Path
) -> None:
    assert herald("demo").exit_code == 0
    add_staff(herald, "pat", "publisher")
    add_staff(herald, "bob", "reviewer")
    herald("export", str(tmp_path / "source"))
    source = tmp_path / "source" / "bulletins" / "CTX696397.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("severity: Medium\n", "severity: High\n"),
        encoding="utf-8",
    )
    proposed = herald(
        "import", str(source), "--amend", "--summary", "Raised to High", "--as", "pat"
    )
    assert proposed.exit_code == 0, proposed.stderr
    assert "bulletin:CTX696397 proposed (waits for a second person): severity" in proposed.stdout
    assert "revision 1" in herald("bulletin", "show", "CTX696397").stdout
    assert herald("bulletin", "approve-change", "CTX696397", "--as", "bob").exit_code == 0
    assert "severity: High" in herald("bulletin", "show", "CTX696397").stdout
    assert herald("audit", "verify").exit_code == 0


def test_import_options_that_need_amend_say_so(herald: Herald, tmp_path: Path) -> None:
    assert herald("demo").exit_code == 0
    herald("export", str(tmp_path / "source"))
    assert_one_line_error(
        herald("import", str(tmp_path / "source"), "--summary", "x"), "--amend", exit_code=2
    )
    assert_one_line_error(
        herald("import", str(tmp_path / "source"), "--as", "nobody"), "--as", exit_code=2
    )


def test_weaknesses_come_in_by_import_and_go_with_their_cve(herald: Herald, tmp_path: Path) -> None:
    assert herald("demo").exit_code == 0
    add_staff(herald, "root", "admin")
    assert herald("export", str(tmp_path / "source")).exit_code == 0
    source = tmp_path / "source" / "bulletins" / "CTX696397.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace(
            "cves:\n  - CVE-2026-4397\n",
            "cves:\n  - CVE-2026-4397\n  - CVE-2026-4398\n"
            "weaknesses:\n  CVE-2026-4397: [CWE-787]\n  CVE-2026-4398: [cwe-20]\n",
        ),
        encoding="utf-8",
    )
    amended = herald("import", str(tmp_path / "source"), "--amend", "--summary", "CWE ids")
    assert amended.exit_code == 0, amended.stderr
    assert "amended: cves, weaknesses" in amended.stdout
    rendered = herald("render", "CTX696397").stdout
    assert "    Weakness: CWE-20 Improper Input Validation\n" in rendered

    removed = herald(
        "bulletin",
        *("amend", "CTX696397", "--remove-cve", "CVE-2026-4398", "--summary", "Not ours"),
        *("--as", "root", "--emergency", "a test"),
    )
    assert removed.exit_code == 0, removed.stderr
    assert herald("export", str(tmp_path / "after")).exit_code == 0
    after = (tmp_path / "after" / "bulletins" / "CTX696397.yaml").read_text(encoding="utf-8")
    assert "cves:\n  - CVE-2026-4397\nweaknesses:\n  CVE-2026-4397:\n    - CWE-787\n" in after
