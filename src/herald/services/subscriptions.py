"""Subscriptions: double opt-in email, preferences and unsubscribe by signed token,
webhooks with their secrets (``webhooks.py``), subscriber groups.

Public calls (``subscribe``, ``confirm``, ``preferences``, ``unsubscribe``) never say
whether an address is subscribed: they return nothing or raise for a bad token.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from herald.domain.accounts import Action
from herald.domain.alerts import (
    SECRET_OVERLAP,
    AlertEvent,
    AlertFilter,
    Channel,
    EventKind,
    SubscriberGroup,
    Subscription,
    SubscriptionStatus,
    parse_email,
)
from herald.domain.errors import NotFound, ValidationError
from herald.domain.rate_limits import RateLimit
from herald.services.actors import OPERATOR, Actor
from herald.services.alerts import new_event_id
from herald.services.alerts_audit import describe_group, describe_subscription, record
from herald.services.ports.alerts import Confirmation
from herald.services.ports.common import Clock, TokenSigner
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from herald.services.subscription_checks import check_filter, check_group
from herald.services.webhooks import TargetGuard, Webhooks

CONFIRMATION_LIFETIME = timedelta(hours=48)
"""How long a confirmation link works."""
CONFIRMATION_INTERVAL = timedelta(minutes=10)
"""At most one confirmation email per address in this interval."""


@dataclass(frozen=True)
class ConfirmationLimits:
    """How many confirmation emails the public may have herald send (finding 13.2): per
    client address, and in all; settings ``HERALD_CONFIRMATIONS_PER_CLIENT`` and
    ``HERALD_CONFIRMATIONS_PER_HOUR``."""

    per_client: RateLimit
    overall: RateLimit


CONFIRMATION_WINDOW = timedelta(hours=1)
"""The window both confirmation limits count over."""
DEFAULT_CONFIRMATION_LIMITS = ConfirmationLimits(
    per_client=RateLimit(5, CONFIRMATION_WINDOW), overall=RateLimit(500, CONFIRMATION_WINDOW)
)


class InvalidToken(ValidationError):
    """A token that is bogus, for another purpose, used already or expired."""

    def __init__(self) -> None:
        super().__init__("token", "is invalid or has expired")


def confirmation_value(subscription_id: int, nonce: str) -> str:
    return f"{subscription_id}.{nonce}"


class SubscriptionService:
    """Everything about who gets alerts."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        signer: TokenSigner,
        guard: TargetGuard,
        limits: ConfirmationLimits = DEFAULT_CONFIRMATION_LIMITS,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._signer = signer
        self._webhooks = Webhooks(unit_of_work, clock, guard)
        self._limits = limits
        self._pruned_at: datetime | None = None

    # email, public

    def subscribe(self, email: str, alert_filter: AlertFilter, client: str = "unknown") -> None:
        """Ask for alerts at ``email``: a pending subscription and a confirmation email.

        Harmless to repeat; an active address is left as it is and gets nothing. A
        confirmation email counts against ``ConfirmationLimits`` for ``client`` (its
        address) and in all; past either, ``TooManyAttempts`` and nothing is sent.
        """
        address = parse_email(email)
        with self._unit_of_work() as uow:
            check_filter(uow, alert_filter)
            now = self._clock.now()
            existing = uow.subscriptions.find_by_target(Channel.EMAIL, address)
            if existing is not None and existing.status is SubscriptionStatus.ACTIVE:
                return
            if existing is None:
                subscription = uow.subscriptions.add_subscription(
                    Subscription(
                        id=0,
                        channel=Channel.EMAIL,
                        target=address,
                        status=SubscriptionStatus.PENDING,
                        filter=alert_filter,
                        created_at=now,
                    )
                )
            else:
                sent_at = uow.subscriptions.confirmation(existing.id).sent_at
                if sent_at is not None and now - sent_at < CONFIRMATION_INTERVAL:
                    return
                subscription = replace(
                    existing, status=SubscriptionStatus.PENDING, filter=alert_filter
                )
                uow.subscriptions.update_subscription(subscription)
            self._count_confirmation(uow, client, now)
            self._queue_confirmation(uow, subscription.id, now)
            uow.commit()

    def confirm(self, token: str) -> None:
        """Activate the subscription the token was sent for (single use, 48 hours)."""
        value = self._signer.verify("confirm", token)
        if value is None:
            raise InvalidToken
        raw_id, _, nonce = value.partition(".")
        with self._unit_of_work() as uow:
            subscription = uow.subscriptions.find_subscription(int(raw_id))
            if subscription is None:
                raise InvalidToken
            pending = uow.subscriptions.confirmation(subscription.id)
            now = self._clock.now()
            if (
                pending.nonce is None
                or not secrets.compare_digest(pending.nonce, nonce)
                or pending.expires_at is None
                or pending.expires_at <= now
            ):
                raise InvalidToken
            uow.subscriptions.update_subscription(
                replace(subscription, status=SubscriptionStatus.ACTIVE, confirmed_at=now)
            )
            uow.subscriptions.set_confirmation(
                subscription.id, Confirmation(None, None, pending.sent_at)
            )
            uow.commit()

    def preferences(self, token: str) -> Subscription:
        """The subscription a preferences link names."""
        with self._unit_of_work() as uow:
            return self._by_token(uow, "preferences", token)

    def update_preferences(self, token: str, alert_filter: AlertFilter) -> Subscription:
        with self._unit_of_work() as uow:
            subscription = self._by_token(uow, "preferences", token)
            check_filter(uow, alert_filter)
            changed = replace(subscription, filter=alert_filter)
            uow.subscriptions.update_subscription(changed)
            uow.commit()
            return changed

    def unsubscribe(self, token: str) -> None:
        """Stop every alert to the subscription the token names (idempotent; RFC 8058)."""
        with self._unit_of_work() as uow:
            subscription = self._by_token(uow, "unsubscribe", token)
            if subscription.status is not SubscriptionStatus.UNSUBSCRIBED:
                uow.subscriptions.update_subscription(
                    replace(subscription, status=SubscriptionStatus.UNSUBSCRIBED)
                )
                uow.commit()

    def unsubscribe_token(self, subscription_id: int) -> str:
        return self._signer.sign("unsubscribe", str(subscription_id))

    def preferences_token(self, subscription_id: int) -> str:
        return self._signer.sign("preferences", str(subscription_id))

    # staff

    def subscriptions(
        self,
        channel: Channel | None = None,
        group: str | None = None,
        actor: Actor = OPERATOR,
    ) -> Sequence[Subscription]:
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            return uow.subscriptions.subscriptions(channel=channel, group=group)

    def add_email(
        self,
        email: str,
        alert_filter: AlertFilter,
        group: str | None = None,
        actor: Actor = OPERATOR,
    ) -> Subscription:
        """Staff (or the operator) add an already confirmed address, e.g. a partner's."""
        actor.require(Action.PUBLISH)
        address = parse_email(email)
        with self._unit_of_work() as uow:
            check_filter(uow, alert_filter)
            check_group(uow, group)
            now = self._clock.now()
            subscription = Subscription(
                id=0,
                channel=Channel.EMAIL,
                target=address,
                status=SubscriptionStatus.ACTIVE,
                filter=alert_filter,
                group=group,
                created_at=now,
                confirmed_at=now,
            )
            existing = uow.subscriptions.find_by_target(Channel.EMAIL, address)
            if existing is None:
                subscription = uow.subscriptions.add_subscription(subscription)
            else:
                subscription = replace(subscription, id=existing.id)
                uow.subscriptions.update_subscription(subscription)
            record(
                uow,
                actor,
                now,
                "subscription.add",
                f"subscription:{subscription.id}",
                describe_subscription(existing) if existing is not None else None,
                describe_subscription(subscription),
            )
            uow.commit()
            return subscription

    def subscribe_webhook(
        self,
        url: str,
        alert_filter: AlertFilter,
        group: str | None = None,
        actor: Actor = OPERATOR,
    ) -> Subscription:
        """A webhook (active at once); the returned subscription carries its secret."""
        return self._webhooks.subscribe(url, alert_filter, group, actor)

    def update_webhook(
        self,
        subscription_id: int,
        url: str | None = None,
        alert_filter: AlertFilter | None = None,
        actor: Actor = OPERATOR,
    ) -> Subscription:
        return self._webhooks.update(subscription_id, url, alert_filter, actor)

    def rotate_secret(
        self,
        subscription_id: int,
        actor: Actor = OPERATOR,
        overlap: timedelta = SECRET_OVERLAP,
    ) -> Subscription:
        """A new signing secret; the old one also signs requests for ``overlap`` (0: stop now)."""
        return self._webhooks.rotate_secret(subscription_id, actor, overlap)

    def delete_webhook(self, subscription_id: int, actor: Actor = OPERATOR) -> None:
        """Stop a webhook (kept as unsubscribed, with its delivery history)."""
        self._webhooks.delete(subscription_id, actor)

    def groups(self) -> Sequence[SubscriberGroup]:
        with self._unit_of_work() as uow:
            return uow.subscriptions.groups()

    def save_group(self, group: SubscriberGroup, actor: Actor = OPERATOR) -> None:
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            existing = uow.subscriptions.find_group(group.name)
            uow.subscriptions.save_group(group)
            record(
                uow,
                actor,
                self._clock.now(),
                "group.save",
                f"group:{group.name}",
                describe_group(existing) if existing is not None else None,
                describe_group(group),
            )
            uow.commit()

    def delete_group(self, name: str, actor: Actor = OPERATOR) -> None:
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            existing = uow.subscriptions.find_group(name)
            uow.subscriptions.delete_group(name)
            record(
                uow,
                actor,
                self._clock.now(),
                "group.delete",
                f"group:{name}",
                describe_group(existing) if existing is not None else None,
            )
            uow.commit()

    def set_group(
        self, subscription_id: int, group: str | None, actor: Actor = OPERATOR
    ) -> Subscription:
        """Put a subscription in a group (None: take it out)."""
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            subscription = uow.subscriptions.find_subscription(subscription_id)
            if subscription is None:
                raise NotFound(f"no subscription {subscription_id}")
            check_group(uow, group)
            changed = replace(subscription, group=group)
            uow.subscriptions.update_subscription(changed)
            record(
                uow,
                actor,
                self._clock.now(),
                "subscription.group",
                f"subscription:{subscription_id}",
                describe_subscription(subscription),
                describe_subscription(changed),
            )
            uow.commit()
            return changed

    # helpers

    def _count_confirmation(self, uow: UnitOfWork, client: str, now: datetime) -> None:
        """``TooManyAttempts`` past a limit; otherwise the email is counted (committed with
        it). Old counts are forgotten at most once a window per process."""
        checks = (
            (f"confirm:client:{client[:100]}", self._limits.per_client),
            ("confirm:all", self._limits.overall),
        )
        for key, limit in checks:
            since = now - limit.window
            seen = uow.rate_limits.count(key, since)
            if seen >= limit.count:
                limit.check(seen, uow.rate_limits.oldest(key, since), now, "confirmation emails")
        for key, _ in checks:
            uow.rate_limits.record(key, now)
        longest = max(limit.window for _, limit in checks)
        if self._pruned_at is None or now - self._pruned_at >= longest:
            uow.rate_limits.prune(now - longest)
            self._pruned_at = now

    def _queue_confirmation(self, uow: UnitOfWork, subscription_id: int, now: datetime) -> None:
        nonce = secrets.token_urlsafe(16)
        uow.subscriptions.set_confirmation(
            subscription_id, Confirmation(nonce, now + CONFIRMATION_LIFETIME, now)
        )
        event = AlertEvent(
            id=new_event_id(), kind=EventKind.CONFIRM, at=now, subscription_id=subscription_id
        )
        uow.outbox.add_event(event)
        uow.outbox.add_deliveries(event.id, [(subscription_id, Channel.EMAIL)], now)

    def _by_token(self, uow: UnitOfWork, purpose: str, token: str) -> Subscription:
        value = self._signer.verify(purpose, token)
        if value is None or not value.isdigit():
            raise InvalidToken
        subscription = uow.subscriptions.find_subscription(int(value))
        if subscription is None:
            raise InvalidToken
        return subscription
