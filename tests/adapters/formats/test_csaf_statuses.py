"""The CSAF export says, per version and channel, what the bulletin says (and csaf_vex).

CTX696397 and a VEX-only statement (a CVE in a third-party library, XenServer 8.4 not
affected: component not present) pass herald's validator with no error; the only
warning left is, for an unscored
advisory, 6.2.3 (its affected products have no score: the reference bulletin gives
none). Generated bulletins never state an unsupported version not affected and never
put a product in two contradicting groups.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from herald import demo
from herald.adapters.csaf_validation import Level, Preset, validate_document
from herald.adapters.formats.csaf import csaf_document
from herald.adapters.formats.csaf_products import product_id
from herald.adapters.formats.csaf_versions import CsafVersion
from herald.adapters.formats.stream_products import Level as ProductLevel
from herald.adapters.formats.stream_products import statements
from herald.domain import VersionRef, parse_cvss
from herald.domain.catalog import Lifecycle
from herald.domain.statements import BulletinKind

from .builders import IMPACT, every_remedy, published, vex_bulletin
from .statement_cases import StatementCase, statement_cases
from .test_csaf_schemas import csaf_errors

BASE = "https://bulletins.example.com"
V3 = parse_cvss("CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:C/C:H/I:N/A:N")
"""Until the catalog has CPEs and purls, every product lacks an identification helper."""
CONTRADICTING = {
    "first_affected": "affected",
    "known_affected": "affected",
    "last_affected": "affected",
    "known_not_affected": "not affected",
    "first_fixed": "fixed",
    "fixed": "fixed",
    "under_investigation": "under investigation",
}
XS = demo.XENSERVER


def _findings(document: dict[str, Any]) -> tuple[list[str], set[str], set[str]]:
    """Errors (lines), warning test ids, informative test ids."""
    report = validate_document(document, Preset.FULL)
    errors = [f.line() for f in report.findings if f.level is Level.ERROR]
    warnings = {f.test_id for f in report.findings if f.level is Level.WARNING}
    notes = {f.test_id for f in report.findings if f.level is Level.NOTE}
    return errors, warnings, notes


def _csaf(bulletin: Any, catalog: Any = None, **options: Any) -> dict[str, Any]:
    return csaf_document(bulletin, catalog or demo.catalog(), demo.publisher(), BASE, **options)


def test_the_reference_advisory_has_no_error_and_only_the_known_warnings() -> None:
    errors, warnings, notes = _findings(_csaf(demo.reference_bulletin()))
    assert errors == []
    assert warnings == {"6.2.3"}
    assert notes == {"6.3.4"}  # no CWE: the bulletin names none


def test_a_scored_reference_advisory_leaves_only_the_helper_warning() -> None:
    bulletin = published(cvss=(V3,))
    errors, warnings, _ = _findings(_csaf(bulletin))
    assert errors == []
    assert warnings == set()


def test_the_vex_statement_is_a_csaf_vex_document() -> None:
    document = _csaf(vex_bulletin())
    assert document["document"]["category"] == "csaf_vex"
    for version in CsafVersion:
        assert csaf_errors(_csaf(vex_bulletin(), version=version), version.value) == []
    errors, warnings, notes = _findings(document)
    assert errors == []
    assert warnings == set()
    assert notes == {"6.3.4"}
    (vulnerability,) = document["vulnerabilities"]
    assert vulnerability["cve"] == "CVE-2026-31337"
    assert vulnerability["product_status"] == {"known_not_affected": ["CSAFPID-xenserver-8.4"]}
    assert vulnerability["flags"] == [
        {"label": "component_not_present", "product_ids": ["CSAFPID-xenserver-8.4"]}
    ]
    assert vulnerability["threats"] == [
        {"category": "impact", "details": IMPACT, "product_ids": ["CSAFPID-xenserver-8.4"]}
    ]
    assert "remediations" not in vulnerability and "scores" not in vulnerability
    summary = document["document"]["notes"][0]
    assert summary["text"].startswith("XenServer 8.4 is not affected (component not present).")


def test_the_preview_version_is_never_stated_not_affected() -> None:
    text = str(_csaf(vex_bulletin()))
    assert "CSAFPID-xenserver-9" not in text
    affected = next(
        n for n in _csaf(vex_bulletin())["document"]["notes"] if n["title"] == "Affected Versions"
    )
    assert "XenServer 9 is in Public Preview" in affected["text"]


def test_every_remedy_becomes_its_remediation() -> None:
    bulletin, catalog = every_remedy()
    document = _csaf(bulletin, catalog)
    assert csaf_errors(document) == []
    errors, warnings, _ = _findings(document)
    assert errors == []  # the VEX profile too: an action statement for each affected one
    assert warnings <= {"6.2.3"}
    (vulnerability,) = document["vulnerabilities"]
    status = vulnerability["product_status"]
    assert status["known_affected"] == [
        "CSAFPID-xenserver-8.2",
        "CSAFPID-xenserver-8.4-early-access",
        "CSAFPID-xenserver-8.4-normal",
        "CSAFPID-xenserver-8.4-ltsr",
        "CSAFPID-xenserver-8.4-legacy",
    ]
    fixed = ["CSAFPID-xenserver-8.4-early-access-8.4.2026-03-19"]
    assert status["first_fixed"] == status["fixed"] == status["recommended"] == fixed
    assert status["under_investigation"] == ["CSAFPID-xenserver-8.5"]
    by_product = [(r["category"], r["product_ids"][0]) for r in vulnerability["remediations"]]
    assert by_product == [
        ("no_fix_planned", "CSAFPID-xenserver-8.2"),
        ("vendor_fix", "CSAFPID-xenserver-8.4-early-access"),
        ("mitigation", "CSAFPID-xenserver-8.4-early-access"),
        ("workaround", "CSAFPID-xenserver-8.4-normal"),
        ("none_available", "CSAFPID-xenserver-8.4-ltsr"),
        ("no_fix_planned", "CSAFPID-xenserver-8.4-legacy"),
        ("none_available", "CSAFPID-xenserver-8.5"),
    ]
    items = vulnerability["remediations"]
    assert items[1]["restart_required"] == {"category": "machine"}
    assert items[1]["date"] == "2026-03-19T00:00:00Z"
    assert items[3]["details"] == "XenServer 8.4, Normal channel: Disable *scrub*."
    assert items[5]["details"] == "XenServer 8.4, Legacy channel: The channel closes in May."
    assert items[5]["url"] == "https://example.com/kb/legacy"
    assert "end of life" in items[0]["details"].lower()


def _groups(vulnerability: dict[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for key, ids in vulnerability["product_status"].items():
        group = CONTRADICTING.get(key)
        if group is not None:
            for product_id in ids:
                found.setdefault(product_id, set()).add(group)
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=statement_cases())
def test_generated_statements_are_valid_and_never_contradict(case: StatementCase) -> None:
    document = csaf_document(case.bulletin, case.catalog, case.publisher, BASE)
    assert csaf_errors(document) == []
    errors, warnings, _ = _findings(document)
    assert errors == []
    assert warnings <= {"6.2.3"}
    expected = "csaf_vex" if case.bulletin.kind is BulletinKind.VEX else "csaf_security_advisory"
    assert document["document"]["category"] == expected
    unsupported = {
        VersionRef(product.id, version.name)
        for product in case.catalog.products
        for version in product.versions
        if version.lifecycle is not Lifecycle.SUPPORTED
    }
    products = {product_id(p): p for p in statements(case.bulletin, case.catalog).products}
    assert set(products) == set(_tree_ids(document["product_tree"]))
    for vulnerability in document["vulnerabilities"]:
        assert all(len(groups) == 1 for groups in _groups(vulnerability).values())
        status = vulnerability["product_status"]
        for key in ("known_not_affected", "under_investigation"):
            for pid in status.get(key, []):
                assert products[pid].level is ProductLevel.VERSION
                assert products[pid].version not in unsupported, (key, pid)


def _tree_ids(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["product_id"]] if "product_id" in node else []
        return own + [pid for value in node.values() for pid in _tree_ids(value)]
    if isinstance(node, list):
        return [pid for item in node for pid in _tree_ids(item)]
    return []
