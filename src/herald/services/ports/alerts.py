"""Alerting, in three stores split by who uses what:

- ``SubscriptionStore``: subscriber groups, subscriptions and their pending double opt-in
  (the subscription service; the planner and the worker read from it);
- ``Outbox``: events and their deliveries, planned in the transaction of a change, then
  claimed, sent and recorded by workers, and shown and resent to staff;
- ``PredisclosureStore``: which group hears of a scheduled bulletin before its release,
  and whether it has been told.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from herald.domain.alerts import (
    AlertEvent,
    Channel,
    Delivery,
    DeliveryStatus,
    SubscriberGroup,
    Subscription,
    SubscriptionStatus,
)


@dataclass(frozen=True)
class Confirmation:
    """The pending double opt-in of a subscription."""

    nonce: str | None
    """The single-use part of the token; None once used (or never asked)."""
    expires_at: datetime | None
    sent_at: datetime | None
    """When the last confirmation email was queued."""


@dataclass(frozen=True)
class DeliveryFailure:
    """The outcome of a failed attempt: try again at ``next_attempt_at``, or give up."""

    delivery_id: int
    status: DeliveryStatus
    next_attempt_at: datetime
    error: str


@dataclass(frozen=True)
class DeliveryView:
    """A delivery as staff see it: with its recipient and event."""

    delivery: Delivery
    target: str
    event_kind: str


class SubscriptionStore(Protocol):
    """Subscriber groups, subscriptions and their pending confirmations."""

    def groups(self) -> Sequence[SubscriberGroup]: ...

    def find_group(self, name: str) -> SubscriberGroup | None: ...

    def save_group(self, group: SubscriberGroup) -> None:
        """Create or replace."""
        ...

    def delete_group(self, name: str) -> None:
        """Members stay subscribed, without a group; ``NotFound`` if there is none."""
        ...

    def find_subscription(self, subscription_id: int) -> Subscription | None: ...

    def find_by_target(self, channel: Channel, target: str) -> Subscription | None: ...

    def add_subscription(self, subscription: Subscription) -> Subscription:
        """Store a new one (its ``id`` is ignored); returns it with the id given."""
        ...

    def update_subscription(self, subscription: Subscription) -> None: ...

    def subscriptions(
        self,
        *,
        channel: Channel | None = None,
        group: str | None = None,
        status: SubscriptionStatus | None = None,
    ) -> Sequence[Subscription]: ...

    def filtered_subscriptions(self) -> Sequence[Subscription]:
        """Active subscriptions with a product or version filter (matched one by one)."""
        ...

    def confirmation(self, subscription_id: int) -> Confirmation: ...

    def set_confirmation(self, subscription_id: int, confirmation: Confirmation) -> None: ...


class Outbox(Protocol):
    """Alert events and their deliveries: planned, claimed, recorded, shown, resent."""

    def add_event(self, event: AlertEvent) -> None: ...

    def add_deliveries(
        self, event_id: str, recipients: Sequence[tuple[int, Channel]], now: datetime
    ) -> int:
        """One pending delivery per (subscription id, channel), set-based; how many."""
        ...

    def fan_out(
        self,
        event_id: str,
        now: datetime,
        minimums: Sequence[str] | None,
        scale: Sequence[str],
        editorial_only: bool,
    ) -> int:
        """One set-based insert: a pending delivery for every active subscription without a
        product or version filter whose minimum severity is unset, in ``minimums``, or off
        the ``scale`` (``minimums`` None: unset only), and with ``editorial_only``, that
        asked for editorial changes. How many."""
        ...

    def events(self, event_ids: Sequence[str]) -> dict[str, AlertEvent]: ...

    def claim(self, limit: int, now: datetime, lease_until: datetime, token: str) -> list[Delivery]:
        """Take up to ``limit`` due, unclaimed deliveries (skipping rows other workers
        hold); each attempt is counted here."""
        ...

    def claimed_subscriptions(self, token: str) -> dict[int, Subscription]:
        """The subscriptions of the deliveries held by claim ``token``."""
        ...

    def record(self, token: str, failures: Sequence[DeliveryFailure], now: datetime) -> int:
        """Record a claim's outcomes: ``failures`` as given, every other row still held by
        ``token`` as sent (rows another claim took over are left alone); how many sent."""
        ...

    def deliveries(self, article_id: str) -> Sequence[DeliveryView]:
        """Every delivery of every event of a bulletin, newest event first."""
        ...

    def resend(self, delivery_ids: Sequence[int], now: datetime) -> int:
        """Failed deliveries back to pending (same idempotency key); how many."""
        ...

    def failed_ids(self, article_id: str) -> Sequence[int]: ...


class PredisclosureStore(Protocol):
    """The group told of a scheduled bulletin before its release, and when it was told."""

    def predisclosure(self, article_id: str) -> str | None:
        """The predisclosure group of a bulletin, if any."""
        ...

    def set_predisclosure(self, article_id: str, group: str | None) -> None: ...

    def due_predisclosures(self, release_before: datetime) -> Sequence[str]:
        """Article ids of scheduled bulletins releasing before the instant whose
        predisclosure has not been emitted, locked so that one worker emits each."""
        ...

    def mark_predisclosed(self, article_id: str, event_id: str) -> None: ...
