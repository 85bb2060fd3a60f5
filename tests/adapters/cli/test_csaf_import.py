"""``herald csaf import`` validates the file first: schema and mandatory tests (6.1).

An invalid document is refused in one line naming the file and the first failure,
with exit status 2 and the database unchanged; ``--force`` imports it and puts the
failures at the top of the report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from herald import demo
from herald.adapters.csaf_import import read_document, read_source
from herald.adapters.formats.csaf import csaf_document
from herald.domain.errors import ValidationError

from .conftest import Herald, assert_one_line_error

BASE = "https://bulletins.example.com"
MISSING = "/vulnerabilities/0/product_status/known_affected/2"  # after the two channels


def _advisory() -> dict[str, Any]:
    """herald's own CSAF export of the demo's reference bulletin: a valid document."""
    return csaf_document(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)


def _with_undefined_product(document: dict[str, Any]) -> dict[str, Any]:
    """Breaks test 6.1.1 only: an affected product id that the product tree lacks."""
    document["vulnerabilities"][0]["product_status"]["known_affected"].append("CSAFPID-nowhere")
    return document


def _write(folder: Path, name: str, document: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _snapshot(herald: Herald, folder: Path) -> dict[str, bytes]:
    result = herald("export", str(folder))
    assert result.exit_code == 0, result.stderr
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_document_failing_a_mandatory_test_is_refused(herald: Herald, tmp_path: Path) -> None:
    assert herald("demo").exit_code == 0
    before = _snapshot(herald, tmp_path / "before")
    path = _write(tmp_path, "broken.json", _with_undefined_product(_advisory()))
    result = herald("csaf", "import", str(path))
    assert_one_line_error(
        result,
        str(path),
        f"6.1.1 {MISSING}: Missing definition of product id CSAFPID-nowhere",
        "--force",
        exit_code=2,
    )
    assert result.stdout == ""
    assert _snapshot(herald, tmp_path / "after") == before


def test_a_schema_failure_is_named_with_its_path(herald: Herald, tmp_path: Path) -> None:
    document = _advisory()
    document["document"]["tracking"]["initial_release_date"] = "yesterday"
    path = _write(tmp_path, "dated.json", document)
    result = herald("csaf", "import", str(path))
    assert_one_line_error(
        result, str(path), "schema /document/tracking/initial_release_date:", exit_code=2
    )


def test_a_file_that_is_not_json_is_refused(herald: Herald, tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"document": {', encoding="utf-8")
    assert_one_line_error(
        herald("csaf", "import", str(path)), str(path), "not valid JSON", exit_code=2
    )
    assert_one_line_error(
        herald("csaf", "import", "--force", str(path)), str(path), "not valid JSON", exit_code=2
    )


def test_force_imports_and_reports_the_failures_first(herald: Herald, tmp_path: Path) -> None:
    assert herald("demo").exit_code == 0
    path = _write(tmp_path, "broken.json", _with_undefined_product(_advisory()))
    result = herald("csaf", "import", "--force", str(path))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "imported as a draft" in lines[0]
    report = lines[lines.index("report:") + 1 :]
    assert report[0] == (
        f"  - not valid CSAF, imported with --force: 6.1.1 {MISSING}: "
        "Missing definition of product id CSAFPID-nowhere"
    )
    assert "  - CSAFPID-nowhere: no product name and version in the product tree; dropped" in (
        report
    )


def test_a_valid_document_is_read_without_failures(tmp_path: Path) -> None:
    path = _write(tmp_path, "good.json", _advisory())
    source = read_source(path)
    assert source.failures == ()
    assert source.report_lines() == ()
    assert read_document(path) == _advisory()


def test_the_refusal_counts_the_other_failures(tmp_path: Path) -> None:
    document = _with_undefined_product(_advisory())
    document["vulnerabilities"][0]["product_status"]["known_affected"].append("CSAFPID-else")
    path = _write(tmp_path, "two.json", document)
    with pytest.raises(ValidationError) as caught:
        read_source(path)
    assert caught.value.message == (
        f"{path}: not a valid CSAF 2.0 document, nothing imported: "
        f"6.1.1 {MISSING}: Missing definition of product id CSAFPID-nowhere "
        "(and 1 more; `herald csaf validate` lists them); --force imports it anyway"
    )
    forced = read_source(path, force=True)
    assert [line.split(":")[0] for line in forced.failures] == [
        f"6.1.1 {MISSING}",
        "6.1.1 /vulnerabilities/0/product_status/known_affected/3",
    ]


def test_a_json_value_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "list.json", [])
    with pytest.raises(ValidationError, match="not a CSAF document"):
        read_source(path, force=True)
