"""The OSV export: valid against the OSV schema, with the choices the docs describe."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from herald import demo
from herald.adapters.formats.osv import osv_id, osv_record, render_osv
from herald.domain import ChangeLogEntry, ChannelRef, CveId, Fix, RuleViolation, parse_cvss
from herald.domain.workflow import new_draft, publish, withdraw
from tests.domain.builders import draft

from .builders import every_remedy, vex_bulletin
from .test_csaf_schemas import Case, osv_errors, public_cases

BASE = "https://bulletins.example.com"
V3 = parse_cvss("CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:C/C:H/I:N/A:N")
V4 = parse_cvss("CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N")


def _record() -> dict[str, Any]:
    return osv_record(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)


def test_the_reference_bulletin_is_a_valid_osv_record() -> None:
    record = _record()
    assert osv_errors(record) == []
    assert record["id"] == "x_CTX696397" == osv_id("CTX696397")
    assert record["aliases"] == ["CVE-2026-4397"]
    assert record["published"] == record["modified"] == "2026-03-24T16:00:00Z"
    assert record["summary"] == "XenServer Security Update for CVE-2026-4397"
    assert "withdrawn" not in record and "severity" not in record


def test_each_affected_version_is_an_entry_without_a_package() -> None:
    (entry,) = _record()["affected"]
    assert "package" not in entry
    assert entry["database_specific"]["product"] == "XenServer"
    assert entry["database_specific"]["version"] == "8.4"
    assert entry["ranges"] == [
        {
            "type": "ECOSYSTEM",
            "events": [{"introduced": "0"}, {"fixed": "8.4.2026-03-19"}],
            "database_specific": {"channel": "Early Access"},
        },
        {
            "type": "ECOSYSTEM",
            "events": [{"introduced": "0"}, {"fixed": "8.4.2026-03-24"}],
            "database_specific": {"channel": "Normal"},
        },
    ]


def test_scores_and_several_cves() -> None:
    content = replace(
        demo.reference_content(),
        cves=(CveId("CVE-2026-4397"), CveId("CVE-2026-4398")),
        cvss=(V3, V4),
        fixes=(
            Fix(ChannelRef(demo.XENSERVER, "8.4", "Early Access"), release="8.4.2026-03-19"),
            Fix(ChannelRef(demo.XENSERVER, "8.4", "Normal"), mitigation="Reboot *twice*."),
        ),
    )
    at = datetime(2026, 3, 24, 16, 0, tzinfo=UTC)
    bulletin = publish(
        new_draft(demo.REFERENCE_ID, content, demo.catalog(), demo.publisher(), at),
        demo.catalog(),
        demo.publisher(),
        demo.REFERENCE_DAY,
        at,
    )
    record = osv_record(bulletin, demo.catalog(), demo.publisher(), BASE)
    assert osv_errors(record) == []
    assert "aliases" not in record
    assert record["upstream"] == ["CVE-2026-4397", "CVE-2026-4398"]
    assert record["severity"] == [
        {"type": "CVSS_V3", "score": V3.vector},
        {"type": "CVSS_V4", "score": V4.vector},
    ]
    (entry,) = record["affected"]
    assert len(entry["ranges"]) == 1
    assert entry["versions"] == ["8.4.2026-03-24"]
    assert "Reboot *twice*." in record["details"]


def test_a_withdrawn_bulletin_says_when_and_why() -> None:
    at = datetime(2026, 4, 3, 8, 0, tzinfo=UTC)
    bulletin = withdraw(
        demo.reference_bulletin(), ChangeLogEntry(date(2026, 4, 3), "Issued in error."), at
    )
    record = osv_record(bulletin, demo.catalog(), demo.publisher(), BASE)
    assert osv_errors(record) == []
    assert record["withdrawn"] == record["modified"] == "2026-04-03T08:00:00Z"
    assert str(record["summary"]).startswith("Withdrawn: Issued in error.")


def test_a_draft_has_no_osv_record() -> None:
    with pytest.raises(RuleViolation):
        osv_record(draft(), demo.catalog(), demo.publisher(), BASE)


def test_the_text_is_stable() -> None:
    text = render_osv(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert text == render_osv(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert json.loads(text) == _record()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=public_cases())
def test_generated_bulletins_are_valid_osv(case: Case) -> None:
    record = osv_record(case.bulletin, case.catalog, case.publisher, BASE)
    assert osv_errors(record) == []
    assert len(record["affected"]) == len(case.bulletin.affected)


def test_versions_not_affected_are_left_out_and_every_remedy_worded() -> None:
    vex = osv_record(vex_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert osv_errors(vex) == []
    assert vex["affected"] == []  # OSV lists affected software only
    bulletin, catalog = every_remedy()
    record = osv_record(bulletin, catalog, demo.publisher(), BASE)
    assert osv_errors(record) == []
    assert "None" not in record["details"]
    assert "- XenServer 8.4, Legacy channel: The channel closes in May." in record["details"]
    assert "- XenServer 8.4, Normal channel: workaround: Disable *scrub*." in record["details"]
    assert [entry["database_specific"]["version"] for entry in record["affected"]] == [
        "8.2",
        "8.4",
    ]
