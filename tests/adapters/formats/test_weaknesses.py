"""Weaknesses in every rendering: the page, text, Markdown, CSAF 2.0/2.1, OSV, CVE JSON 5.

A bulletin without weaknesses renders as before (the CTX696397 reference tests hold);
these tests take the demo bulletin with two CVEs, the first with two CWE ids.
"""

from __future__ import annotations

import re
from dataclasses import replace

from herald import demo
from herald.adapters.csaf_validation import Level, Preset, validate_document
from herald.adapters.formats import render_html, render_markdown, render_text
from herald.adapters.formats.csaf import csaf_document
from herald.adapters.formats.csaf_versions import CsafVersion
from herald.adapters.formats.cve5 import cve_cna_container
from herald.adapters.formats.osv import osv_record
from herald.domain import Bulletin, CveId, CweId, parse_cvss
from herald.domain.document import compose

from .builders import published
from .test_csaf_schemas import csaf_errors, cve_errors, osv_errors

BASE = "https://bulletins.example.com"
CVE_A = CveId("CVE-2026-4397")
CVE_B = CveId("CVE-2026-4398")
SQL_INJECTION = (
    "CWE-89 Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')"
)


def _bulletin() -> Bulletin:
    return published(
        cves=(CVE_A, CVE_B),
        cvss=(parse_cvss("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N"),),
        weaknesses={CVE_A: (CweId("CWE-787"), CweId("CWE-89"))},
    )


def test_the_page_names_each_weakness_under_its_cve_with_mitre_s_page() -> None:
    html = render_html(compose(_bulletin(), demo.catalog(), demo.publisher()))
    cves = html[
        html.index('<ul class="cves">') : html.index('<section aria-labelledby="affected">')
    ]
    assert cves.index("<li>CVE-2026-4397") < cves.index("CWE-787") < cves.index("CVE-2026-4398")
    assert (
        '<li>Weakness: <a href="https://cwe.mitre.org/data/definitions/787.html" '
        'rel="noopener noreferrer">CWE-787 Out-of-bounds Write</a></li>'
    ) in cves
    assert "definitions/89.html" in cves
    assert "(&#39;SQL Injection&#39;)</a>" in cves
    assert "<li>CVE-2026-4398</li>" in cves


def test_a_page_without_weaknesses_has_no_weakness_markup() -> None:
    html = render_html(compose(demo.reference_bulletin(), demo.catalog(), demo.publisher()))
    assert "Weakness" not in html
    assert "<li>CVE-2026-4397</li>" in html


def test_text_and_markdown_name_the_weaknesses_under_the_cve() -> None:
    document = compose(_bulletin(), demo.catalog(), demo.publisher())
    text = render_text(document)
    assert (
        "  \u2022 CVE-2026-4397\n"
        "    Weakness: CWE-787 Out-of-bounds Write\n"
        f"    Weakness: {SQL_INJECTION}\n"
        "  \u2022 CVE-2026-4398\n\n"
    ) in text
    markdown = render_markdown(document)
    assert (
        "- CVE-2026-4397\n"
        "  - Weakness: [CWE-787 Out-of-bounds Write]"
        "(<https://cwe.mitre.org/data/definitions/787.html>)\n"
    ) in markdown
    assert "\n- CVE-2026-4398\n" in markdown


def test_csaf_2_0_carries_the_first_cwe_and_names_the_rest_in_a_note() -> None:
    document = csaf_document(_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert csaf_errors(document) == []
    first, second = document["vulnerabilities"]
    assert first["cwe"] == {"id": "CWE-787", "name": "Out-of-bounds Write"}
    assert {
        "category": "other",
        "title": "Further weaknesses (CWE)",
        "text": f"{SQL_INJECTION}.",
    } in first["notes"]
    assert "cwe" not in second
    assert all(note["title"] != "Further weaknesses (CWE)" for note in second["notes"])


def test_herald_s_validator_finds_nothing_wrong_with_the_weaknesses() -> None:
    document = csaf_document(_bulletin(), demo.catalog(), demo.publisher(), BASE)
    report = validate_document(document, Preset.FULL)
    assert report.valid, [finding.line() for finding in report.findings]
    assert [f.line() for f in report.findings if f.level is Level.ERROR] == []
    warnings = {f.test_id for f in report.findings if f.level is Level.WARNING}
    # 6.2.16 (no CPE or purl for a product) is the catalog's, not the weaknesses'
    assert warnings <= {"6.2.16"}, [finding.line() for finding in report.findings]
    missing_cwe = [f.path for f in report.findings if f.test_id == "6.3.4"]
    assert missing_cwe == ["/vulnerabilities/1"]


def test_csaf_2_1_lists_every_cwe_with_the_catalogue_version() -> None:
    document = csaf_document(
        _bulletin(), demo.catalog(), demo.publisher(), BASE, version=CsafVersion.V2_1
    )
    assert csaf_errors(document, "2.1") == []
    first, second = document["vulnerabilities"]
    assert first["cwes"] == [
        {"id": "CWE-787", "name": "Out-of-bounds Write", "version": "4.14"},
        {"id": "CWE-89", "name": SQL_INJECTION.removeprefix("CWE-89 "), "version": "4.14"},
    ]
    assert "cwe" not in first
    assert "cwes" not in second
    assert all(note["title"] != "Further weaknesses (CWE)" for note in first["notes"])


def test_osv_lists_the_cwe_ids_in_database_specific() -> None:
    record = osv_record(_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert osv_errors(record) == []
    assert record["database_specific"]["cwe_ids"] == ["CWE-787", "CWE-89"]
    plain = osv_record(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert "cwe_ids" not in plain["database_specific"]


def test_cve_5_carries_the_cve_s_weaknesses_as_problem_types() -> None:
    bulletin = _bulletin()
    container = cve_cna_container(bulletin, CVE_A, demo.catalog(), demo.publisher(), BASE)
    assert cve_errors(container) == []
    assert container["problemTypes"] == [
        {
            "descriptions": [
                {
                    "lang": "en",
                    "cweId": "CWE-787",
                    "description": "CWE-787 Out-of-bounds Write",
                    "type": "CWE",
                },
                {"lang": "en", "cweId": "CWE-89", "description": SQL_INJECTION, "type": "CWE"},
            ]
        }
    ]
    other = cve_cna_container(bulletin, CVE_B, demo.catalog(), demo.publisher(), BASE)
    assert cve_errors(other) == []
    assert "problemTypes" not in other


def test_only_the_demo_s_weakness_free_documents_are_unchanged() -> None:
    """The same bulletin with and without weaknesses differs only where weaknesses go."""
    bulletin = _bulletin()
    bare = replace(bulletin, weaknesses={})
    with_cwe = csaf_document(bulletin, demo.catalog(), demo.publisher(), BASE)
    without = csaf_document(bare, demo.catalog(), demo.publisher(), BASE)
    del with_cwe["vulnerabilities"][0]["cwe"]
    with_cwe["vulnerabilities"][0]["notes"].pop()
    assert with_cwe == without
    text = render_text(compose(bulletin, demo.catalog(), demo.publisher()))
    bare_text = render_text(compose(bare, demo.catalog(), demo.publisher()))
    assert re.sub(r"\n    Weakness: [^\n]*", "", text) == bare_text
