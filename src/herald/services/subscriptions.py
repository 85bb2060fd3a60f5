"""Subscriptions: double opt-in email, preferences and unsubscribe by signed token,
webhooks with their secrets, subscriber groups.

Public calls (``subscribe``, ``confirm``, ``preferences``, ``unsubscribe``) never say
whether an address is subscribed: they return nothing or raise for a bad token.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

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
from herald.domain.catalog import Catalog
from herald.domain.errors import NotFound, ValidationError
from herald.services._context import require_publisher
from herald.services.actors import OPERATOR, Actor
from herald.services.alerts import new_event_id
from herald.services.alerts_audit import describe_group, describe_subscription, record
from herald.services.ports.alerts import Confirmation
from herald.services.ports.common import Clock, TokenSigner
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

CONFIRMATION_LIFETIME = timedelta(hours=48)
"""How long a confirmation link works."""
CONFIRMATION_INTERVAL = timedelta(minutes=10)
"""At most one confirmation email per address in this interval."""
MAX_URL_LENGTH = 2000


class TargetGuard(Protocol):
    """Checks a webhook URL before it is stored and before every send."""

    def check(self, url: str) -> None:
        """``ValidationError`` on field ``url`` when the target is refused."""
        ...


class InvalidToken(ValidationError):
    """A token that is bogus, for another purpose, used already or expired."""

    def __init__(self) -> None:
        super().__init__("token", "is invalid or has expired")


def new_webhook_secret() -> str:
    """``whsec_`` + base64 of 32 random bytes (Standard Webhooks)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


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
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._signer = signer
        self._guard = guard

    # email, public

    def subscribe(self, email: str, alert_filter: AlertFilter) -> None:
        """Ask for alerts at ``email``: a pending subscription and a confirmation email.

        Harmless to repeat; an active address is left as it is and gets nothing.
        """
        address = parse_email(email)
        with self._unit_of_work() as uow:
            self._check_filter(uow, alert_filter)
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
            self._check_filter(uow, alert_filter)
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
            self._check_filter(uow, alert_filter)
            self._check_group(uow, group)
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
        actor.require(Action.PUBLISH)
        target = self._check_url(url)
        with self._unit_of_work() as uow:
            self._check_filter(uow, alert_filter)
            self._check_group(uow, group)
            now = self._clock.now()
            subscription = uow.subscriptions.add_subscription(
                Subscription(
                    id=0,
                    channel=Channel.WEBHOOK,
                    target=target,
                    status=SubscriptionStatus.ACTIVE,
                    filter=alert_filter,
                    group=group,
                    secret=new_webhook_secret(),
                    created_at=now,
                    confirmed_at=now,
                )
            )
            record(
                uow,
                actor,
                now,
                "webhook.add",
                f"subscription:{subscription.id}",
                after=describe_subscription(subscription),
            )
            uow.commit()
            return subscription

    def update_webhook(
        self,
        subscription_id: int,
        url: str | None = None,
        alert_filter: AlertFilter | None = None,
        actor: Actor = OPERATOR,
    ) -> Subscription:
        actor.require(Action.PUBLISH)
        target = self._check_url(url) if url is not None else None
        with self._unit_of_work() as uow:
            subscription = self._webhook(uow, subscription_id)
            if alert_filter is not None:
                self._check_filter(uow, alert_filter)
            changed = replace(
                subscription,
                target=target or subscription.target,
                filter=alert_filter or subscription.filter,
            )
            uow.subscriptions.update_subscription(changed)
            record(
                uow,
                actor,
                self._clock.now(),
                "webhook.update",
                f"subscription:{subscription_id}",
                describe_subscription(subscription),
                describe_subscription(changed),
            )
            uow.commit()
            return changed

    def rotate_secret(
        self,
        subscription_id: int,
        actor: Actor = OPERATOR,
        overlap: timedelta = SECRET_OVERLAP,
    ) -> Subscription:
        """A new signing secret; the old one also signs requests for ``overlap`` (0: stop now)."""
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            now = self._clock.now()
            webhook = self._webhook(uow, subscription_id)
            changed = webhook.rotated(new_webhook_secret(), now, overlap)
            uow.subscriptions.update_subscription(changed)
            until = changed.previous_until.isoformat() if changed.previous_until else "now"
            record(
                uow,
                actor,
                now,
                "webhook.rotate",
                f"subscription:{subscription_id}",
                None,
                f"previous secret signs until {until}",
            )
            uow.commit()
            return changed

    def delete_webhook(self, subscription_id: int, actor: Actor = OPERATOR) -> None:
        """Stop a webhook (kept as unsubscribed, with its delivery history)."""
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            subscription = self._webhook(uow, subscription_id)
            stopped = replace(subscription, status=SubscriptionStatus.UNSUBSCRIBED)
            uow.subscriptions.update_subscription(stopped)
            record(
                uow,
                actor,
                self._clock.now(),
                "webhook.delete",
                f"subscription:{subscription_id}",
                describe_subscription(subscription),
                describe_subscription(stopped),
            )
            uow.commit()

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
            self._check_group(uow, group)
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

    def _webhook(self, uow: UnitOfWork, subscription_id: int) -> Subscription:
        subscription = uow.subscriptions.find_subscription(subscription_id)
        if subscription is None or subscription.channel is not Channel.WEBHOOK:
            raise NotFound(f"no webhook {subscription_id}")
        return subscription

    def _check_url(self, url: str) -> str:
        target = url.strip() if isinstance(url, str) else ""
        if not target or len(target) > MAX_URL_LENGTH:
            raise ValidationError("url", f"give a URL of at most {MAX_URL_LENGTH} characters")
        self._guard.check(target)
        return target

    @staticmethod
    def _check_group(uow: UnitOfWork, group: str | None) -> None:
        if group is not None and uow.subscriptions.find_group(group) is None:
            raise NotFound(f"no subscriber group {group}")

    @staticmethod
    def _check_filter(uow: UnitOfWork, alert_filter: AlertFilter) -> None:
        catalog: Catalog = uow.catalog.load()
        products = {str(product.id): product for product in catalog.products}
        for product_id in alert_filter.products:
            if product_id not in products:
                raise ValidationError("products", f"no product {product_id!r}")
        for name in alert_filter.versions:
            product_id, _, version = name.partition(":")
            product = products.get(product_id)
            if product is None or version not in {v.name for v in product.versions}:
                raise ValidationError("versions", f"no version {name!r}")
        severity = alert_filter.minimum_severity
        if severity is not None and severity not in require_publisher(uow).severities:
            raise ValidationError("minimum_severity", f"{severity!r} is not on the scale")
