"""Weaknesses: CWE ids per CVE, checked against the shipped CWE catalogue."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from herald import demo
from herald.domain import CweId, ValidationError
from herald.domain.document import compose
from herald.domain.weaknesses import (
    CWE_VERSION,
    definition_url,
    parse_cwe_id,
    weakness_name,
    weakness_names,
)
from herald.domain.workflow import check_content
from tests.domain.builders import CVE_A, CVE_B, content, draft, published

CWE_787 = CweId("CWE-787")
CWE_20 = CweId("CWE-20")


def _check(**changes: object) -> None:
    check_content(content(**changes), demo.catalog(), demo.publisher())


def test_the_catalogue_is_cwe_4_14_weaknesses_only() -> None:
    names = weakness_names()
    assert CWE_VERSION == "4.14"
    assert weakness_name(CWE_787) == "Out-of-bounds Write"
    assert names["CWE-79"].startswith("Improper Neutralization of Input During Web Page")
    assert "CWE-16" not in names  # a category (Configuration), not a weakness
    assert "CWE-1000" not in names  # a view (Research Concepts)
    assert len(names) > 900


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("CWE-787", "CWE-787"),
        ("  CWE-787\t", "CWE-787"),
        ("cwe-20", "CWE-20"),
        ("Cwe-79", "CWE-79"),
    ],
)
def test_a_cwe_id_is_kept_in_its_canonical_form(typed: str, kept: str) -> None:
    assert parse_cwe_id(typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("CWE-abc", "'CWE-abc' is not a CWE id"),
        ("787", "'787' is not a CWE id"),
        ("CWE-0787", "'CWE-0787' is not a CWE id"),
        ("CWE 787", "'CWE 787' is not a CWE id"),
        ("", "'' is not a CWE id"),
        ("CWE-999999", "CWE-999999 is not a weakness in CWE 4.14"),
        ("CWE-16", "CWE-16 is not a weakness in CWE 4.14"),
    ],
)
def test_malformed_and_unknown_ids_are_refused_naming_the_field(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_cwe_id(typed, "weaknesses.CVE-2026-4397[0]")
    assert caught.value.field == "weaknesses.CVE-2026-4397[0]"
    assert message in caught.value.reason


def test_mitre_describes_each_weakness_on_its_own_page() -> None:
    assert definition_url(CWE_787) == "https://cwe.mitre.org/data/definitions/787.html"


def test_a_bulletin_keeps_its_weaknesses_per_cve() -> None:
    weaknesses = {CVE_A: (CWE_787, CWE_20)}
    bulletin = published(cves=(CVE_A, CVE_B), weaknesses=MappingProxyType(weaknesses))
    assert bulletin.weaknesses == weaknesses
    assert bulletin.content().weaknesses == weaknesses


@pytest.mark.parametrize(
    ("weaknesses", "field", "message"),
    [
        ({CVE_B: (CWE_787,)}, "weaknesses.CVE-2026-4398", "not one of the bulletin's CVEs"),
        ({CVE_A: ()}, "weaknesses.CVE-2026-4397", "names no CWE id"),
        ({CVE_A: (CWE_787, CWE_787)}, "weaknesses.CVE-2026-4397", "'CWE-787' appears twice"),
        ({CVE_A: (CWE_20, CweId("CWE-abc"))}, "weaknesses.CVE-2026-4397[1]", "is not a CWE id"),
        ({CVE_A: (CweId("CWE-999999"),)}, "weaknesses.CVE-2026-4397[0]", "not a weakness"),
        ({CVE_A: (CweId("cwe-787"),)}, "weaknesses.CVE-2026-4397[0]", "as CWE-787"),
    ],
    ids=["cve-not-named", "empty", "repeat", "malformed", "unknown", "not-canonical"],
)
def test_bad_weaknesses_are_refused_even_in_drafts(
    weaknesses: dict[object, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        draft(weaknesses=MappingProxyType(weaknesses))
    assert caught.value.field == field
    assert message in caught.value.reason


def test_a_weakness_change_is_a_change_of_content() -> None:
    before = content()
    after = content(weaknesses={CVE_A: (CWE_787,)})
    _check(weaknesses={CVE_A: (CWE_787,)})
    assert after.changed_fields(before) == ["weaknesses"]
    assert content(weaknesses={}).changed_fields(before) == []


def test_the_readers_document_names_each_weakness_with_its_page() -> None:
    bulletin = published(
        cves=(CVE_A, CVE_B), weaknesses=MappingProxyType({CVE_B: (CWE_20,), CVE_A: (CWE_787,)})
    )
    document = compose(bulletin, demo.catalog(), demo.publisher())
    assert list(document.weaknesses) == [CVE_A, CVE_B]
    (first,) = document.weaknesses[CVE_A]
    assert first.title == "CWE-787 Out-of-bounds Write"
    assert first.url == "https://cwe.mitre.org/data/definitions/787.html"
    assert [w.title for w in document.weaknesses[CVE_B]] == ["CWE-20 Improper Input Validation"]


def test_the_demo_bulletin_names_no_weakness() -> None:
    assert demo.reference_bulletin().weaknesses == {}
    assert compose(demo.reference_bulletin(), demo.catalog(), demo.publisher()).weaknesses == {}
