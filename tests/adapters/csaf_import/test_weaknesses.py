"""An imported advisory's ``vulnerabilities[].cwe`` becomes its CVE's weakness."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from herald import demo
from herald.adapters.csaf_import import plan_import
from herald.adapters.formats.csaf import csaf_document
from herald.domain import Catalog, CveId, CweId
from tests.adapters.formats.builders import published
from tests.adapters.formats.test_csaf_schemas import EXAMPLES

BASE = "https://bulletins.example.com"
CVE_A = CveId("CVE-2026-4397")
CVE_B = CveId("CVE-2026-4398")


def _exported() -> dict[str, Any]:
    bulletin = published(
        cves=(CVE_A, CVE_B), weaknesses={CVE_A: (CweId("CWE-787"), CweId("CWE-89"))}
    )
    return csaf_document(bulletin, demo.catalog(), demo.publisher(), BASE)


def _with_cwe(cwe: object) -> dict[str, Any]:
    document = copy.deepcopy(_exported())
    document["vulnerabilities"][1]["cwe"] = cwe
    return document


def test_herald_s_own_export_brings_its_first_cwe_back() -> None:
    plan = plan_import(_exported(), demo.catalog(), demo.publisher())
    assert plan.content.weaknesses == {CVE_A: ("CWE-787",)}
    assert not any("cwe" in line for line in plan.report)


def test_a_vendor_s_advisory_keeps_its_weakness() -> None:
    path = next(path for path in EXAMPLES if path.name == "bsi-2022-0001.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    plan = plan_import(document, Catalog(), demo.publisher())
    assert plan.content.weaknesses == {CveId("CVE-2022-27193"): ("CWE-611",)}


@pytest.mark.parametrize(
    ("cwe", "reported"),
    [
        (
            {"id": "CWE-999999", "name": "Nothing"},
            "vulnerabilities[1].cwe: CWE-999999 is not a weakness in CWE 4.14; dropped",
        ),
        ({"id": "CWE-abc", "name": "Nothing"}, "vulnerabilities[1].cwe: 'CWE-abc' is not a CWE id"),
        ({"name": "Out-of-bounds Write"}, "vulnerabilities[1].cwe: no CWE id; dropped"),
        ("CWE-787", "vulnerabilities[1].cwe: no CWE id; dropped"),
    ],
    ids=["unknown", "malformed", "no-id", "not-an-object"],
)
def test_a_cwe_herald_cannot_keep_is_reported_not_imported(cwe: object, reported: str) -> None:
    plan = plan_import(_with_cwe(cwe), demo.catalog(), demo.publisher())
    assert plan.content.weaknesses == {CVE_A: ("CWE-787",)}
    assert any(line.startswith(reported) for line in plan.report), plan.report


def test_a_cwe_with_another_name_is_kept_with_the_catalogue_s_name_reported() -> None:
    plan = plan_import(
        _with_cwe({"id": "CWE-20", "name": "Bad input"}), demo.catalog(), demo.publisher()
    )
    assert plan.content.weaknesses == {CVE_A: ("CWE-787",), CVE_B: ("CWE-20",)}
    assert (
        "vulnerabilities[1].cwe: CWE-20 is 'Improper Input Validation' in CWE 4.14, "
        "not 'Bad input'; herald shows the catalogue's name"
    ) in plan.report
