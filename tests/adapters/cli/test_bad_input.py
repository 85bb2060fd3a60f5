"""Bad input: one line naming the file and field, a non-zero exit, and no change."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.cli.conftest import Herald, Result, add_staff, assert_one_line_error
from tests.adapters.cli.test_commands import DRAFT


def _assert_one_line(result: Result, exit_code: int, *parts: str) -> None:
    assert_one_line_error(result, *parts, exit_code=exit_code)


def _snapshot(herald: Herald, directory: Path) -> dict[str, bytes]:
    assert herald("export", str(directory)).exit_code == 0
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*.yaml")}


@pytest.mark.parametrize(
    ("edit", "line", "field"),
    [
        (lambda t: t.replace("  - CVE-2026-5000", "  - CVE-26-5000"), 8, "cves[0]"),
        (lambda t: t.replace("severity: Medium", "severity: [Medium"), 7, "invalid YAML"),
        (lambda t: t.replace("title:", "titel:"), 4, "titel"),
        (
            lambda t: t.replace("channel: Normal, mitigation", "channel: Beta, mitigation"),
            15,
            "fixes[1]",
        ),
        (
            lambda t: t.replace("version: '8.4'}\nfixes", "version: '7.0'}\nfixes"),
            12,
            "affected[0]",
        ),
        (
            lambda t: t.replace("problem:", "weaknesses:\n  CVE-2026-5001: [CWE-787]\nproblem:"),
            10,
            "weaknesses.CVE-2026-5001: CVE-2026-5001 is not one of the bulletin's CVEs",
        ),
        (
            lambda t: t.replace("problem:", "weaknesses:\n  CVE-2026-5000: [CWE-999999]\nproblem:"),
            10,
            "weaknesses.CVE-2026-5000[0]: CWE-999999 is not a weakness in CWE 4.14",
        ),
    ],
    ids=[
        "invalid-cve",
        "malformed-yaml",
        "unknown-field",
        "unknown-channel",
        "unknown-version",
        "weakness-of-another-cve",
        "unknown-cwe",
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_field(
    herald: Herald, tmp_path: Path, edit: object, line: int, field: str
) -> None:
    herald("demo")
    before = _snapshot(herald, tmp_path / "before")
    good = tmp_path / "in" / "CTX700002.yaml"
    good.parent.mkdir()
    good.write_text(DRAFT.replace("CTX700001", "CTX700002"), encoding="utf-8")
    bad = tmp_path / "in" / "CTX700003.yaml"
    bad.write_text(edit(DRAFT.replace("CTX700001", "CTX700003")), encoding="utf-8")  # type: ignore[operator]
    result = herald("import", str(tmp_path / "in"))
    _assert_one_line(result, 2, f"CTX700003.yaml:{line}:", field)
    assert _snapshot(herald, tmp_path / "after") == before


def test_a_duplicate_article_id_is_refused(herald: Herald, tmp_path: Path) -> None:
    herald("demo")
    (tmp_path / "a.yaml").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(DRAFT, encoding="utf-8")
    _assert_one_line(
        herald("import", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")),
        2,
        "b.yaml",
        "CTX700001",
    )
    assert herald("import", str(tmp_path / "a.yaml")).exit_code == 0
    taken = tmp_path / "taken.yaml"
    taken.write_text(DRAFT.replace("CTX700001", "CTX696397"), encoding="utf-8")
    _assert_one_line(herald("import", str(taken)), 2, "taken.yaml")


def test_unknown_ids_exit_3(herald: Herald) -> None:
    herald("demo")
    add_staff(herald, "root", "admin")
    for args in (
        ("bulletin", "show", "CTX000001"),
        ("bulletin", "publish", "CTX000001", "--as", "root"),
        ("render", "CTX000001"),
        ("bulletin", "withdraw", "CTX000001", "--summary", "x", "--as", "root"),
        ("bulletin", "approve-change", "CTX000001", "--as", "root"),
    ):
        _assert_one_line(herald(*args), 3, "CTX000001")


def test_rule_breaks_name_the_field_and_change_nothing(herald: Herald, tmp_path: Path) -> None:
    herald("demo")
    (tmp_path / "d.yaml").write_text(
        DRAFT.replace("cves:\n  - CVE-2026-5000\n", ""), encoding="utf-8"
    )
    assert herald("import", str(tmp_path / "d.yaml")).exit_code == 0
    add_staff(herald, "root", "admin")
    root = ("--as", "root")
    _assert_one_line(
        herald("bulletin", "publish", "CTX700001", *root, "--emergency", "zero-day"),
        2,
        "cves:",
        "at least one CVE",
    )
    assert "draft" in herald("bulletin", "show", "CTX700001").stdout
    _assert_one_line(herald("bulletin", "publish", "CTX696397", *root), 2, "already published")
    _assert_one_line(
        herald("bulletin", "amend", "CTX696397", "--summary", "Nothing changed", *root),
        2,
        "changes nothing",
    )
    _assert_one_line(
        herald("bulletin", "amend", "CTX696397", "--add-cve", "CVE-1", "--summary", "x", *root),
        2,
        "--add-cve",
    )
    _assert_one_line(
        herald("bulletin", "amend", "CTX696397", "--severity", "Severe", "--summary", "x", *root),
        2,
        "severity",
    )
    assert herald("bulletin", "show", "CTX696397").stdout.count("revision 1") == 1


def test_missing_files_and_bad_database_urls_are_one_line(herald: Herald, tmp_path: Path) -> None:
    _assert_one_line(herald("import", str(tmp_path / "nowhere.yaml")), 2, "nowhere.yaml")
