"""Arbitrary JSON never crashes the validator: it only ever gives verdicts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herald.adapters.csaf_validation import CsafValidator, FileReport, Preset
from tests.adapters.csaf_validation.builders import advisory

VALIDATOR = CsafValidator(Preset.FULL)

_KEYS = st.sampled_from(
    [
        "document",
        "product_tree",
        "vulnerabilities",
        "branches",
        "product",
        "product_id",
        "product_ids",
        "group_ids",
        "category",
        "name",
        "tracking",
        "revision_history",
        "number",
        "date",
        "version",
        "status",
        "scores",
        "cvss_v3",
        "cvss_v2",
        "vectorString",
        "baseScore",
        "flags",
        "remediations",
        "threats",
        "lang",
        "source_lang",
        "cwe",
        "id",
        "relationships",
        "full_product_name",
        "product_reference",
        "hashes",
        "file_hashes",
        "algorithm",
        "purl",
        "product_identification_helper",
        "involvements",
        "party",
    ]
) | st.text(max_size=8)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "CSAFPID-1",
            "CSAFPID-2",
            "1",
            "0",
            "1.0.0-rc",
            "2026-01-01T10:00:00Z",
            "final",
            "draft",
            "csaf_vex",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "3.1",
            "2.0",
            "pkg:",
            "en",
            "i-default",
            "product_version",
            "vendor",
            "md5",
        ]
    )
)
JSON = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=5),
    max_leaves=30,
)


def _verdict(document: Any) -> FileReport:
    report = VALIDATOR.validate_document(document)
    assert isinstance(report.valid, bool)
    for finding in report.findings:
        assert finding.path == "" or finding.path.startswith("/")
        assert "\n" not in finding.message
    return report


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_arbitrary_json_gives_a_verdict(document: Any) -> None:
    _verdict(document)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            found.extend(_paths(item, (*prefix, position)))
    return found


_PLACES = _paths(advisory())[1:]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_PLACES), JSON), min_size=1, max_size=4))
def test_a_damaged_advisory_gives_a_verdict(changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    document = advisory()
    for path, value in changes:
        parent: Any = document
        try:
            for step in path[:-1]:
                parent = parent[step]
            # an earlier change may have put a dict where a list was: an int key there
            # would make a document no JSON text can be, which is not the validator's input
            if isinstance(parent, dict) and not isinstance(path[-1], str):
                continue
            parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    _verdict(document)


@settings(max_examples=200)
@given(st.binary(max_size=200) | JSON.map(lambda value: json.dumps(value).encode()))
def test_arbitrary_bytes_give_a_verdict_or_a_load_error(data: bytes) -> None:
    report = VALIDATOR.validate_bytes(data, "fuzz.json")
    assert report.load_error is None or report.load_reason in {
        "invalid_json",
        "not_utf8",
        "too_deep",
    }


def _rich_advisories() -> list[dict[str, Any]]:
    """The sample advisory with the parts it lacks (hashes, groups, flags, threats,
    involvements, relationships), as a security advisory, a VEX document and an
    informational advisory (whose document notes 6.1.27.1 reads)."""
    documents = []
    for category in ("csaf_security_advisory", "csaf_vex", "csaf_informational_advisory"):
        document = advisory()
        document["document"]["category"] = category
        document["document"]["notes"].append({"category": "general", "text": "More."})
        product = document["product_tree"]["branches"][0]["branches"][0]["branches"][0]["product"]
        product["product_identification_helper"]["hashes"] = [
            {
                "filename": "a.tar.gz",
                "file_hashes": [
                    {"algorithm": "md5", "value": "0" * 32},
                    {"algorithm": "sha256", "value": "0" * 64},
                ],
            }
        ]
        document["product_tree"]["product_groups"] = [
            {"group_id": "CSAFGID-1", "product_ids": ["CSAFPID-1", "CSAFPID-2"]}
        ]
        document["product_tree"]["relationships"] = [
            {
                "category": "installed_on",
                "product_reference": "CSAFPID-1",
                "relates_to_product_reference": "CSAFPID-2",
                "full_product_name": {"name": "A on B", "product_id": "CSAFPID-3"},
            }
        ]
        vulnerability = document["vulnerabilities"][0]
        vulnerability["flags"] = [
            {"label": "component_not_present", "product_ids": ["CSAFPID-2"]},
            {"label": "vulnerable_code_not_present", "group_ids": ["CSAFGID-1"]},
        ]
        vulnerability["threats"] = [{"category": "impact", "details": "Bad.", "group_ids": []}]
        vulnerability["involvements"] = [
            {"party": "vendor", "status": "completed", "date": "2026-01-01T10:00:00Z"}
        ]
        documents.append(document)
    return documents


@pytest.mark.parametrize("replacement", [[1], {"x": [1]}, 7, None], ids=repr)
def test_any_value_replaced_by_a_wrong_type_gives_a_verdict(replacement: Any) -> None:
    """Exhaustive over every place, so unhashable labels or categories cannot crash a test."""
    for original in _rich_advisories():
        for path in _paths(original)[1:]:
            document = json.loads(json.dumps(original))
            parent: Any = document
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = replacement
            _verdict(document)
