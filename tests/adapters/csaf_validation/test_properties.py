"""Arbitrary JSON never crashes the validator: it only ever gives verdicts."""

from __future__ import annotations

import json
from typing import Any

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
