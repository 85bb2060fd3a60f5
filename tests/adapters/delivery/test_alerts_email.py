"""Alert emails through a real SMTP server (aiosmtpd on loopback), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

import herald.demo as demo
from herald.bootstrap import Herald, delivery_service
from herald.domain.alerts import AlertFilter, DeliveryStatus, SubscriberGroup
from herald.domain.bulletin import Bulletin
from herald.domain.errors import ValidationError
from herald.services.delivery import DeliveryService
from tests.adapters.delivery.conftest import MovableClock, SmtpSink

BASE = "https://bulletins.example.com"


@pytest.fixture
def worker(alerts: Herald) -> Iterator[DeliveryService]:
    service = delivery_service(alerts, email_concurrency=2)
    try:
        yield service
    finally:
        service.close()


def publish_new(alerts: Herald) -> Bulletin:
    draft = alerts.authoring.create_draft(demo.reference_content())
    return alerts.authoring.publish(draft.article_id)


def text_part(message: object) -> str:
    part = message.get_body(("plain",))  # type: ignore[attr-defined]
    return str(part.get_content())


def html_part(message: object) -> str:
    part = message.get_body(("html",))  # type: ignore[attr-defined]
    return str(part.get_content())


def test_a_published_bulletin_is_emailed_with_its_own_renderings_and_rfc8058_headers(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService
) -> None:
    alerts.subscriptions.add_email("alice@example.com", AlertFilter())
    bulletin = publish_new(alerts)
    assert worker.drain() == 1

    [message] = smtp.messages
    assert smtp.envelopes[0][1] == ["alice@example.com"]
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert bulletin.article_id in str(message["Subject"])
    text, page = text_part(message), html_part(message)
    assert "limited available memory" in text and "limited available memory" in page
    assert "Initial Publication" in text
    assert page.lstrip().lower().startswith("<!doctype html>")

    [view] = alerts.alerts.deliveries(bulletin.article_id)
    key = view.delivery.idempotency_key
    assert message["Message-ID"] == f"<alert.{key}@bulletins.example.com>"
    unsubscribe = re.fullmatch(
        rf"<{BASE}/alerts/unsubscribe\?token=([A-Za-z0-9_.-]+)>", str(message["List-Unsubscribe"])
    )
    assert unsubscribe is not None
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{BASE}/alerts/preferences?token=" in text
    assert f"{BASE}/alerts/unsubscribe?token={unsubscribe.group(1)}" in text
    assert view.delivery.status is DeliveryStatus.SENT

    # The unsubscribe link works; nothing more arrives afterwards.
    alerts.subscriptions.unsubscribe(unsubscribe.group(1))
    alerts.authoring.withdraw(bulletin.article_id, "Withdrawn: duplicate")
    assert worker.drain() == 0
    assert len(smtp.messages) == 1


def test_double_opt_in_confirms_once_and_only_then_alerts(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService
) -> None:
    alerts.subscriptions.subscribe("Bob@Example.COM", AlertFilter())
    alerts.subscriptions.subscribe("Bob@Example.COM", AlertFilter())  # harmless, no 2nd email
    worker.drain()
    [confirmation] = smtp.messages
    assert smtp.envelopes[0][1] == ["bob@example.com"]
    assert "List-Unsubscribe" not in confirmation
    found = re.search(rf"{BASE}/alerts/confirm\?token=(\S+)", text_part(confirmation))
    assert found is not None
    token = found.group(1)

    publish_new(alerts)  # not confirmed yet: nothing for Bob
    assert worker.drain() == 0

    alerts.subscriptions.confirm(token)
    with pytest.raises(ValidationError, match="token"):
        alerts.subscriptions.confirm(token)  # single use
    with pytest.raises(ValidationError, match="token"):
        alerts.subscriptions.confirm(token[:-2] + "xx")
    alerts.subscriptions.subscribe("bob@example.com", AlertFilter())  # active: nothing sent

    publish_new(alerts)
    worker.drain()
    assert len(smtp.messages) == 2
    assert "New security bulletin" in str(smtp.messages[1]["Subject"])


def test_a_confirmation_link_expires(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService, clock: MovableClock
) -> None:
    alerts.subscriptions.subscribe("carol@example.com", AlertFilter())
    worker.drain()
    found = re.search(r"confirm\?token=(\S+)", text_part(smtp.messages[0]))
    assert found is not None
    clock.advance(timedelta(hours=49))
    with pytest.raises(ValidationError, match="expired"):
        alerts.subscriptions.confirm(found.group(1))


def test_smtp_down_then_back_delivers_each_alert_once_after_a_retry(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService, clock: MovableClock
) -> None:
    for name in ("dora", "erin", "fay"):
        alerts.subscriptions.add_email(f"{name}@example.com", AlertFilter())
    smtp.stop()
    bulletin = publish_new(alerts)
    assert worker.run_once() == 3
    views = alerts.alerts.deliveries(bulletin.article_id)
    assert {v.delivery.status for v in views} == {DeliveryStatus.PENDING}
    assert all(v.delivery.attempts == 1 and v.delivery.last_error for v in views)

    smtp.start()
    assert worker.run_once() == 0  # not due yet: backing off
    clock.advance(timedelta(minutes=1))
    assert worker.drain() == 3
    assert sorted(smtp.message_ids()) == sorted(
        f"<alert.{v.delivery.idempotency_key}@bulletins.example.com>" for v in views
    )
    assert all(count == 1 for count in Counter(smtp.message_ids()).values())
    after = alerts.alerts.deliveries(bulletin.article_id)
    assert {(v.delivery.status, v.delivery.attempts) for v in after} == {(DeliveryStatus.SENT, 2)}


def test_a_permanent_smtp_refusal_fails_at_once_and_staff_can_resend(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService, clock: MovableClock
) -> None:
    alerts.subscriptions.add_email("gone@example.com", AlertFilter())
    smtp.reply = "550 5.1.1 mailbox unavailable"
    bulletin = publish_new(alerts)
    worker.drain()
    [view] = alerts.alerts.deliveries(bulletin.article_id)
    assert view.delivery.status is DeliveryStatus.FAILED
    assert "550" in (view.delivery.last_error or "")
    assert alerts.alerts.counts(bulletin.article_id).failed == 1

    smtp.reply = None
    assert alerts.alerts.resend_failed(bulletin.article_id) == 1
    worker.drain()
    [again] = alerts.alerts.deliveries(bulletin.article_id)
    assert again.delivery.status is DeliveryStatus.SENT
    assert smtp.message_ids() == [f"<alert.{again.delivery.idempotency_key}@bulletins.example.com>"]


def test_an_alert_that_keeps_failing_gives_up_after_the_maximum_age(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService, clock: MovableClock
) -> None:
    alerts.subscriptions.add_email("slow@example.com", AlertFilter())
    smtp.reply = "451 4.3.0 try again later"
    bulletin = publish_new(alerts)
    worker.drain()
    for _ in range(12):
        clock.advance(timedelta(hours=8))
        worker.drain()
    [view] = alerts.alerts.deliveries(bulletin.article_id)
    assert view.delivery.status is DeliveryStatus.FAILED
    assert "gave up after" in (view.delivery.last_error or "")
    assert smtp.messages == []


def test_a_group_gets_its_own_template(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService
) -> None:
    alerts.subscriptions.save_group(
        SubscriberGroup("partners", "Channel partners", "[Partner] ", "Dear partner, FYI.")
    )
    alerts.subscriptions.add_email("p@partner.example", AlertFilter(), group="partners")
    alerts.subscriptions.add_email("q@example.com", AlertFilter())
    publish_new(alerts)
    worker.drain()
    by_recipient = {str(m["To"]): m for m in smtp.messages}
    assert str(by_recipient["p@partner.example"]["Subject"]).startswith("[Partner] ")
    assert "Dear partner, FYI." in text_part(by_recipient["p@partner.example"])
    assert not str(by_recipient["q@example.com"]["Subject"]).startswith("[Partner]")
    assert "Dear partner" not in text_part(by_recipient["q@example.com"])


def test_material_and_editorial_modifications(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService
) -> None:
    alerts.subscriptions.add_email("all@example.com", AlertFilter(editorial=True))
    alerts.subscriptions.add_email("material@example.com", AlertFilter())
    bulletin = publish_new(alerts)
    worker.drain()
    smtp.messages.clear()
    smtp.envelopes.clear()

    wording = replace(bulletin.content(), problem=bulletin.problem + " Clarified.")
    alerts.authoring.amend(bulletin.article_id, wording, "Clarified the description")
    worker.drain()
    assert [to for _, (to,) in smtp.envelopes] == ["all@example.com"]
    assert "editorial change" in text_part(smtp.messages[0])

    severity = replace(wording, severity="High")
    alerts.authoring.amend(bulletin.article_id, severity, "Severity raised to High")
    worker.drain()
    assert sorted(to for _, (to,) in smtp.envelopes[1:]) == [
        "all@example.com",
        "material@example.com",
    ]
    assert "material change: severity" in text_part(smtp.messages[-1])
    assert "Severity raised to High" in text_part(smtp.messages[-1])
