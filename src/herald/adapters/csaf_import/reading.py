"""Reading the file to import: safe loading, then the validator's schema and mandatory tests.

A document that fails the CSAF 2.0 schema or a mandatory test (section 6.1) is refused
before anything is mapped, with one line naming the file and the first failure;
``force`` imports it all the same and lists the failures at the top of the report.
A file that cannot be read as JSON is always refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from herald.adapters.csaf_validation import (
    CsafValidator,
    DocumentLoadError,
    Level,
    LoadLimits,
    Preset,
    load_json_file,
)
from herald.domain.errors import ValidationError

MAX_BYTES = 20_000_000
"""Larger files are refused before parsing."""
_VALIDATOR = CsafValidator(Preset.BASIC, LoadLimits(max_bytes=MAX_BYTES))


@dataclass(frozen=True)
class SourceDocument:
    """A document read for import, and the tests it failed (when imported with ``force``)."""

    document: dict[str, Any]
    failures: tuple[str, ...] = ()
    """``TEST PATH: message`` per failed schema rule or mandatory test."""

    def report_lines(self) -> tuple[str, ...]:
        """The failures as lines of the import report."""
        return tuple(f"not valid CSAF, imported with --force: {line}" for line in self.failures)


def read_source(path: Path, *, force: bool = False) -> SourceDocument:
    """Load ``path`` and validate it (schema and mandatory tests).

    ``ValidationError`` (one line, naming the file) when it cannot be read or, unless
    ``force``, when it is not a valid CSAF 2.0 document.
    """
    try:
        document = load_json_file(path, _VALIDATOR.limits)
    except DocumentLoadError as error:
        raise ValidationError("", str(error)) from None
    if not isinstance(document, dict):
        raise ValidationError("", f"{path}: not a CSAF document (no JSON object)")
    report = _VALIDATOR.validate_document(document, str(path))
    failures = tuple(
        f"{finding.test_id} {finding.path or '/'}: {finding.message}"
        for finding in report.findings
        if finding.level is Level.ERROR
    )
    if failures and not force:
        raise ValidationError("", _refusal(path, failures))
    return SourceDocument(document, failures)


def read_document(path: Path) -> dict[str, Any]:
    """The document in ``path`` when it is valid CSAF 2.0; ``ValidationError`` otherwise."""
    return read_source(path).document


def _refusal(path: Path, failures: tuple[str, ...]) -> str:
    more = len(failures) - 1
    also = f" (and {more} more; `herald csaf validate` lists them)" if more else ""
    return (
        f"{path}: not a valid CSAF 2.0 document, nothing imported: {failures[0]}{also}; "
        "--force imports it anyway"
    )
