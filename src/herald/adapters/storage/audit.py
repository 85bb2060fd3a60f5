"""The audit log: entries are appended and read, and nothing else.

``SqlAuditLog`` has no method that changes or removes an entry, and no repository
writes ``audit_log`` except through ``append``. Each entry is chained to the one before
it (``herald.domain.audit_chain``); appends are serialized so that two transactions
never link to the same predecessor: on SQLite a writer holds the database's write lock
from its ``BEGIN IMMEDIATE``, on PostgreSQL ``append`` takes a transaction-level advisory
lock first. ``previous_hash`` is unique besides, so a fork could not be stored anyway.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import replace

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import storage_errors, translated
from herald.adapters.storage.mapping import audit_from_row, audit_row, chained_from_row
from herald.adapters.storage.tables.audit import AuditRow
from herald.domain.audit import AuditEntry
from herald.domain.audit_chain import GENESIS_HASH, ChainedEntry, chain_hash
from herald.domain.errors import ValidationError

MAX_LIMIT = 1000
"""The most entries one ``list`` returns."""

APPEND_LOCK = 7_263_541_002
"""PostgreSQL advisory lock key held by a transaction that appends, until it ends."""

_BATCH = 500
"""Rows fetched at a time while walking the whole chain."""


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
        previous = self._lock_and_read_last_hash()
        row = audit_row(entry)
        row.previous_hash = previous
        row.chain_hash = ""  # set below, once the row has its number (same transaction)
        self._session.add(row)
        self._session.flush()
        stored = replace(entry, id=row.id)
        row.chain_hash = chain_hash(previous, stored)
        self._session.flush()
        return stored

    def _lock_and_read_last_hash(self) -> str:
        """Wait for the append lock, then read the newest entry's hash (committed or ours)."""
        self._wait_for_turn()
        newest = select(AuditRow.chain_hash).order_by(AuditRow.id.desc()).limit(1)
        return self._session.scalars(newest).first() or GENESIS_HASH

    def _wait_for_turn(self) -> None:
        """Hold the append lock until the transaction ends (SQLite's writers already do)."""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})

    @translated
    def head(self) -> ChainedEntry | None:
        """The newest entry with its hash, or None while the log is empty."""
        newest = select(AuditRow).order_by(AuditRow.id.desc()).limit(1)
        row = self._session.scalars(newest).first()
        return chained_from_row(row) if row is not None else None

    def chain(self) -> Generator[ChainedEntry, None, None]:
        """Every entry with its link and hash, oldest first, read in batches (close it to
        stop early: that closes the cursor)."""
        statement = select(AuditRow).order_by(AuditRow.id).execution_options(yield_per=_BATCH)
        with storage_errors(self._where):
            rows = self._session.scalars(statement)
            try:
                for row in rows:
                    yield chained_from_row(row)
            finally:
                rows.close()

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
