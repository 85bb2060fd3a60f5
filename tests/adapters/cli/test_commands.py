"""The commands of issue #2, end to end: demo, render, import, export, bulletin …"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.adapters.cli.conftest import Herald
from tests.reference import REFERENCE, reference_differences

pytestmark = pytest.mark.usefixtures("database_url")


def test_render_reproduces_the_reference_bulletin(herald: Herald) -> None:
    if not REFERENCE.is_file():
        pytest.skip(f"the reference capture is not at {REFERENCE}")
    assert herald("demo").exit_code == 0
    result = herald("render", "CTX696397", "--format", "text")
    assert result.exit_code == 0, result.stderr
    differences = reference_differences(result.stdout)
    assert not differences, f"`herald render` differs from the reference:\n{differences}"


def test_every_format_renders(herald: Herald) -> None:
    herald("demo")
    html = herald("render", "CTX696397", "--format", "html").stdout
    assert html.startswith("<!doctype html>")
    assert "<h1" in html and "CVE-2026-4397" in html
    markdown = herald("render", "CTX696397", "--format", "markdown").stdout
    assert markdown.startswith("# XenServer Security Update for CVE-2026-4397")
    document = json.loads(herald("render", "CTX696397", "--format", "json").stdout)
    assert document["article_id"] == "CTX696397"
    assert document["revision"] == 1


def test_demo_loads_once(herald: Herald) -> None:
    assert "demo data loaded" in herald("demo").stdout
    again = herald("demo")
    assert again.exit_code == 0
    assert "already holds data" in again.stdout


def test_list_show_and_catalog(herald: Herald) -> None:
    herald("demo")
    listing = herald("bulletin", "list")
    assert "CTX696397" in listing.stdout and "published" in listing.stdout
    shown = herald("bulletin", "show", "CTX696397").stdout
    assert "2026-03-24 Initial Publication" in shown
    assert "xenserver 8.4 / Normal: fixed in 8.4.2026-03-24" in shown
    catalog = herald("catalog", "show").stdout
    assert "9 (Public Preview)" in catalog
    assert "8.4.2026-03-19  2026-03-19" in catalog


def test_export_then_import_is_lossless(herald: Herald, tmp_path: Path) -> None:
    herald("demo")
    assert herald("export", str(tmp_path / "first")).exit_code == 0
    files = sorted(
        p.relative_to(tmp_path / "first").as_posix() for p in (tmp_path / "first").rglob("*.yaml")
    )
    assert files == ["bulletins/CTX696397.yaml", "products/xenserver.yaml", "publisher.yaml"]
    imported = herald("import", str(tmp_path / "first"))
    assert imported.exit_code == 0
    assert "0 created, 0 updated, 3 unchanged" in imported.stdout
    herald("export", str(tmp_path / "second"))
    for path in (tmp_path / "first").rglob("*.yaml"):
        twin = tmp_path / "second" / path.relative_to(tmp_path / "first")
        assert twin.read_bytes() == path.read_bytes()


DRAFT = """\
schema: herald/v1
kind: bulletin
article_id: CTX700001
title: XenServer Security Update for CVE-2026-5000
status: draft
severity: Medium
cves:
  - CVE-2026-5000
problem: |
  An issue has been identified in XenServer 8.4 that may allow a guest to crash the host.
affected:
  - {product: xenserver, version: '8.4'}
fixes:
  - {product: xenserver, version: '8.4', channel: Early Access, release: 8.4.2026-03-19}
  - {product: xenserver, version: '8.4', channel: Normal, mitigation: Disable PCI passthrough.}
created_at: 2026-03-30T08:00:00Z
"""
