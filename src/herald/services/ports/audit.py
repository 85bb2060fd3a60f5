"""The audit log."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Protocol

from herald.domain.audit import AuditEntry
from herald.domain.audit_chain import ChainedEntry


class AuditLog(Protocol):
    """The append-only record of every change."""

    def append(self, entry: AuditEntry) -> AuditEntry:
        """Store an entry; returns it with its sequence number."""
        ...

    def list(
        self, *, subject: str | None = None, limit: int = 50, before_id: int | None = None
    ) -> Sequence[AuditEntry]:
        """Newest first; only about ``subject`` when given; older than ``before_id``."""
        ...

    def head(self) -> ChainedEntry | None:
        """The newest entry with its chain hash, or None while the log is empty."""
        ...

    def chain(self) -> Generator[ChainedEntry, None, None]:
        """Every entry with its link and chain hash, oldest first (close it to stop early)."""
        ...
