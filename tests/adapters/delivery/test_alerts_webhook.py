"""Webhooks to a real HTTP receiver on loopback that verifies Standard Webhooks signatures."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import timedelta

import pytest

import herald.demo as demo
from herald.adapters.delivery.targets import WebhookTargetGuard, address_refused
from herald.bootstrap import Herald, delivery_service
from herald.config import Settings
from herald.domain.alerts import AlertFilter, DeliveryStatus
from herald.domain.bulletin import Bulletin
from herald.domain.errors import ValidationError
from herald.services.delivery import DeliveryService
from tests.adapters.delivery.conftest import MovableClock, WebhookReceiver


@pytest.fixture
def worker(alerts: Herald) -> Iterator[DeliveryService]:
    service = delivery_service(alerts, webhook_concurrency=4)
    try:
        yield service
    finally:
        service.close()


def publish_new(alerts: Herald) -> Bulletin:
    draft = alerts.authoring.create_draft(demo.reference_content())
    return alerts.authoring.publish(draft.article_id)


def test_a_signed_webhook_carries_the_event_summary_change_and_links(
    alerts: Herald, receiver: WebhookReceiver, worker: DeliveryService
) -> None:
    hook = alerts.subscriptions.subscribe_webhook(receiver.url("/hook"), AlertFilter())
    assert hook.secret is not None and hook.secret.startswith("whsec_")
    receiver.secrets["/hook"] = hook.secret
    bulletin = publish_new(alerts)
    amended = alerts.authoring.amend(
        bulletin.article_id,
        replace(bulletin.content(), severity="High"),
        "Severity raised to High",
    ).bulletin
    assert worker.drain() == 2

    assert [r.verified for r in receiver.requests] == [True, True]
    assert [r.reference_verified for r in receiver.requests] == [True, True]
    bodies = [json.loads(r.body) for r in receiver.requests]
    assert sorted(b["type"] for b in bodies) == ["bulletin.modified", "bulletin.published"]
    modified = next(b for b in bodies if b["type"] == "bulletin.modified")
    data = modified["data"]
    assert data["article_id"] == bulletin.article_id
    assert data["revision"] == amended.revision == 2
    assert data["severity"] == "High"
    assert data["material"] is True and data["changed"] == ["severity"]
    assert data["change"]["summary"] == "Severity raised to High"
    assert data["cves"] == ["CVE-2026-4397"]
    page = f"https://bulletins.example.com/bulletins/{bulletin.article_id}"
    assert data["links"] == {"page": page, "csaf": f"{page}.csaf.json"}
    views = alerts.alerts.deliveries(bulletin.article_id)
    assert sorted(r.headers["webhook-id"] for r in receiver.requests) == sorted(
        f"msg_{v.delivery.idempotency_key}" for v in views
    )


def test_a_wrong_secret_does_not_verify(
    alerts: Herald, receiver: WebhookReceiver, worker: DeliveryService
) -> None:
    hook = alerts.subscriptions.subscribe_webhook(receiver.url("/hook"), AlertFilter())
    rotated = alerts.subscriptions.rotate_secret(hook.id, overlap=timedelta(0))
    receiver.secrets["/hook"] = hook.secret or ""  # the receiver kept the old one
    publish_new(alerts)
    worker.drain()
    assert rotated.secret != hook.secret
    assert [(r.verified, r.reference_verified) for r in receiver.requests] == [(False, False)]


def test_a_5xx_is_retried_with_the_same_webhook_id(
    alerts: Herald, receiver: WebhookReceiver, worker: DeliveryService, clock: MovableClock
) -> None:
    hook = alerts.subscriptions.subscribe_webhook(receiver.url("/hook"), AlertFilter())
    receiver.secrets["/hook"] = hook.secret or ""
    receiver.status = 503
    bulletin = publish_new(alerts)
    worker.drain()
    [view] = alerts.alerts.deliveries(bulletin.article_id)
    assert view.delivery.status is DeliveryStatus.PENDING
    assert view.delivery.last_error == "HTTP 503"

    receiver.status = 200
    clock.advance(timedelta(minutes=1))
    worker.drain()
    ids = [r.headers["webhook-id"] for r in receiver.requests]
    assert len(ids) == 2 and len(set(ids)) == 1
    assert all(r.verified for r in receiver.requests)
    [done] = alerts.alerts.deliveries(bulletin.article_id)
    assert done.delivery.status is DeliveryStatus.SENT


@pytest.mark.parametrize("status", [302, 400, 410])
def test_a_redirect_or_client_error_fails_for_good(
    alerts: Herald, receiver: WebhookReceiver, worker: DeliveryService, status: int
) -> None:
    alerts.subscriptions.subscribe_webhook(receiver.url("/hook"), AlertFilter())
    receiver.status = status
    bulletin = publish_new(alerts)
    worker.drain()
    [view] = alerts.alerts.deliveries(bulletin.article_id)
    assert view.delivery.status is DeliveryStatus.FAILED
    assert str(status) in (view.delivery.last_error or "")
    assert len(receiver.requests) == 1


def test_private_targets_are_refused_by_default() -> None:
    assert Settings.from_environment({}).webhook_allow_private is False
    assert Settings.from_environment({"HERALD_WEBHOOK_ALLOW_PRIVATE": "1"}).webhook_allow_private


class RecordingResolver:
    """Answers from a table and records every lookup (no socket is ever opened)."""

    def __init__(self, answers: dict[str, Sequence[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.asked.append(host)
        return self.answers[host]


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("https://127.0.0.1/hook", ["127.0.0.1"]),
        ("https://[::1]/hook", ["::1"]),
        ("https://internal.example/hook", ["10.1.2.3"]),
        ("https://metadata.example/hook", ["169.254.169.254"]),
        ("https://mapped.example/hook", ["::ffff:127.0.0.1"]),
        ("https://cgnat.example/hook", ["100.64.0.1"]),
        ("https://mixed.example/hook", ["93.184.215.14", "192.168.1.1"]),
    ],
)
def test_the_guard_refuses_internal_addresses(url: str, addresses: list[str]) -> None:
    host = url.split("/")[2].strip("[]")
    guard = WebhookTargetGuard(allow_private=False, resolver=RecordingResolver({host: addresses}))
    with pytest.raises(ValidationError, match="url"):
        guard.check(url)


@pytest.mark.parametrize(
    "url", ["http://public.example/hook", "https://user:pw@public.example/", "ftp://x.example/"]
)
def test_the_guard_refuses_plain_http_credentials_and_other_schemes(url: str) -> None:
    resolver = RecordingResolver({"public.example": ["93.184.215.14"]})
    guard = WebhookTargetGuard(allow_private=False, resolver=resolver)
    with pytest.raises(ValidationError, match="url"):
        guard.check(url)
    assert resolver.asked == []


@pytest.mark.parametrize(
    "url",
    ["https://[::1/hook", f"https://{'a' * 70}.example/hook", "https://a..example/hook"],
)
def test_the_guard_names_the_url_for_malformed_ones(url: str) -> None:
    """The system resolver, which refuses such names with UnicodeError or ValueError."""
    with pytest.raises(ValidationError, match="url"):
        WebhookTargetGuard(allow_private=False).check(url)


def test_the_guard_accepts_a_public_https_target() -> None:
    resolver = RecordingResolver({"hooks.example": ["93.184.215.14"]})
    WebhookTargetGuard(allow_private=False, resolver=resolver).check("https://hooks.example/x")
    assert resolver.asked == ["hooks.example"]
    assert address_refused("93.184.215.14") is None


def test_a_target_refused_at_send_time_is_not_contacted(
    alerts: Herald, receiver: WebhookReceiver
) -> None:
    """Stored while allowed, then the policy (or DNS) changes: the send is refused."""
    alerts.subscriptions.subscribe_webhook(receiver.url("/hook"), AlertFilter())
    bulletin = publish_new(alerts)
    strict = replace(alerts, settings=replace(alerts.settings, webhook_allow_private=False))
    service = delivery_service(strict)
    try:
        service.drain()
    finally:
        service.close()
    [view] = alerts.alerts.deliveries(bulletin.article_id)
    assert view.delivery.status is DeliveryStatus.FAILED
    assert (view.delivery.last_error or "").startswith("refused: url")
    assert receiver.requests == []


def test_subscribing_a_refused_target_changes_nothing(alerts: Herald) -> None:
    strict = WebhookTargetGuard(allow_private=False)
    with pytest.raises(ValidationError, match="url"):
        strict.check("http://127.0.0.1:9/hook")
    with pytest.raises(ValidationError, match="url"):
        alerts.subscriptions.subscribe_webhook("gopher://127.0.0.1/", AlertFilter())
    assert alerts.subscriptions.subscriptions() == []
