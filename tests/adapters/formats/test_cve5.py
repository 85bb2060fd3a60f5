"""The CVE JSON 5 export: a published CNA container per CVE, valid against the schema."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from herald import demo
from herald.adapters.formats.cve5 import PLACEHOLDER_ORG_ID, cve_cna_container, render_cve
from herald.domain import RuleViolation, ValidationError, parse_cvss
from herald.domain.workflow import new_draft, publish
from tests.domain.builders import draft

from .builders import THIRD_PARTY_CVE, every_remedy, vex_bulletin
from .test_csaf_schemas import Case, cve_errors, public_cases

BASE = "https://bulletins.example.com"
CVE = "CVE-2026-4397"
V3 = parse_cvss("CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:C/C:H/I:N/A:N")
V4 = parse_cvss("CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N")


def _container(**changes: str) -> dict[str, Any]:
    return cve_cna_container(
        demo.reference_bulletin(), CVE, demo.catalog(), demo.publisher(), BASE, **changes
    )


def test_the_reference_cve_is_a_valid_cna_container() -> None:
    container = _container()
    assert cve_errors(container) == []
    assert container["providerMetadata"] == {"orgId": PLACEHOLDER_ORG_ID}
    assert container["datePublic"] == "2026-03-24T16:00:00Z"
    assert container["affected"] == [
        {
            "vendor": "Cloud Software Group, Inc.",
            "product": "XenServer",
            "defaultStatus": "unknown",
            "versions": [
                {"version": "8.4", "status": "affected"},
                {"version": "8.4.2026-03-19", "status": "unaffected"},
                {"version": "8.4.2026-03-24", "status": "unaffected"},
            ],
            "cpes": ["cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*"],
        }
    ]
    urls = [reference["url"] for reference in container["references"]]
    assert f"{BASE}/bulletins/CTX696397" in urls


def test_the_org_id_is_the_callers() -> None:
    org = "1b3c5e7a-2d4f-4a6b-8c9d-0e1f2a3b4c5d"
    container = _container(org_id=org)
    assert container["providerMetadata"] == {"orgId": org}
    assert cve_errors(container) == []


def test_metrics_carry_cvss_v3_1_and_v4_0() -> None:
    content = replace(demo.reference_content(), cvss=(V3, V4))
    at = datetime(2026, 3, 24, 16, 0, tzinfo=UTC)
    bulletin = publish(
        new_draft(demo.REFERENCE_ID, content, demo.catalog(), demo.publisher(), at),
        demo.catalog(),
        demo.publisher(),
        demo.REFERENCE_DAY,
        at,
    )
    container = cve_cna_container(bulletin, CVE, demo.catalog(), demo.publisher(), BASE)
    assert cve_errors(container) == []
    v3, v4 = container["metrics"]
    assert v3["cvssV3_1"]["vectorString"] == V3.vector
    assert v4["cvssV4_0"]["vectorString"] == V4.vector
    assert v4["cvssV4_0"]["baseSeverity"] == V4.base_severity


def test_a_cve_the_bulletin_does_not_name_is_refused() -> None:
    with pytest.raises(ValidationError, match="CVE-2026-0001"):
        cve_cna_container(
            demo.reference_bulletin(), "CVE-2026-0001", demo.catalog(), demo.publisher(), BASE
        )


def test_a_draft_has_no_cve_form() -> None:
    with pytest.raises(RuleViolation):
        cve_cna_container(draft(), CVE, demo.catalog(), demo.publisher(), BASE)


def test_the_text_is_stable() -> None:
    args = (demo.reference_bulletin(), CVE, demo.catalog(), demo.publisher(), BASE)
    assert render_cve(*args) == render_cve(*args)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=public_cases())
def test_generated_bulletins_are_valid_cna_containers(case: Case) -> None:
    for cve in case.bulletin.cves:
        container = cve_cna_container(case.bulletin, cve, case.catalog, case.publisher, BASE)
        assert cve_errors(container) == []


def test_versions_not_affected_and_under_investigation_have_their_status() -> None:
    vex = cve_cna_container(vex_bulletin(), THIRD_PARTY_CVE, demo.catalog(), demo.publisher(), BASE)
    assert cve_errors(vex) == []
    (entry,) = vex["affected"]
    assert entry["versions"] == [{"version": "8.4", "status": "unaffected"}]
    assert entry["defaultStatus"] == "unknown"
    bulletin, catalog = every_remedy()
    container = cve_cna_container(bulletin, CVE, catalog, demo.publisher(), BASE)
    assert cve_errors(container) == []
    (entry,) = container["affected"]
    assert entry["versions"] == [
        {"version": "8.2", "status": "affected"},
        {"version": "8.4", "status": "affected"},
        {"version": "8.4.2026-03-19", "status": "unaffected"},
        {"version": "8.5", "status": "unknown"},
    ]
    (solutions,) = container["solutions"]
    assert "Legacy channel: The channel closes in May." in solutions["value"]
    (workarounds,) = container["workarounds"]
    assert "Normal channel: Disable *scrub*." in workarounds["value"]
