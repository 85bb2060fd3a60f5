"""Verdicts and their text and JSON renderings."""

from __future__ import annotations

import json
from typing import Any

from herald.adapters.csaf_validation import (
    BatchReport,
    CsafValidator,
    Level,
    Preset,
    render_json,
    render_text,
    validate_document,
)
from tests.adapters.csaf_validation.builders import advisory


def _broken() -> dict[str, Any]:
    document = advisory()
    document["vulnerabilities"][0]["product_status"]["known_affected"].append("CSAFPID-9080700")
    document["document"]["tracking"]["version"] = "3"
    return document


def test_a_clean_advisory_has_no_findings() -> None:
    report = validate_document(advisory())
    assert report.valid
    assert report.findings == ()
    assert {skipped.test_id for skipped in report.skipped} == {"6.3.6", "6.3.7", "6.3.8"}
    assert all(skipped.reason for skipped in report.skipped)


def test_errors_name_the_test_and_the_json_path() -> None:
    report = validate_document(_broken())
    assert not report.valid
    assert report.failed_tests() == ["6.1.1", "6.1.16"]
    lines = [finding.line() for finding in report.findings if finding.level is Level.ERROR]
    assert (
        "6.1.1 /vulnerabilities/0/product_status/known_affected/1 : "
        "Missing definition of product id CSAFPID-9080700"
    ) in lines


def test_warnings_and_notes_do_not_invalidate() -> None:
    document = advisory()
    del document["document"]["lang"]
    del document["vulnerabilities"][0]["cwe"]
    report = validate_document(document)
    assert report.valid
    assert [(finding.test_id, finding.level) for finding in report.findings] == [
        ("6.2.12", Level.WARNING),
        ("6.3.4", Level.NOTE),
    ]


def test_the_basic_preset_runs_only_the_schema_and_mandatory_tests() -> None:
    document = _broken()
    del document["document"]["lang"]
    report = CsafValidator(Preset.BASIC).validate_document(document)
    assert {finding.level for finding in report.findings} == {Level.ERROR}
    assert report.skipped == ()


def test_schema_errors_come_first_with_their_path() -> None:
    document = advisory()
    document["document"]["tracking"]["initial_release_date"] = "yesterday"
    report = validate_document(document)
    assert report.findings[0].test_id == "schema"
    assert report.findings[0].path == "/document/tracking/initial_release_date"


def test_the_text_report() -> None:
    batch = BatchReport(
        (
            validate_document(advisory(), preset=Preset.BASIC),
            CsafValidator(Preset.BASIC).validate_document(_broken(), "broken.json"),
            CsafValidator().validate_bytes(b"{", "cut.json"),
        )
    )
    lines = render_text(batch).splitlines()
    assert lines[0] == "<document>: valid (0 errors, 0 warnings, 0 notes)"
    assert lines[1] == "broken.json: invalid (2 errors, 0 warnings, 0 notes)"
    assert lines[2].startswith(
        "  error   6.1.1 /vulnerabilities/0/product_status/known_affected/1 : "
    )
    assert lines[4].startswith("cut.json: invalid: not valid JSON: ")
    assert lines[-1] == "3 files checked, 2 invalid"


def test_the_json_report() -> None:
    batch = BatchReport(
        (
            CsafValidator(Preset.BASIC).validate_document(_broken(), "broken.json"),
            CsafValidator().validate_bytes(b"\xff", "binary.json"),
        )
    )
    data = json.loads(render_json(batch))
    assert data["valid"] is False
    assert data["summary"] == {"files": 2, "invalid": 2}
    broken, binary = data["files"]
    assert broken["errors"] == 2
    assert broken["findings"][0] == {
        "test": "6.1.1",
        "level": "error",
        "path": "/vulnerabilities/0/product_status/known_affected/1",
        "message": "Missing definition of product id CSAFPID-9080700",
    }
    assert binary["load_error"]["reason"] == "not_utf8"
    assert binary["findings"] == []
