"""Staff sessions in SQL: their store (``SqlUnitOfWork.sessions``), over ``staff_sessions``
(``tables/sessions.py``), keyed by the SHA-256 of the session id."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import translated
from herald.adapters.storage.tables.sessions import StaffSessionRow
from herald.services.ports.sessions import LAST_SEEN_PRECISION, StoredSession


def _session(row: StaffSessionRow) -> StoredSession:
    return StoredSession(
        id_hash=row.id_hash,
        username=row.username,
        data=dict(row.data) if isinstance(row.data, dict) else {},
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
    )


class SqlSessionStore:
    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def find(self, id_hash: str) -> StoredSession | None:
        row = self._session.get(StaffSessionRow, id_hash)
        return _session(row) if row is not None else None

    @translated
    def add(self, session: StoredSession) -> None:
        self._session.add(
            StaffSessionRow(
                id_hash=session.id_hash,
                username=session.username,
                data=dict(session.data),
                created_at=session.created_at,
                last_seen_at=session.last_seen_at,
                expires_at=session.expires_at,
            )
        )
        self._session.flush()

    @translated
    def save(
        self, id_hash: str, username: str | None, data: Mapping[str, Any], seen_at: datetime
    ) -> bool:
        result = self._session.execute(
            update(StaffSessionRow)
            .where(StaffSessionRow.id_hash == id_hash)
            .values(username=username, data=dict(data), last_seen_at=seen_at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    @translated
    def touch(self, id_hash: str, at: datetime) -> None:
        # One conditional UPDATE: concurrent requests write the minute once between them.
        recent = at - LAST_SEEN_PRECISION + timedelta(microseconds=1)
        self._session.execute(
            update(StaffSessionRow)
            .where(StaffSessionRow.id_hash == id_hash, StaffSessionRow.last_seen_at < recent)
            .values(last_seen_at=at)
        )

    @translated
    def delete(self, id_hash: str) -> None:
        self._session.execute(delete(StaffSessionRow).where(StaffSessionRow.id_hash == id_hash))

    @translated
    def delete_of(self, username: str) -> int:
        result = self._session.execute(
            delete(StaffSessionRow).where(StaffSessionRow.username == username)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    @translated
    def prune(self, now: datetime) -> int:
        result = self._session.execute(
            delete(StaffSessionRow).where(StaffSessionRow.expires_at <= now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
