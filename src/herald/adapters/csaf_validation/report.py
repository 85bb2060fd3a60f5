"""What the validator found in one file: findings, skipped tests, a verdict."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    """How a finding counts: CSAF 2.0 section 6 says errors, warnings and information."""

    ERROR = "error"
    """The JSON schema or a mandatory test (6.1) failed: the document is not valid."""
    WARNING = "warning"
    """An optional test (6.2) failed; the document stays valid."""
    NOTE = "note"
    """An informative test (6.3) failed; the document stays valid."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed check at one place in the document."""

    test_id: str
    """``schema``, or the section number of the test, e.g. ``6.1.27.9``."""
    path: str
    """JSON pointer of the offending value (``""`` is the whole document)."""
    message: str
    """What is wrong, in one line."""
    level: Level
    """Error, warning or note."""

    def line(self) -> str:
        """``6.1.1 /product_tree/... : message``."""
        return f"{self.test_id} {self.path or '/'} : {self.message}"

    def as_json(self) -> dict[str, str]:
        return {
            "test": self.test_id,
            "level": self.level.value,
            "path": self.path,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class SkippedTest:
    """A test that was not run, and why (network, dictionary, not selected)."""

    test_id: str
    """Section number of the test."""
    reason: str
    """Why it was not run."""

    def as_json(self) -> dict[str, str]:
        return {"test": self.test_id, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class FileReport:
    """The verdict on one file (or one document given as data)."""

    source: str
    """The file name as given, or a label for in-memory documents."""
    findings: tuple[Finding, ...] = ()
    """Every failed check, schema first, then in test order."""
    skipped: tuple[SkippedTest, ...] = ()
    """Tests that were not run, with the reason."""
    load_error: str | None = None
    """Set when the file could not be read as JSON; then nothing else was checked."""
    load_reason: str | None = None
    """Machine-readable reason of the load error (``too_large``, ``not_utf8``, ...)."""

    @property
    def valid(self) -> bool:
        """A CSAF document: readable, schema-valid and no mandatory test failed."""
        return self.load_error is None and not any(
            finding.level is Level.ERROR for finding in self.findings
        )

    def count(self, level: Level) -> int:
        return sum(1 for finding in self.findings if finding.level is level)

    def failed_tests(self) -> list[str]:
        """The ids of the tests with errors, each once, in order."""
        seen: dict[str, None] = {}
        for finding in self.findings:
            if finding.level is Level.ERROR:
                seen.setdefault(finding.test_id, None)
        return list(seen)

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.source,
            "valid": self.valid,
            "load_error": (
                None
                if self.load_error is None
                else {"reason": self.load_reason, "message": self.load_error}
            ),
            "errors": self.count(Level.ERROR),
            "warnings": self.count(Level.WARNING),
            "notes": self.count(Level.NOTE),
            "findings": [finding.as_json() for finding in self.findings],
            "skipped": [skipped.as_json() for skipped in self.skipped],
        }


@dataclass(frozen=True, slots=True)
class BatchReport:
    """The verdicts on every file of one run."""

    files: tuple[FileReport, ...] = field(default_factory=tuple)
    """One report per file, in the order the files were given."""

    @property
    def valid(self) -> bool:
        return all(report.valid for report in self.files)

    def as_json(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "files": [report.as_json() for report in self.files],
            "summary": {
                "files": len(self.files),
                "invalid": sum(1 for report in self.files if not report.valid),
            },
        }


def render_json(batch: BatchReport) -> str:
    """The machine report: one JSON object, stable key order."""
    return json.dumps(batch.as_json(), indent=2, ensure_ascii=False)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_text(batch: BatchReport, *, show: Sequence[Level] = tuple(Level)) -> str:
    """One header line per file, then one line per finding of the chosen levels."""
    lines: list[str] = []
    for report in batch.files:
        lines.extend(_file_lines(report, show))
    invalid = sum(1 for report in batch.files if not report.valid)
    lines.append(
        f"{_plural(len(batch.files), 'file')} checked, {invalid} invalid"
        if batch.files
        else "no files checked"
    )
    return "\n".join(lines)


def _file_lines(report: FileReport, show: Iterable[Level]) -> list[str]:
    if report.load_error is not None:
        return [f"{report.source}: invalid: {report.load_error}"]
    counts = ", ".join(
        _plural(report.count(level), word)
        for level, word in (
            (Level.ERROR, "error"),
            (Level.WARNING, "warning"),
            (Level.NOTE, "note"),
        )
    )
    verdict = "valid" if report.valid else "invalid"
    lines = [f"{report.source}: {verdict} ({counts})"]
    wanted = set(show)
    width = max(len(level.value) for level in Level)
    lines.extend(
        f"  {finding.level.value:<{width}} {finding.line()}"
        for finding in report.findings
        if finding.level in wanted
    )
    return lines
