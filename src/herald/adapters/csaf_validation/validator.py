"""Validate CSAF 2.0 documents: JSON schema, then the tests of section 6 over one index."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, assert_never

from herald.adapters.csaf_validation.checks import Check
from herald.adapters.csaf_validation.indexing import build_index
from herald.adapters.csaf_validation.informative import INFORMATIVE
from herald.adapters.csaf_validation.loading import (
    DocumentLoadError,
    LoadLimits,
    load_json_file,
    parse_json_bytes,
)
from herald.adapters.csaf_validation.mandatory import MANDATORY
from herald.adapters.csaf_validation.optional import OPTIONAL
from herald.adapters.csaf_validation.report import (
    BatchReport,
    FileReport,
    Finding,
    Level,
    SkippedTest,
)
from herald.adapters.csaf_validation.schema import compiled_schemas

SCHEMA_TEST_ID = "schema"


class Preset(StrEnum):
    """Which tests run, after the schema: the validator classes of CSAF 2.0 section 9.1."""

    BASIC = "basic"
    """Schema and mandatory tests (a "CSAF basic validator")."""
    EXTENDED = "extended"
    """... and the optional tests (a "CSAF extended validator")."""
    FULL = "full"
    """... and the informative tests herald can run offline (default)."""

    def checks(self) -> list[Check]:
        match self:
            case Preset.BASIC:
                return list(MANDATORY)
            case Preset.EXTENDED:
                return [*MANDATORY, *OPTIONAL]
            case Preset.FULL:
                return [*MANDATORY, *OPTIONAL, *INFORMATIVE]
            case _:
                assert_never(self)


def all_checks() -> list[Check]:
    """Every test herald knows, in section order."""
    return Preset.FULL.checks()


@dataclass(frozen=True, slots=True)
class CsafValidator:
    """Validates documents; reusable and safe to share (the schemas are compiled once)."""

    preset: Preset = Preset.FULL
    """Which tests to run."""
    limits: LoadLimits = field(default_factory=LoadLimits)
    """Limits for reading files."""

    def validate_document(self, document: Any, source: str = "<document>") -> FileReport:
        """Check one parsed document."""
        findings = [
            Finding(SCHEMA_TEST_ID, error.path, error.message, Level.ERROR)
            for error in compiled_schemas().csaf_errors(document)
        ]
        index = build_index(document)
        index.schema_valid = not findings
        for check in _runnable(self.preset):
            for path, message in check.run(index):
                if not message.isprintable():
                    message = _printable(message)
                findings.append(Finding(check.test_id, path, message, check.level))
        return FileReport(source, tuple(findings), _skipped(self.preset))

    def validate_bytes(self, data: bytes, source: str = "<bytes>") -> FileReport:
        """Check a document given as bytes (decoded and parsed within the limits)."""
        try:
            document = parse_json_bytes(data, source, self.limits)
        except DocumentLoadError as error:
            return _load_failure(error)
        return self.validate_document(document, source)

    def validate_file(self, path: Path, label: str | None = None) -> FileReport:
        """Check one file; a file that cannot be read gives a report with ``load_error``."""
        source = label if label is not None else str(path)
        try:
            document = load_json_file(path, self.limits)
        except DocumentLoadError as error:
            return _load_failure(error, source)
        return self.validate_document(document, source)

    def validate_paths(self, paths: Sequence[Path]) -> BatchReport:
        """Check files, and every ``*.json`` below each folder, in name order."""
        return BatchReport(tuple(self.validate_file(path) for path in expand_paths(paths)))


def _printable(message: str) -> str:
    """The message on one line: characters such as a newline in a quoted id are escaped."""
    return "".join(
        character if character.isprintable() else character.encode("unicode_escape").decode()
        for character in message
    )


@cache
def _runnable(preset: Preset) -> tuple[Check, ...]:
    return tuple(check for check in preset.checks() if check.skip_reason is None)


@cache
def _skipped(preset: Preset) -> tuple[SkippedTest, ...]:
    return tuple(
        SkippedTest(check.test_id, check.skip_reason)
        for check in preset.checks()
        if check.skip_reason is not None
    )


def _load_failure(error: DocumentLoadError, source: str | None = None) -> FileReport:
    return FileReport(
        source if source is not None else error.source,
        load_error=error.detail,
        load_reason=error.reason,
    )


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders replaced by the ``*.json`` files below them, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                candidate for candidate in path.rglob("*.json") if candidate.is_file()
            )
        else:
            yield path


def validate_document(document: Any, preset: Preset = Preset.FULL) -> FileReport:
    """Shortcut: check one parsed document with the default limits."""
    return CsafValidator(preset).validate_document(document)
