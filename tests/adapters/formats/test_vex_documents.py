"""The OpenVEX and CycloneDX VEX exports: valid against their published schemas, faithful.

The schemas are the vendored copies in ``src/herald/adapters/formats/schemas/``. Each
document is checked twice: by the module's own ``check`` (jsonschema-rs, what the export
gate runs) and here by the ``jsonschema`` package, an independent implementation.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import (  # type: ignore[import-untyped]  # no stubs
    Draft7Validator,
    Draft202012Validator,
    FormatChecker,
)
from jsonschema.protocols import Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from herald import demo
from herald.adapters.formats import cyclonedx_vex, openvex
from herald.adapters.formats.cyclonedx_vex import JUSTIFICATION
from herald.adapters.formats.cyclonedx_vex import cyclonedx_vex as cdx
from herald.adapters.formats.openvex import openvex_document
from herald.domain import ChangeLogEntry, RuleViolation, parse_cvss
from herald.domain.statements import Justification
from herald.domain.workflow import amend

from .builders import IMPACT, draft, published, rich_bulletin, vex_bulletin, withdrawn_bulletin
from .statement_cases import StatementCase, statement_cases

BASE = "https://bulletins.example.com"
SCHEMAS = Path(__file__).resolve().parents[3] / "src/herald/adapters/formats/schemas"
V3 = parse_cvss("CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:C/C:H/I:N/A:N")


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return loaded


@cache
def _openvex_validator() -> Validator:
    return Draft202012Validator(
        _load("openvex_json_schema_0.2.0.json"), format_checker=FormatChecker()
    )


@cache
def _cyclonedx_validator() -> Validator:
    resources = [
        (_load(name)["$id"], Resource.from_contents(_load(name), default_specification=DRAFT7))
        for name in ("spdx.schema.json", "jsf-0.82.schema.json")
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    return Draft7Validator(
        _load("bom-1.6.schema.json"), registry=registry, format_checker=FormatChecker()
    )


def _errors(validator: Validator, document: object) -> list[str]:
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    )


def _both(bulletin: Any, catalog: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
    catalog = catalog or demo.catalog()
    return (
        openvex_document(bulletin, catalog, demo.publisher(), BASE),
        cdx(bulletin, catalog, demo.publisher(), BASE),
    )


def _assert_valid(vex: dict[str, Any], bom: dict[str, Any]) -> None:
    assert _errors(_openvex_validator(), vex) == []
    assert _errors(_cyclonedx_validator(), bom) == []
    assert openvex.check(json.dumps(vex)) == []
    assert cyclonedx_vex.check(json.dumps(bom)) == []


def _cases() -> dict[str, tuple[Any, Any]]:
    rich, catalog = rich_bulletin()
    return {
        "ctx696397": (demo.reference_bulletin(), demo.catalog()),
        "vex": (vex_bulletin(), demo.catalog()),
        "rich": (rich, catalog),
        "withdrawn": (withdrawn_bulletin(), demo.catalog()),
    }


@pytest.mark.parametrize("name", list(_cases()))
def test_the_exports_validate_against_the_vendored_schemas(name: str) -> None:
    _assert_valid(*_both(*_cases()[name]))


def test_check_reports_what_the_schema_refuses() -> None:
    vex, bom = _both(demo.reference_bulletin())
    vex["statements"][0]["status"] = "maybe"
    del vex["author"]
    bom["vulnerabilities"][0]["analysis"]["state"] = "fine"
    vex_problems = openvex.check(json.dumps(vex))
    assert any(p.startswith("/statements/0/status") for p in vex_problems)
    assert any("author" in p for p in vex_problems)
    assert any("/analysis/state" in p for p in cyclonedx_vex.check(json.dumps(bom)))
    (problem,) = openvex.check("{not json")
    assert problem.startswith("not JSON")


def test_the_openvex_document_of_ctx696397() -> None:
    vex = openvex_document(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert vex["@context"] == "https://openvex.dev/ns/v0.2.0"
    assert vex["@id"] == f"{BASE}/bulletins/CTX696397.openvex.json"
    assert vex["author"] == "Cloud Software Group, Inc."
    assert (vex["timestamp"], vex["version"]) == ("2026-03-24T16:00:00Z", 1)
    assert "last_updated" not in vex
    said = [
        (s["status"], s["products"][0]["@id"].split("#")[1], s.get("action_statement"))
        for s in vex["statements"]
    ]
    assert said == [
        ("affected", "xenserver-8.4-early-access", "Update to 8.4.2026-03-19 or later."),
        ("fixed", "xenserver-8.4-early-access-8.4.2026-03-19", None),
        ("affected", "xenserver-8.4-normal", "Update to 8.4.2026-03-24 or later."),
        ("fixed", "xenserver-8.4-normal-8.4.2026-03-24", None),
    ]
    first = vex["statements"][0]
    assert first["vulnerability"]["name"] == "CVE-2026-4397"
    assert first["products"][0]["@id"] == f"{BASE}/products/xenserver#xenserver-8.4-early-access"
    assert first["status_notes"] == (
        "XenServer 8.4 Early Access: the channel's releases before 8.4.2026-03-19."
    )


def test_the_openvex_document_of_the_vex_statement() -> None:
    (statement,) = openvex_document(vex_bulletin(), demo.catalog(), demo.publisher(), BASE)[
        "statements"
    ]
    assert statement["status"] == "not_affected"
    assert statement["justification"] == "component_not_present"
    assert statement["impact_statement"] == IMPACT
    assert statement["vulnerability"]["name"] == "CVE-2026-31337"
    assert "action_statement" not in statement


def test_openvex_justifications_are_csafs_by_name() -> None:
    for justification in Justification:
        bulletin = vex_bulletin(
            not_affected=(replace(vex_bulletin().not_affected[0], justification=justification),)
        )
        (statement,) = _both(bulletin)[0]["statements"]
        assert statement["justification"] == justification.value


def test_an_amendment_is_a_new_version_with_its_instant() -> None:
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
    vex, bom = _both(bulletin)
    _assert_valid(vex, bom)
    assert (vex["version"], vex["timestamp"]) == (2, "2026-03-24T16:00:00Z")
    assert vex["last_updated"] == "2026-04-02T09:30:00Z"
    assert {s["timestamp"] for s in vex["statements"]} == {"2026-04-02T09:30:00Z"}
    assert bom["version"] == 2
    assert bom["serialNumber"] == _both(demo.reference_bulletin())[1]["serialNumber"]
    ratings = bom["vulnerabilities"][0]["ratings"]
    assert ratings[0] == {
        "method": "CVSSv31",
        "score": V3.base_score,
        "severity": "medium",
        "vector": V3.vector,
    }
    assert ratings[1]["severity"] == "medium"  # the publisher's own word, method other


def test_the_cyclonedx_vex_of_ctx696397() -> None:
    bom = cdx(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    assert (bom["bomFormat"], bom["specVersion"]) == ("CycloneDX", "1.6")
    assert bom["serialNumber"].startswith("urn:uuid:")
    assert [(c["bom-ref"], c["name"], c["version"]) for c in bom["components"]] == [
        ("xenserver-8.4-early-access", "XenServer", "8.4"),
        ("xenserver-8.4-normal", "XenServer", "8.4"),
    ]
    early, normal = bom["vulnerabilities"]
    assert early["id"] == "CVE-2026-4397"
    assert early["affects"] == [
        {
            "ref": "xenserver-8.4-early-access",
            "versions": [{"version": "8.4.2026-03-19", "status": "unaffected"}],
        }
    ]
    assert early["analysis"]["state"] == "resolved"
    assert early["analysis"]["response"] == ["update"]
    assert normal["recommendation"] == "Update to 8.4.2026-03-24 or later."
    assert len({v["bom-ref"] for v in bom["vulnerabilities"]}) == 2


def test_the_cyclonedx_vex_of_the_vex_statement() -> None:
    bom = cdx(vex_bulletin(), demo.catalog(), demo.publisher(), BASE)
    (component,) = bom["components"]
    assert (component["name"], component["version"]) == ("XenServer", "8.4")
    (vulnerability,) = bom["vulnerabilities"]
    assert vulnerability["affects"] == [
        {"ref": "xenserver-8.4", "versions": [{"version": "8.4", "status": "unaffected"}]}
    ]
    analysis = vulnerability["analysis"]
    assert analysis["state"] == "not_affected"
    assert analysis["justification"] == "requires_dependency"
    assert analysis["detail"] == IMPACT
    assert "ratings" not in vulnerability


def test_every_csaf_justification_has_a_cyclonedx_one() -> None:
    allowed = set(
        _load("bom-1.6.schema.json")["definitions"]["impactAnalysisJustification"]["enum"]
    )
    assert set(JUSTIFICATION) == set(Justification)
    assert set(JUSTIFICATION.values()) <= allowed
    assert len(set(JUSTIFICATION.values())) == len(JUSTIFICATION)  # none folded together


def test_a_mitigation_without_release_is_exploitable_with_a_workaround() -> None:
    rich, catalog = rich_bulletin()
    bom = cdx(rich, catalog, demo.publisher(), BASE)
    normal = next(
        v for v in bom["vulnerabilities"] if v["affects"][0]["ref"] == "xenserver-8.4-normal"
    )
    assert normal["analysis"]["state"] == "exploitable"
    assert normal["analysis"]["response"] == ["workaround_available"]
    assert normal["workaround"].startswith("Set `mem-scrub=on`")
    eol = next(v for v in bom["vulnerabilities"] if v["affects"][0]["ref"] == "xenserver-8.2")
    assert eol["analysis"]["response"] == ["will_not_fix"]


def test_drafts_have_neither_document() -> None:
    for render in (openvex_document, cdx):
        with pytest.raises(RuleViolation, match="draft"):
            render(draft(), demo.catalog(), demo.publisher(), BASE)


def test_the_text_is_stable_and_sorted() -> None:
    args = (demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    for render in (openvex.render_openvex, cyclonedx_vex.render_cyclonedx):
        first = render(*args)
        assert first == render(*args)
        assert list(json.loads(first)) == sorted(json.loads(first))


def test_a_scored_advisory_rates_every_affected_channel() -> None:
    vex, bom = _both(published(cvss=(V3,)))
    _assert_valid(vex, bom)
    assert all("ratings" in v for v in bom["vulnerabilities"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=statement_cases())
def test_generated_statements_validate(case: StatementCase) -> None:
    vex = openvex_document(case.bulletin, case.catalog, case.publisher, BASE)
    bom = cdx(case.bulletin, case.catalog, case.publisher, BASE)
    _assert_valid(vex, bom)
    statuses = {s["status"] for s in vex["statements"]}
    assert statuses <= {"affected", "fixed", "not_affected", "under_investigation"}
    for statement in vex["statements"]:
        if statement["status"] == "not_affected":
            assert statement["justification"] in {j.value for j in Justification}
