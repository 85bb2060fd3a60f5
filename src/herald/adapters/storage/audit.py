"""The audit log: entries are appended and read, and nothing else.

``SqlAuditLog`` has no method that changes or removes an entry, and no repository
writes ``audit_log`` except through ``append``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import translated
from herald.adapters.storage.mapping import audit_from_row, audit_row
from herald.adapters.storage.tables import AuditRow
from herald.domain.audit import AuditEntry
from herald.domain.errors import ValidationError

MAX_LIMIT = 1000
"""The most entries one ``list`` returns."""


class SqlAuditLog:
    """The append-only record of every change, numbered in the order it was written."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def append(self, entry: AuditEntry) -> AuditEntry:
        """Store an entry; returns it with its sequence number (the log numbers entries)."""
        if entry.id is not None:
            raise ValidationError("id", "the audit log numbers its entries itself")
        row = audit_row(entry)
        self._session.add(row)
        self._session.flush()
        return replace(entry, id=row.id)

    @translated
    def list(
        self, *, subject: str | None = None, limit: int = 50, before_id: int | None = None
    ) -> Sequence[AuditEntry]:
        """Newest first; only about ``subject`` when given; older than ``before_id``."""
        if not 1 <= limit <= MAX_LIMIT:
            raise ValidationError("limit", f"give a page size from 1 to {MAX_LIMIT}")
        statement = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if subject is not None:
            statement = statement.where(AuditRow.subject == subject)
        if before_id is not None:
            statement = statement.where(AuditRow.id < before_id)
        return [audit_from_row(row) for row in self._session.scalars(statement)]
