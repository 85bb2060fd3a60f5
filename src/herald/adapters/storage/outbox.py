"""The outbox in SQL: alert events and their deliveries.

The outbox statements are set-shaped: deliveries are inserted with one executemany
(SQLAlchemy's insertmanyvalues turns it into multi-row INSERTs), claimed with one
``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`` and recorded
with one UPDATE per outcome kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Integer, String, Table, Text, bindparam, insert, literal, or_, select, update
from sqlalchemy import cast as cast_
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import translated
from herald.adapters.storage.subscriptions import SUBSCRIPTIONS, WORKER_COLUMNS, subscription_of
from herald.adapters.storage.tables.alerts import (
    AlertDeliveryRow,
    AlertEventRow,
    AlertSubscriptionRow,
)
from herald.adapters.storage.tables.base import UtcDateTime
from herald.domain.alerts import (
    AlertEvent,
    Channel,
    Delivery,
    DeliveryStatus,
    EventKind,
    Subscription,
    SubscriptionStatus,
)
from herald.services.ports.alerts import DeliveryFailure, DeliveryView

_INSERT_CHUNK = 5000
_D = AlertDeliveryRow
_DELIVERIES = cast(Table, AlertDeliveryRow.__table__)


def _event(row: AlertEventRow) -> AlertEvent:
    details: dict[str, Any] = row.details
    release_at = details.get("release_at")
    return AlertEvent(
        id=row.id,
        kind=EventKind(row.kind),
        at=row.at,
        article_id=row.article_id,
        revision=row.revision,
        severity=details.get("severity"),
        versions=tuple(details.get("versions", ())),
        changed=tuple(details.get("changed", ())),
        material=bool(details.get("material", True)),
        entry_on=details.get("entry_on"),
        entry_summary=details.get("entry_summary"),
        release_at=datetime.fromisoformat(release_at) if release_at else None,
        group=details.get("group"),
        subscription_id=details.get("subscription_id"),
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        event_id=row.event_id,
        subscription_id=row.subscription_id,
        channel=Channel(row.channel),
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=_utc(row.next_attempt_at),
        created_at=_utc(row.created_at),
        last_error=row.last_error,
        sent_at=_utc(row.sent_at) if row.sent_at is not None else None,
    )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class SqlOutbox:
    """``Outbox`` on one SQLAlchemy session."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def add_event(self, event: AlertEvent) -> None:
        details = {
            "severity": event.severity,
            "versions": list(event.versions),
            "changed": list(event.changed),
            "material": event.material,
            "entry_on": event.entry_on,
            "entry_summary": event.entry_summary,
            "release_at": event.release_at.isoformat() if event.release_at else None,
            "group": event.group,
            "subscription_id": event.subscription_id,
        }
        self._session.execute(
            insert(AlertEventRow).values(
                id=event.id,
                kind=event.kind.value,
                at=event.at,
                article_id=event.article_id,
                revision=event.revision,
                details=details,
            )
        )

    @translated
    def add_deliveries(
        self, event_id: str, recipients: Sequence[tuple[int, Channel]], now: datetime
    ) -> int:
        rows = [
            {
                "event_id": event_id,
                "subscription_id": subscription_id,
                "channel": channel.value,
                "status": DeliveryStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for subscription_id, channel in recipients
        ]
        for start in range(0, len(rows), _INSERT_CHUNK):
            self._session.execute(insert(AlertDeliveryRow), rows[start : start + _INSERT_CHUNK])
        return len(rows)

    @translated
    def fan_out(
        self,
        event_id: str,
        now: datetime,
        minimums: Sequence[str] | None,
        scale: Sequence[str],
        editorial_only: bool,
    ) -> int:
        sub = SUBSCRIPTIONS.c
        wanted = [
            sub.status == SubscriptionStatus.ACTIVE.value,
            cast_(sub.products, Text) == "[]",
            cast_(sub.versions, Text) == "[]",
        ]
        if minimums is None:
            wanted.append(sub.minimum_severity.is_(None))
        else:
            wanted.append(
                or_(
                    sub.minimum_severity.is_(None),
                    sub.minimum_severity.in_(list(minimums)),
                    sub.minimum_severity.not_in(list(scale)),
                )
            )
        if editorial_only:
            wanted.append(sub.editorial.is_(True))
        recipients = select(
            literal(event_id, String()),
            sub.id,
            sub.channel,
            literal(DeliveryStatus.PENDING.value, String()),
            literal(0, Integer()),
            literal(now, UtcDateTime()),
            literal(now, UtcDateTime()),
        ).where(*wanted)
        columns = [
            "event_id",
            "subscription_id",
            "channel",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
        ]
        result = self._session.execute(
            insert(_DELIVERIES).from_select(columns, recipients),
            execution_options={"synchronize_session": False},
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    @translated
    def events(self, event_ids: Sequence[str]) -> dict[str, AlertEvent]:
        if not event_ids:
            return {}
        rows = self._session.scalars(
            select(AlertEventRow).where(AlertEventRow.id.in_(list(event_ids)))
        )
        return {row.id: _event(row) for row in rows}

    @translated
    def claimed_subscriptions(self, token: str) -> dict[int, Subscription]:
        claimed = select(_D.subscription_id).where(_D.claim == token)
        rows = self._session.connection().execute(
            WORKER_COLUMNS.where(SUBSCRIPTIONS.c.id.in_(claimed))
        )
        return {row.id: subscription_of(row) for row in rows}

    @translated
    def claim(self, limit: int, now: datetime, lease_until: datetime, token: str) -> list[Delivery]:
        due = (
            select(_D.id)
            .where(
                _D.status == DeliveryStatus.PENDING.value,
                _D.next_attempt_at <= now,
                or_(_D.claimed_until.is_(None), _D.claimed_until < now),
            )
            .order_by(_D.next_attempt_at, _D.id)
            .limit(limit)
            .with_for_update(skip_locked=True)  # SQLite: left out; BEGIN IMMEDIATE serialises
        )
        result = self._session.execute(
            update(_D)
            .where(_D.id.in_(due.scalar_subquery()))
            .values(claim=token, claimed_until=lease_until, attempts=_D.attempts + 1)
            .returning(
                _D.id,
                _D.event_id,
                _D.subscription_id,
                _D.channel,
                _D.status,
                _D.attempts,
                _D.next_attempt_at,
                _D.created_at,
                _D.last_error,
                _D.sent_at,
            )
            .execution_options(synchronize_session=False)
        )
        return sorted((_delivery(row) for row in result), key=lambda d: d.id)

    @translated
    def record(self, token: str, failures: Sequence[DeliveryFailure], now: datetime) -> int:
        if failures:
            statement = (
                update(_DELIVERIES)
                .where(_DELIVERIES.c.id == bindparam("failed_id"), _DELIVERIES.c.claim == token)
                .values(
                    status=bindparam("new_status"),
                    next_attempt_at=bindparam("retry_at"),
                    last_error=bindparam("error"),
                    claim=None,
                    claimed_until=None,
                )
            )
            self._session.connection().execute(
                statement,
                [
                    {
                        "failed_id": f.delivery_id,
                        "new_status": f.status.value,
                        "retry_at": f.next_attempt_at,
                        "error": f.error[:2000],
                    }
                    for f in failures
                ],
            )
        result = self._session.execute(
            update(_D)
            .where(_D.claim == token)
            .values(
                status=DeliveryStatus.SENT.value,
                sent_at=now,
                claim=None,
                claimed_until=None,
                last_error=None,
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    @translated
    def deliveries(self, article_id: str) -> Sequence[DeliveryView]:
        rows = self._session.execute(
            select(_D, AlertSubscriptionRow.target, AlertEventRow.kind)
            .join(AlertEventRow, AlertEventRow.id == _D.event_id)
            .join(AlertSubscriptionRow, AlertSubscriptionRow.id == _D.subscription_id)
            .where(AlertEventRow.article_id == article_id)
            .order_by(AlertEventRow.at.desc(), _D.id)
        )
        return [DeliveryView(_delivery(row[0]), row[1], row[2]) for row in rows]

    @translated
    def failed_ids(self, article_id: str) -> Sequence[int]:
        return list(
            self._session.scalars(
                select(_D.id)
                .join(AlertEventRow, AlertEventRow.id == _D.event_id)
                .where(
                    AlertEventRow.article_id == article_id,
                    _D.status == DeliveryStatus.FAILED.value,
                )
            )
        )

    @translated
    def resend(self, delivery_ids: Sequence[int], now: datetime) -> int:
        if not delivery_ids:
            return 0
        result = self._session.execute(
            update(_D)
            .where(_D.id.in_(list(delivery_ids)), _D.status == DeliveryStatus.FAILED.value)
            .values(
                status=DeliveryStatus.PENDING.value,
                next_attempt_at=now,
                claim=None,
                claimed_until=None,
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
