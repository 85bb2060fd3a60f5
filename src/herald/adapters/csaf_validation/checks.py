"""The shape of a test: an id, a title, a level and a function over the index."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from herald.adapters.csaf_validation.index import DocumentIndex, Revision
from herald.adapters.csaf_validation.report import Level
from herald.adapters.csaf_validation.versions import parse_version

Problem = tuple[str, str]
"""(JSON pointer, message) — what a test yields for each failure."""

TestFunction = Callable[[DocumentIndex], Iterable[Problem]]


@dataclass(frozen=True, slots=True)
class Check:
    """One test of CSAF 2.0 section 6."""

    test_id: str
    """Section number, e.g. ``6.1.27.3``."""
    title: str
    """The section title in the standard."""
    level: Level
    """Error for 6.1, warning for 6.2, note for 6.3."""
    run: TestFunction
    """Yields a (path, message) per failure."""
    skip_reason: str | None = None
    """Set for tests herald does not run (network, dictionaries); ``run`` yields nothing."""


class CheckList:
    """An ordered collection that test modules register into with a decorator."""

    def __init__(self, level: Level) -> None:
        self.level = level
        self.checks: list[Check] = []

    def __call__(self, test_id: str, title: str) -> Callable[[TestFunction], TestFunction]:
        def register(function: TestFunction) -> TestFunction:
            self.checks.append(Check(test_id, title, self.level, function))
            return function

        return register

    def skipped(self, test_id: str, title: str, reason: str) -> None:
        self.checks.append(Check(test_id, title, self.level, _nothing, reason))

    def __iter__(self) -> Iterator[Check]:
        return iter(self.checks)


def _nothing(index: DocumentIndex) -> Iterable[Problem]:
    return ()


@lru_cache(maxsize=8192)
def parse_datetime(value: str) -> datetime | None:
    """An RFC 3339 date-time as an aware datetime (naive ones taken as UTC), or None."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def dated_revisions(index: DocumentIndex) -> list[tuple[datetime, Revision]] | None:
    """Revisions sorted by date, ties by version; None if a date or number is unreadable.

    Items with the same date are ordered by their version numbers: the standard sorts
    "by date", and the OASIS suite's valid examples 6.1.14-12 and 6.1.16-16/17 list
    two revisions of one instant with the higher number first.
    """
    if "dated_revisions" in index.cache:
        cached: list[tuple[datetime, Revision]] | None = index.cache["dated_revisions"]
        return cached
    result = _dated_revisions(index)
    index.cache["dated_revisions"] = result
    return result


def _dated_revisions(index: DocumentIndex) -> list[tuple[datetime, Revision]] | None:
    dated: list[tuple[datetime, Any, Revision]] = []
    for revision in index.revisions:
        moment = parse_datetime(revision.date) if revision.date is not None else None
        version = parse_version(revision.number)
        if moment is None or version is None:
            return None
        dated.append((moment, version.precedence_key(), revision))
    dated.sort(key=lambda item: (item[0], item[1]))
    return [(moment, revision) for moment, _, revision in dated]
