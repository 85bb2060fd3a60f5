"""Alerting: groups, subscriptions, the outbox, predisclosure (revision 0003; private)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from herald.adapters.storage.tables.base import CASCADE, Base


class AlertGroupRow(Base, public=False):
    """A subscriber group and its email template."""

    __tablename__ = "alert_groups"

    name: Mapped[str] = mapped_column(primary_key=True)
    title: Mapped[str]
    subject_prefix: Mapped[str]
    intro: Mapped[str] = mapped_column(Text)


class AlertSubscriptionRow(Base, public=False):
    """One email address or webhook URL and what it wants; never deleted (unsubscribed)."""

    __tablename__ = "alert_subscriptions"
    __table_args__ = (
        Index(None, "channel", "target", unique=True),
        Index(None, "status", "channel"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str]
    target: Mapped[str]
    status: Mapped[str]
    group_name: Mapped[str | None] = mapped_column(
        ForeignKey("alert_groups.name", ondelete="SET NULL")
    )
    products: Mapped[list[str]] = mapped_column(JSON)
    versions: Mapped[list[str]] = mapped_column(JSON)
    minimum_severity: Mapped[str | None]
    editorial: Mapped[bool] = mapped_column(Boolean)
    secret: Mapped[str | None]
    previous_secret: Mapped[str | None]
    """The secret before the last rotation, signing too until ``previous_until``."""
    previous_until: Mapped[datetime | None]
    confirm_nonce: Mapped[str | None]
    """The single-use part of the pending confirmation token (cleared when used)."""
    confirm_expires_at: Mapped[datetime | None]
    confirm_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]


class AlertEventRow(Base, public=False):
    """An event of the outbox; ``details`` holds the rest of ``AlertEvent``."""

    __tablename__ = "alert_events"
    __table_args__ = (Index(None, "article_id", "at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str]
    at: Mapped[datetime]
    article_id: Mapped[str | None]
    revision: Mapped[int]
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class AlertDeliveryRow(Base, public=False):
    """One event for one subscription: the outbox row a worker claims, sends and records."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        Index(None, "event_id", "subscription_id", unique=True),
        Index(None, "status", "next_attempt_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    event_id: Mapped[str] = mapped_column(String(32), ForeignKey("alert_events.id"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("alert_subscriptions.id"))
    channel: Mapped[str]
    status: Mapped[str]
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claim: Mapped[str | None] = mapped_column(String(32))
    """The fencing token of the claim holding the row."""
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class AlertPredisclosureRow(Base, public=False):
    """The predisclosure group of a bulletin not yet public, and the event once emitted."""

    __tablename__ = "alert_predisclosures"

    article_id: Mapped[str] = mapped_column(
        ForeignKey("bulletins.article_id", ondelete=CASCADE), primary_key=True
    )
    group_name: Mapped[str] = mapped_column(ForeignKey("alert_groups.name", ondelete=CASCADE))
    event_id: Mapped[str | None] = mapped_column(String(32))
