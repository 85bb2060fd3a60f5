"""Webhook subscriptions, for staff and token holders: adding one (active at once, with
its ``whsec_`` signing secret), changing its URL or filter, rotating its secret with an
overlap, stopping it. Every URL passes the ``TargetGuard`` before it is stored; every
change appends an audit entry (never the secret). ``SubscriptionService`` delegates here.
"""

from __future__ import annotations

import base64
import logging
import secrets
from dataclasses import replace
from datetime import timedelta
from typing import Protocol

from herald.domain.accounts import Action
from herald.domain.alerts import AlertFilter, Channel, Subscription, SubscriptionStatus
from herald.domain.errors import NotFound, ValidationError
from herald.services.actors import Actor
from herald.services.alerts_audit import describe_subscription, record
from herald.services.ports.common import Clock
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from herald.services.subscription_checks import check_filter, check_group

log = logging.getLogger("herald.webhooks")

MAX_URL_LENGTH = 2000


class TargetGuard(Protocol):
    """Checks a webhook URL before it is stored and before every send."""

    def check(self, url: str) -> None:
        """``ValidationError`` on field ``url`` when the target is refused."""
        ...


class RefusedAddress(ValidationError):
    """A webhook host refused for what its name resolves to (or for not resolving).

    The message names the addresses, for the operator's log and the staff's delivery
    list; a client storing a webhook only hears ``PUBLIC_REFUSAL`` (finding 13.10): DNS
    answers inside the operator's network are none of its business."""


PUBLIC_REFUSAL = "is not a public internet address herald may send webhooks to"


def new_webhook_secret() -> str:
    """``whsec_`` + base64 of 32 random bytes (Standard Webhooks)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


class Webhooks:
    """The webhook use cases of ``SubscriptionService`` (documented there)."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Clock, guard: TargetGuard) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._guard = guard

    def subscribe(
        self, url: str, alert_filter: AlertFilter, group: str | None, actor: Actor
    ) -> Subscription:
        actor.require(Action.PUBLISH)
        target = self._check_url(url)
        with self._unit_of_work() as uow:
            check_filter(uow, alert_filter)
            check_group(uow, group)
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

    def update(
        self,
        subscription_id: int,
        url: str | None,
        alert_filter: AlertFilter | None,
        actor: Actor,
    ) -> Subscription:
        actor.require(Action.PUBLISH)
        target = self._check_url(url) if url is not None else None
        with self._unit_of_work() as uow:
            subscription = self._webhook(uow, subscription_id)
            if alert_filter is not None:
                check_filter(uow, alert_filter)
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

    def rotate_secret(self, subscription_id: int, actor: Actor, overlap: timedelta) -> Subscription:
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

    def delete(self, subscription_id: int, actor: Actor) -> None:
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

    def _webhook(self, uow: UnitOfWork, subscription_id: int) -> Subscription:
        subscription = uow.subscriptions.find_subscription(subscription_id)
        if subscription is None or subscription.channel is not Channel.WEBHOOK:
            raise NotFound(f"no webhook {subscription_id}")
        return subscription

    def _check_url(self, url: str) -> str:
        target = url.strip() if isinstance(url, str) else ""
        if not target or len(target) > MAX_URL_LENGTH:
            raise ValidationError("url", f"give a URL of at most {MAX_URL_LENGTH} characters")
        try:
            self._guard.check(target)
        except RefusedAddress as refused:
            log.info("webhook target %s refused: %s", target[:200], refused.reason)
            raise ValidationError("url", PUBLIC_REFUSAL) from None
        return target
