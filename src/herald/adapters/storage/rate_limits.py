"""``RateLimitStore`` on the ``rate_limit_events`` table."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import translated
from herald.adapters.storage.tables.rate_limits import RateLimitEventRow


class SqlRateLimitStore:
    """Limited events, one row each, counted per key over a window."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def count(self, key: str, since: datetime) -> int:
        found = self._session.scalar(
            select(func.count())
            .select_from(RateLimitEventRow)
            .where(RateLimitEventRow.key == key, RateLimitEventRow.at > since)
        )
        return found or 0

    @translated
    def oldest(self, key: str, since: datetime) -> datetime | None:
        found = self._session.scalar(
            select(func.min(RateLimitEventRow.at)).where(
                RateLimitEventRow.key == key, RateLimitEventRow.at > since
            )
        )
        if found is not None and found.tzinfo is None:  # SQLite keeps no zone
            found = found.replace(tzinfo=UTC)
        return found

    @translated
    def record(self, key: str, at: datetime) -> None:
        self._session.add(RateLimitEventRow(key=key, at=at))
        self._session.flush()

    @translated
    def prune(self, before: datetime) -> int:
        result = self._session.execute(
            delete(RateLimitEventRow).where(RateLimitEventRow.at < before),
            execution_options={"synchronize_session": False},
        )
        return int(getattr(result, "rowcount", 0) or 0)
