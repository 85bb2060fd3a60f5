"""The CSAF 2.0 export: valid against the OASIS schema, faithful to the bulletin.

The golden file ``golden/ctx696397.json`` is the reference bulletin's advisory; run with
``HERALD_REGENERATE=1`` to rewrite it from the code, then review the diff.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from herald import demo
from herald.adapters.formats.csaf import csaf_document, csaf_filename, render_csaf
from herald.adapters.formats.csaf_versions import CsafVersion
from herald.domain import ChangeLogEntry, RuleViolation, parse_cvss
from herald.domain.workflow import amend, withdraw
from tests.domain.builders import draft

from .test_csaf_schemas import CSAF, Case, csaf_errors, public_cases

BASE = "https://bulletins.example.com"
GOLDEN = Path(__file__).resolve().parent / "golden" / "ctx696397.json"
REGENERATE = os.environ.get("HERALD_REGENERATE") == "1"
V3 = parse_cvss("CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:C/C:H/I:N/A:N")
V4 = parse_cvss("CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N")


def _reference(**changes: Any) -> dict[str, Any]:
    return csaf_document(
        demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE, **changes
    )


def _stable(document: dict[str, Any]) -> dict[str, Any]:
    """The document with herald's own version masked (it changes with every release)."""
    copy: dict[str, Any] = json.loads(json.dumps(document))
    copy["document"]["tracking"]["generator"]["engine"]["version"] = "VERSION"
    return copy


