"""Predisclosure in SQL: the group told of a scheduled bulletin before its release."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, select, update
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import translated
from herald.adapters.storage.tables.alerts import AlertPredisclosureRow
from herald.adapters.storage.tables.bulletins import BulletinRow
from herald.domain.bulletin import Status


class SqlPredisclosureStore:
    """``PredisclosureStore`` on one SQLAlchemy session."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def predisclosure(self, article_id: str) -> str | None:
        row = self._session.get(AlertPredisclosureRow, article_id, populate_existing=True)
        return None if row is None else row.group_name

    @translated
    def set_predisclosure(self, article_id: str, group: str | None) -> None:
        self._session.execute(
            delete(AlertPredisclosureRow).where(AlertPredisclosureRow.article_id == article_id)
        )
        if group is not None:
            self._session.add(AlertPredisclosureRow(article_id=article_id, group_name=group))
        self._session.flush()

    @translated
    def due_predisclosures(self, release_before: datetime) -> Sequence[str]:
        statement = (
            select(AlertPredisclosureRow.article_id)
            .join(BulletinRow, BulletinRow.article_id == AlertPredisclosureRow.article_id)
            .where(
                and_(
                    AlertPredisclosureRow.event_id.is_(None),
                    BulletinRow.status == Status.SCHEDULED.value,
                    BulletinRow.release_at <= release_before,
                )
            )
            .with_for_update(of=AlertPredisclosureRow, skip_locked=True)
        )
        return list(self._session.scalars(statement))

    @translated
    def mark_predisclosed(self, article_id: str, event_id: str) -> None:
        self._session.execute(
            update(AlertPredisclosureRow)
            .where(AlertPredisclosureRow.article_id == article_id)
            .values(event_id=event_id)
        )
