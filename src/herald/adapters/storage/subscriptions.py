"""Subscriber groups, subscriptions and their pending confirmations, in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Table, Text, or_, select, update
from sqlalchemy import cast as cast_
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import translated
from herald.adapters.storage.tables.alerts import AlertGroupRow, AlertSubscriptionRow
from herald.domain.alerts import (
    AlertFilter,
    Channel,
    SubscriberGroup,
    Subscription,
    SubscriptionStatus,
)
from herald.domain.errors import Conflict, NotFound
from herald.services.ports.alerts import Confirmation

SUBSCRIPTIONS = cast(Table, AlertSubscriptionRow.__table__)
WORKER_COLUMNS = select(
    *(
        SUBSCRIPTIONS.c[name]
        for name in (
            "id",
            "channel",
            "target",
            "status",
            "products",
            "versions",
            "minimum_severity",
            "editorial",
            "group_name",
            "secret",
            "previous_secret",
            "previous_until",
        )
    )
)
"""The columns a worker or the planner needs, read without the ORM (fast for many rows)."""


def _group(row: AlertGroupRow) -> SubscriberGroup:
    return SubscriberGroup(row.name, row.title, row.subject_prefix, row.intro)


def _subscription(row: AlertSubscriptionRow) -> Subscription:
    return replace(subscription_of(row), created_at=row.created_at, confirmed_at=row.confirmed_at)


def subscription_of(row: Any) -> Subscription:
    """A subscription from the columns a worker needs (a Core row, or an ORM row)."""
    return Subscription(
        id=row.id,
        channel=Channel(row.channel),
        target=row.target,
        status=SubscriptionStatus(row.status),
        filter=AlertFilter(
            products=tuple(row.products),
            versions=tuple(row.versions),
            minimum_severity=row.minimum_severity,
            editorial=row.editorial,
        ),
        group=row.group_name,
        secret=row.secret,
        previous_secret=row.previous_secret,
        previous_until=row.previous_until,
    )


def _fill(row: AlertSubscriptionRow, subscription: Subscription) -> None:
    row.channel = subscription.channel.value
    row.target = subscription.target
    row.status = subscription.status.value
    row.group_name = subscription.group
    row.products = list(subscription.filter.products)
    row.versions = list(subscription.filter.versions)
    row.minimum_severity = subscription.filter.minimum_severity
    row.editorial = subscription.filter.editorial
    row.secret = subscription.secret
    row.previous_secret = subscription.previous_secret
    row.previous_until = subscription.previous_until
    row.confirmed_at = subscription.confirmed_at


class SqlSubscriptionStore:
    """``SubscriptionStore`` on one SQLAlchemy session."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def groups(self) -> Sequence[SubscriberGroup]:
        rows = self._session.scalars(select(AlertGroupRow).order_by(AlertGroupRow.name))
        return [_group(row) for row in rows]

    @translated
    def find_group(self, name: str) -> SubscriberGroup | None:
        row = self._session.get(AlertGroupRow, name, populate_existing=True)
        return None if row is None else _group(row)

    @translated
    def save_group(self, group: SubscriberGroup) -> None:
        row = self._session.get(AlertGroupRow, group.name) or AlertGroupRow(name=group.name)
        row.title, row.subject_prefix, row.intro = group.title, group.subject_prefix, group.intro
        self._session.add(row)
        self._session.flush()

    @translated
    def delete_group(self, name: str) -> None:
        row = self._session.get(AlertGroupRow, name)
        if row is None:
            raise NotFound(f"no subscriber group {name}")
        self._session.execute(
            update(AlertSubscriptionRow)
            .where(AlertSubscriptionRow.group_name == name)
            .values(group_name=None)
        )
        self._session.delete(row)
        self._session.flush()

    @translated
    def find_subscription(self, subscription_id: int) -> Subscription | None:
        row = self._session.get(AlertSubscriptionRow, subscription_id, populate_existing=True)
        return None if row is None else _subscription(row)

    @translated
    def find_by_target(self, channel: Channel, target: str) -> Subscription | None:
        row = self._session.scalar(
            select(AlertSubscriptionRow).where(
                AlertSubscriptionRow.channel == channel.value,
                AlertSubscriptionRow.target == target,
            )
        )
        return None if row is None else _subscription(row)

    @translated
    def add_subscription(self, subscription: Subscription) -> Subscription:
        if self.find_by_target(subscription.channel, subscription.target) is not None:
            raise Conflict(f"{subscription.target} is already subscribed")
        row = AlertSubscriptionRow(created_at=subscription.created_at)
        _fill(row, subscription)
        self._session.add(row)
        self._session.flush()
        return _subscription(row)

    @translated
    def update_subscription(self, subscription: Subscription) -> None:
        row = self._session.get(AlertSubscriptionRow, subscription.id)
        if row is None:
            raise NotFound(f"no subscription {subscription.id}")
        _fill(row, subscription)
        self._session.flush()

    @translated
    def subscriptions(
        self,
        *,
        channel: Channel | None = None,
        group: str | None = None,
        status: SubscriptionStatus | None = None,
    ) -> Sequence[Subscription]:
        statement = select(AlertSubscriptionRow).order_by(AlertSubscriptionRow.id)
        if channel is not None:
            statement = statement.where(AlertSubscriptionRow.channel == channel.value)
        if group is not None:
            statement = statement.where(AlertSubscriptionRow.group_name == group)
        if status is not None:
            statement = statement.where(AlertSubscriptionRow.status == status.value)
        rows = self._session.scalars(statement.execution_options(populate_existing=True))
        return [_subscription(row) for row in rows]

    @translated
    def confirmation(self, subscription_id: int) -> Confirmation:
        row = self._session.get(AlertSubscriptionRow, subscription_id, populate_existing=True)
        if row is None:
            raise NotFound(f"no subscription {subscription_id}")
        return Confirmation(row.confirm_nonce, row.confirm_expires_at, row.confirm_sent_at)

    @translated
    def set_confirmation(self, subscription_id: int, confirmation: Confirmation) -> None:
        self._session.execute(
            update(AlertSubscriptionRow)
            .where(AlertSubscriptionRow.id == subscription_id)
            .values(
                confirm_nonce=confirmation.nonce,
                confirm_expires_at=confirmation.expires_at,
                confirm_sent_at=confirmation.sent_at,
            )
        )

    @translated
    def filtered_subscriptions(self) -> Sequence[Subscription]:
        sub = SUBSCRIPTIONS.c
        narrowed = or_(cast_(sub.products, Text) != "[]", cast_(sub.versions, Text) != "[]")
        rows = self._session.connection().execute(
            WORKER_COLUMNS.where(sub.status == SubscriptionStatus.ACTIVE.value, narrowed)
        )
        return [subscription_of(row) for row in rows]