def test_the_reference_bulletin_matches_its_golden_file() -> None:
    text = json.dumps(_stable(_reference()), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if REGENERATE:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_the_reference_bulletin_is_valid_csaf(version: str) -> None:
    assert csaf_errors(_reference(version=CsafVersion(version)), version) == []


def test_the_reference_bulletin_in_detail() -> None:
    document = _reference()
    head = document["document"]
    assert head["category"] == "csaf_security_advisory"
    assert head["publisher"] == {
        "category": "vendor",
        "name": "Cloud Software Group, Inc.",
        "namespace": "https://www.cloud.com",
    }
    assert head["distribution"]["tlp"]["label"] == "WHITE"
    assert head["lang"] == "en"
    tracking = head["tracking"]
    assert tracking["id"] == "CTX696397"
    assert tracking["status"] == "final"
    assert tracking["version"] == "1"
    assert tracking["initial_release_date"] == tracking["current_release_date"]
    assert tracking["initial_release_date"] == "2026-03-24T16:00:00Z"
    assert tracking["revision_history"] == [
        {"date": "2026-03-24T16:00:00Z", "number": "1", "summary": "Initial Publication"}
    ]
    assert tracking["generator"]["engine"]["name"] == "herald"
    categories = [note["category"] for note in head["notes"]]
    assert {"summary", "details", "legal_disclaimer"} <= set(categories)
    assert [ref["url"] for ref in head["references"]] == [
        f"{BASE}/bulletins/CTX696397",
        f"{BASE}/.well-known/csaf/2026/ctx696397.json",
        "https://docs.xenserver.com/en-us/xenserver/8/update",
    ]
    (vulnerability,) = document["vulnerabilities"]
    assert vulnerability["cve"] == "CVE-2026-4397"
    fixed = [
        "CSAFPID-xenserver-8.4-early-access-8.4.2026-03-19",
        "CSAFPID-xenserver-8.4-normal-8.4.2026-03-24",
    ]
    assert vulnerability["product_status"] == {
        "known_affected": ["CSAFPID-xenserver-8.4-early-access", "CSAFPID-xenserver-8.4-normal"],
        "first_fixed": fixed,
        "fixed": fixed,
        "recommended": fixed,
    }
    assert [r["category"] for r in vulnerability["remediations"]] == ["vendor_fix", "vendor_fix"]
    assert vulnerability["threats"][0]["details"] == "Severity: Medium"


def test_a_version_not_covered_stays_out_of_the_product_status_and_is_explained() -> None:
    text = render_csaf(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert "CSAFPID-xenserver-9" not in text
    notes = _reference()["document"]["notes"]
    affected = next(note for note in notes if note["title"] == "Affected Versions")
    assert "XenServer 9 is in Public Preview" in affected["text"]


def test_the_product_tree_paths() -> None:
    (vendor,) = _reference()["product_tree"]["branches"]
    assert (vendor["category"], vendor["name"]) == ("vendor", "Cloud Software Group, Inc.")
    (product,) = vendor["branches"]
    (version,) = product["branches"]
    assert (version["category"], version["name"]) == ("product_version", "8.4")
    assert "product" not in version  # each channel has the status, not the version
    channel, releases, *_ = version["branches"]
    assert [b["category"] for b in version["branches"]] == ["product_family"] * 4
    assert channel["name"] == releases["name"] == "Early Access"
    assert channel["product"]["name"] == "XenServer 8.4 Early Access"
    assert channel["product"]["product_id"] == "CSAFPID-xenserver-8.4-early-access"
    assert "product_identification_helper" in channel["product"]
    (leaf,) = releases["branches"]
    assert (leaf["category"], leaf["name"]) == ("patch_level", "8.4.2026-03-19")


def test_scores_cvss_v3_and_keeps_v4_out_of_csaf_2_0() -> None:
    content = replace(demo.reference_content(), cvss=(V3, V4))
    bulletin = _published(content)
    document = csaf_document(bulletin, demo.catalog(), demo.publisher(), BASE)
    assert csaf_errors(document) == []
    (vulnerability,) = document["vulnerabilities"]
    (score,) = vulnerability["scores"]
    assert score["products"] == [
        "CSAFPID-xenserver-8.4-early-access",
        "CSAFPID-xenserver-8.4-normal",
    ]
    assert score["cvss_v3"]["vectorString"] == V3.vector
    assert score["cvss_v3"]["baseScore"] == V3.base_score
    assert score["cvss_v3"]["baseSeverity"] == "MEDIUM"
    assert "cvss_v4" not in json.dumps(document)
    assert any(V4.vector in note["text"] for note in vulnerability["notes"])
    v21 = csaf_document(bulletin, demo.catalog(), demo.publisher(), BASE, version=CsafVersion.V2_1)
    assert csaf_errors(v21, "2.1") == []
    (metric,) = v21["vulnerabilities"][0]["metrics"]
    assert metric["content"]["cvss_v4"]["vectorString"] == V4.vector


def test_amendments_make_the_revision_history() -> None:
    bulletin = demo.reference_bulletin()
    at = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)
    bulletin = amend(
        bulletin,
        replace(bulletin.content(), cvss=(V3,)),
        ChangeLogEntry(date(2026, 4, 2), "Added the CVSS score"),
        demo.catalog(),
        demo.publisher(),
        at,
    )
    tracking = csaf_document(bulletin, demo.catalog(), demo.publisher(), BASE)["document"][
        "tracking"
    ]
    assert tracking["version"] == "2"
    assert tracking["revision_history"] == [
        {"date": "2026-03-24T16:00:00Z", "number": "1", "summary": "Initial Publication"},
        {"date": "2026-04-02T09:30:00Z", "number": "2", "summary": "Added the CVSS score"},
    ]
    assert tracking["initial_release_date"] == "2026-03-24T16:00:00Z"
    assert tracking["current_release_date"] == "2026-04-02T09:30:00Z"


def test_a_withdrawn_bulletin_stays_final_and_says_why() -> None:
    at = datetime(2026, 4, 3, 8, 0, tzinfo=UTC)
    bulletin = withdraw(
        demo.reference_bulletin(), ChangeLogEntry(date(2026, 4, 3), "Issued in error."), at
    )
    document = csaf_document(bulletin, demo.catalog(), demo.publisher(), BASE)
    assert csaf_errors(document) == []
    head = document["document"]
    assert head["tracking"]["status"] == "final"
    assert head["tracking"]["version"] == "2"
    assert head["tracking"]["revision_history"][-1]["summary"] == "Issued in error."
    assert head["title"].startswith("Withdrawn: ")
    (reason,) = [note for note in head["notes"] if note["category"] == "description"]
    assert reason["title"] == "Reasoning for Withdrawal"
    assert "Issued in error." in reason["text"]
    assert "vulnerabilities" in document
    v21 = csaf_document(bulletin, demo.catalog(), demo.publisher(), BASE, version=CsafVersion.V2_1)
    assert csaf_errors(v21, "2.1") == []
    assert v21["document"]["category"] == "csaf_withdrawn"
    assert "product_tree" not in v21 and "vulnerabilities" not in v21


def test_a_draft_has_no_csaf_document() -> None:
    with pytest.raises(RuleViolation, match="draft"):
        csaf_document(draft(), demo.catalog(), demo.publisher(), BASE)


def test_the_output_is_stable_text_with_sorted_keys() -> None:
    first = render_csaf(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    again = render_csaf(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert first == again
    assert first.endswith("}\n")
    assert list(json.loads(first)) == sorted(json.loads(first))


@pytest.mark.parametrize(
    ("tracking_id", "name"),
    [
        ("CTX696397", "ctx696397.json"),
        ("cisco-sa-20190513-secureboot", "cisco-sa-20190513-secureboot.json"),
        ("Example Company - 2019-YH3234", "example_company_-_2019-yh3234.json"),
        ("RHBA-2019:0024", "rhba-2019_0024.json"),
        ("2022_#01-A", "2022_01-a.json"),
        ("a+b", "a+b.json"),
        ("ünï", "_n_.json"),
    ],
)
def test_the_file_name_rule(tracking_id: str, name: str) -> None:
    assert csaf_filename(tracking_id) == name


@pytest.mark.parametrize(
    "path",
    sorted((CSAF / "tests/2.0/filenames/data").rglob("*.json")),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_the_file_name_rule_on_the_tcs_test_files(path: Path) -> None:
    tracking_id = json.loads(path.read_text(encoding="utf-8"))["document"]["tracking"]["id"]
    assert (csaf_filename(tracking_id) == path.name) is (path.parent.name == "valid")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=public_cases())
def test_generated_bulletins_are_valid_csaf(case: Case) -> None:
    for version in CsafVersion:
        document = csaf_document(case.bulletin, case.catalog, case.publisher, BASE, version=version)
        assert csaf_errors(document, version.value) == []
    document = csaf_document(case.bulletin, case.catalog, case.publisher, BASE)
    tracking = document["document"]["tracking"]
    history = tracking["revision_history"]
    assert [item["number"] for item in history] == [
        str(n) for n in range(1, case.bulletin.revision + 1)
    ]
    assert [item["date"] for item in history] == sorted({item["date"] for item in history})
    assert tracking["version"] == history[-1]["number"]
    assert tracking["current_release_date"] == history[-1]["date"]
    ids = _product_ids(document["product_tree"])
    assert len(ids) == len(set(ids))
    used = set()
    for vulnerability in document["vulnerabilities"]:
        for products in vulnerability["product_status"].values():
            used.update(products)
        for remediation in vulnerability["remediations"]:
            used.update(remediation["product_ids"])
    assert used == set(ids)


def _product_ids(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if "product_id" in node:
            found.append(node["product_id"])
        for value in node.values():
            found.extend(_product_ids(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_product_ids(item))
    return found


def _published(content: Any) -> Any:
    from herald.domain.workflow import new_draft, publish

    published_at = datetime(2026, 3, 24, 16, 0, tzinfo=UTC)
    fresh = new_draft(demo.REFERENCE_ID, content, demo.catalog(), demo.publisher(), published_at)
    return publish(fresh, demo.catalog(), demo.publisher(), demo.REFERENCE_DAY, published_at)
