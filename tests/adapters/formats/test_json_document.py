"""The JSON rendering: a stable object with documented fields."""

from __future__ import annotations

import json
from pathlib import Path

from herald.adapters.formats import render_json

from .builders import reference_document, rich_document, withdrawn_document

FIELDS = [
    "format",
    "format_version",
    "article_id",
    "title",
    "status",
    "revision",
    "updated_on",
    "severity",
    "cves",
    "cvss",
    "problem",
    "identifier_intro",
    "affected_statement",
    "not_covered_notes",
    "fixes",
    "sections",
    "changelog",
    "disclaimer",
    "publisher",
]
DOCS = Path(__file__).resolve().parents[3] / "docs" / "renderings.md"


def test_the_demo_as_json() -> None:
    text = render_json(reference_document())
    assert text.endswith("}\n")
    assert text.startswith('{\n  "format": "herald.bulletin",\n')
    data = json.loads(text)
    assert list(data) == FIELDS
    assert data["format_version"] == 1
    assert data["article_id"] == "CTX696397"
    assert data["title"] == "XenServer Security Update for CVE-2026-4397"
    assert data["status"] == "published"
    assert data["revision"] == 1
    assert data["updated_on"] == "2026-03-24"
    assert data["severity"] == "Medium"
    assert data["cves"] == ["CVE-2026-4397"]
    assert data["cvss"] == []
    assert data["affected_statement"] == "This issue affects XenServer 8.4."
    assert data["not_covered_notes"][0].startswith("(Note that XenServer 9 is in Public Preview;")
    assert data["fixes"] == [
        {
            "product": "XenServer",
            "version": "8.4",
            "channel": "Early Access",
            "release": "8.4.2026-03-19",
            "mitigation": None,
        },
        {
            "product": "XenServer",
            "version": "8.4",
            "channel": "Normal",
            "release": "8.4.2026-03-24",
            "mitigation": None,
        },
    ]
    assert [section["heading"] for section in data["sections"]][1] == "What Citrix is Doing"
    assert [section["kind"] for section in data["sections"]] == [
        "customer_action",
        "vendor_action",
        "support",
        "alerts",
        "reporting",
    ]
    assert data["changelog"] == [{"date": "2026-03-24", "summary": "Initial Publication"}]
    assert data["disclaimer"].startswith("The information on this page is being provided")
    assert data["problem"].startswith("An issue has been identified in XenServer 8.4")
    assert data["publisher"] == {"name": "Cloud Software Group, Inc.", "brand": "Citrix"}


def test_cvss_mitigations_and_withdrawal() -> None:
    data = json.loads(render_json(rich_document()))
    assert data["cvss"] == [
        {
            "version": "3.1",
            "score": 6.0,
            "severity": "MEDIUM",
            "vector": "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N",
        }
    ]
    assert data["fixes"][1]["release"] is None
    assert data["fixes"][1]["mitigation"].startswith("Set `mem-scrub=on`")
    withdrawn = json.loads(render_json(withdrawn_document()))
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["revision"] == 2
    assert withdrawn["updated_on"] == "2026-04-02"


def test_every_field_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for name in FIELDS:
        assert f"`{name}`" in docs, name
