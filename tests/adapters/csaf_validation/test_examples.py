"""The standard's example advisories: schema-valid (two implementations agree) and valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs

from herald.adapters.csaf_validation import (
    CsafValidator,
    compiled_schemas,
    referencing_registry,
)
from herald.adapters.csaf_validation.schema import CSAF_SCHEMA_ID, schema_document
from tests.adapters.csaf_validation.standards import EXAMPLES, SUITE, load, require


def _examples() -> list[Any]:
    if not EXAMPLES.is_dir():
        return [pytest.param(None, id="examples-absent")]
    return [
        pytest.param(path, id=path.relative_to(EXAMPLES).as_posix())
        for path in sorted(EXAMPLES.rglob("*.json"))
    ]


def _reference_validator() -> Any:
    return Draft202012Validator(schema_document(CSAF_SCHEMA_ID), registry=referencing_registry())


@pytest.mark.parametrize("path", _examples())
def test_every_example_is_a_valid_csaf_document(path: Path | None) -> None:
    path = require(path if path is not None else EXAMPLES)
    report = CsafValidator().validate_file(path)
    assert report.valid, [finding.line() for finding in report.findings]
    assert _reference_validator().is_valid(load(path))


def test_both_schema_implementations_agree_on_the_suite() -> None:
    """jsonschema (pure Python, the reference) and jsonschema-rs: same schema verdicts."""
    require(SUITE)
    reference = _reference_validator()
    compiled = compiled_schemas()
    for path in sorted(SUITE.rglob("*.json")):
        if path.name == "testcases.json":
            continue
        document = load(path)
        assert reference.is_valid(document) == (not compiled.csaf_errors(document)), path.name
