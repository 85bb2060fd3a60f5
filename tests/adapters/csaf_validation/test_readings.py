"""Herald's readings of the standard where the text leaves room (docs/csaf-validator.md)."""

from __future__ import annotations

from typing import Any

import pytest

from herald.adapters.csaf_validation import FileReport, validate_document
from tests.adapters.csaf_validation.builders import advisory


def _failed(report: FileReport, test_id: str) -> list[str]:
    return [finding.path for finding in report.findings if finding.test_id == test_id]


def test_product_ids_in_flags_must_be_defined() -> None:
    document = advisory()
    document["vulnerabilities"][0]["flags"] = [
        {"label": "component_not_present", "product_ids": ["CSAFPID-404"]}
    ]
    assert _failed(validate_document(document), "6.1.1") == [
        "/vulnerabilities/0/flags/0/product_ids/0"
    ]


def test_revisions_of_one_instant_are_ordered_by_number() -> None:
    document = advisory()
    history = document["document"]["tracking"]["revision_history"]
    history[1]["date"] = history[0]["date"]
    history.reverse()
    report = validate_document(document)
    assert report.valid, [finding.line() for finding in report.findings]


@pytest.mark.parametrize(
    ("category", "fails"),
    [
        ("csaf_security_advisory", False),
        ("Security Advisory", True),
        ("csafsecurityadvisory", True),
        ("V_eX", True),
        ("Csaf_a", True),
        ("example_advisory", False),
    ],
)
def test_prohibited_category_names(category: str, fails: bool) -> None:
    document = advisory()
    document["document"]["category"] = category
    assert bool(_failed(validate_document(document), "6.1.26")) == fails


@pytest.mark.parametrize(
    ("name", "fails"),
    [("prior to 4.2", True), ("<= 4.2", True), ("after-eight", False), ("Firewall 9", False)],
)
def test_version_ranges_are_words_or_operators(name: str, fails: bool) -> None:
    document = advisory()
    branch = document["product_tree"]["branches"][0]["branches"][0]["branches"][0]
    branch["name"] = name
    assert bool(_failed(validate_document(document), "6.1.31")) == fails


def _informational(references: list[dict[str, Any]]) -> dict[str, Any]:
    document = advisory()
    document["document"]["category"] = "csaf_informational_advisory"
    document["document"]["references"] = references
    del document["vulnerabilities"]
    return document


def test_a_reference_without_category_is_external() -> None:
    plain = {"summary": "More", "url": "https://example.org/more"}
    assert not _failed(validate_document(_informational([plain])), "6.1.27.2")
    own = {**plain, "category": "self"}
    assert _failed(validate_document(_informational([own])), "6.1.27.2") == ["/document/references"]


def test_additional_properties_do_not_repeat_schema_errors() -> None:
    document = advisory()
    document["document"]["custom_property"] = 1
    score = document["vulnerabilities"][0]["scores"][0]["cvss_v3"]
    del score["baseSeverity"]
    report = validate_document(document)
    assert _failed(report, "6.2.20") == ["/document"]
    assert _failed(report, "schema") == ["/vulnerabilities/0/scores/0/cvss_v3"]
    assert _failed(report, "6.1.8") == ["/vulnerabilities/0/scores/0/cvss_v3"]


def test_properties_not_in_the_vector_make_no_claim() -> None:
    document = advisory()
    score = document["vulnerabilities"][0]["scores"][0]["cvss_v3"]
    score["modifiedConfidentialityImpact"] = "NONE"
    score["attackVector"] = "NETWORK"
    assert not _failed(validate_document(document), "6.1.10")
    score["attackVector"] = "LOCAL"
    assert _failed(validate_document(document), "6.1.10") == [
        "/vulnerabilities/0/scores/0/cvss_v3/attackVector"
    ]


def test_a_wrong_score_names_the_computed_one() -> None:
    document = advisory()
    document["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"] = 7.5
    findings = [f for f in validate_document(document).findings if f.test_id == "6.1.9"]
    assert [f.message for f in findings] == ["baseScore is 7.5; the vector gives 9.8"]
