"""Rotating a webhook's secret with an overlap: both secrets sign until it ends.

A real receiver on loopback records each request; the Standard Webhooks reference
library (``standardwebhooks``) verifies it with the old and with the new secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

import herald.demo as demo
from herald.bootstrap import Herald, delivery_service
from herald.domain.alerts import AlertFilter, Channel, Subscription
from herald.domain.errors import ValidationError
from herald.services.delivery import DeliveryService
from tests.adapters.delivery.conftest import MovableClock, Received, WebhookReceiver


@pytest.fixture
def worker(alerts: Herald) -> Iterator[DeliveryService]:
    service = delivery_service(alerts, webhook_concurrency=2)
    try:
        yield service
    finally:
        service.close()


def verifies(secret: str | None, request: Received) -> bool:
    assert secret is not None
    try:
        Webhook(secret).verify(request.body, request.headers, json_parse=False)
    except WebhookVerificationError:
        return False
    return True


def stored_webhook(alerts: Herald, subscription_id: int) -> Subscription:
    found = alerts.subscriptions.subscriptions(Channel.WEBHOOK)
    return next(webhook for webhook in found if webhook.id == subscription_id)


def deliver_one(alerts: Herald, worker: DeliveryService, receiver: WebhookReceiver) -> Received:
    draft = alerts.authoring.create_draft(demo.reference_content())
    alerts.authoring.publish(draft.article_id)
    receiver.requests.clear()
    assert worker.drain() == 1
    [request] = receiver.requests
    return request


def rotate(alerts: Herald, clock: MovableClock, hook: Subscription, **overlap: int) -> Subscription:
    clock.current = datetime.now(UTC)  # the sender signs at the real time
    hours = overlap.get("hours")
    if hours is None:
        return alerts.subscriptions.rotate_secret(hook.id)
    return alerts.subscriptions.rotate_secret(hook.id, overlap=timedelta(hours=hours))


def test_during_the_overlap_both_secrets_verify(
    alerts: Herald, receiver: WebhookReceiver, worker: DeliveryService, clock: MovableClock
) -> None:
    hook = alerts.subscriptions.subscribe_webhook(receiver.url("/hook"), AlertFilter())
    rotated = rotate(alerts, clock, hook)
    assert rotated.previous_until == clock.current + timedelta(hours=24)
    request = deliver_one(alerts, worker, receiver)
    assert len(request.headers["webhook-signature"].split()) == 2
    assert verifies(hook.secret, request) and verifies(rotated.secret, request)


def test_after_the_overlap_only_the_new_secret_signs(
    alerts: Herald, receiver: WebhookReceiver, worker: DeliveryService, clock: MovableClock
) -> None:
    hook = alerts.subscriptions.subscribe_webhook(receiver.url("/hook"), AlertFilter())
    rotated = rotate(alerts, clock, hook, hours=1)
    stored = stored_webhook(alerts, hook.id)
    assert stored.previous_secret == hook.secret  # kept in the database, not in memory
    expired = stored.previous_until
    assert expired is not None
    assert stored.signing_secrets(expired - timedelta(seconds=1)) == (rotated.secret, hook.secret)
    assert stored.signing_secrets(expired) == (rotated.secret,)
    # A second rotation with no overlap drops the first secret too.
    again = rotate(alerts, clock, rotated, hours=0)
    request = deliver_one(alerts, worker, receiver)
    assert len(request.headers["webhook-signature"].split()) == 1
    assert verifies(again.secret, request)
    assert not verifies(rotated.secret, request) and not verifies(hook.secret, request)


@pytest.mark.parametrize("hours", [-1, 24 * 7 + 1])
def test_an_overlap_out_of_range_is_refused_and_changes_nothing(
    alerts: Herald, receiver: WebhookReceiver, clock: MovableClock, hours: int
) -> None:
    hook = alerts.subscriptions.subscribe_webhook(receiver.url("/hook"), AlertFilter())
    with pytest.raises(ValidationError) as refused:
        rotate(alerts, clock, hook, hours=hours)
    assert refused.value.field == "overlap_hours"
    assert stored_webhook(alerts, hook.id).secret == hook.secret
