"""The audit log (revision 0002, chained in 0005; private)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from herald.adapters.storage.tables.base import Base


class AuditRow(Base, public=False):
    """One audit-log entry; rows are inserted, never updated or deleted (``append`` sets
    ``chain_hash`` right after the insert, once the number is known, in the same transaction)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "subject", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str]
    action: Mapped[str]
    subject: Mapped[str]
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    previous_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """The ``chain_hash`` of the entry before (revision 0005); unique, so the log never forks."""
    chain_hash: Mapped[str] = mapped_column(String(64))
    """SHA-256 over ``previous_hash`` and this entry (``herald.domain.audit_chain``)."""
