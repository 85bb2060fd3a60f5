"""Reading the audit log for admins, with a unified diff of each entry's before and after."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from herald.domain.accounts import Action
from herald.domain.audit import AuditEntry
from herald.services.actors import Actor
from herald.services.ports import UnitOfWorkFactory

PAGE_SIZE = 50


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
class AuditPage:
    rows: tuple[AuditRow, ...]
    next_before_id: int | None
    """The ``before_id`` of the next (older) page, when there is one."""


class AuditReader:
    """The audit log, newest first, for those allowed to read it."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._unit_of_work = unit_of_work

    def page(
        self, actor: Actor, *, subject: str | None = None, before_id: int | None = None
    ) -> AuditPage:
        actor.require(Action.READ_AUDIT)
        with self._unit_of_work() as uow:
            entries = list(
                uow.audit.list(subject=subject, limit=PAGE_SIZE + 1, before_id=before_id)
            )
        more = len(entries) > PAGE_SIZE
        shown = entries[:PAGE_SIZE]
        rows = tuple(AuditRow(entry, tuple(diff(entry.before, entry.after))) for entry in shown)
        return AuditPage(rows, shown[-1].id if more and shown else None)


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
