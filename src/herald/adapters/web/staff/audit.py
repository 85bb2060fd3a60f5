"""Reading the audit log for admins, with a unified diff of each entry's before and after."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from herald.domain.audit import AuditEntry
from herald.domain.audit_chain import ChainedEntry
from herald.services.audit import AuditPage

PAGE_SIZE = 50
"""Audit entries per page."""


@dataclass(frozen=True)
class DiffLine:
    """One line of a unified diff; ``kind`` is add, remove, hunk, file or context."""

    kind: str
    text: str


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    diff: tuple[DiffLine, ...]


@dataclass(frozen=True)
class AuditView:
    rows: tuple[AuditRow, ...]
    next_before_id: int | None
    """The ``before_id`` of the next (older) page, when there is one."""
    head: ChainedEntry | None
    """The newest entry of the whole log: its chain hash is what admins note elsewhere."""


def audit_view(page: AuditPage) -> AuditView:
    """A page of the audit log with the diff of each entry."""
    rows = tuple(AuditRow(e, tuple(diff(e.before, e.after))) for e in page.entries)
    return AuditView(rows, page.next_before_id, page.head)


def diff(before: str | None, after: str | None) -> Sequence[DiffLine]:
    """A unified diff of two herald/v1 texts (either may be absent)."""
    lines = difflib.unified_diff(
        (before or "").splitlines(keepends=True),
        (after or "").splitlines(keepends=True),
        fromfile="before" if before is not None else "(none)",
        tofile="after" if after is not None else "(deleted)",
    )
    found: list[DiffLine] = []
    for index, line in enumerate(lines):
        text = line.rstrip("\n")
        if index < 2:
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "remove"
        else:
            kind = "context"
        found.append(DiffLine(kind, text))
    return found
