"""The transactional outbox: events and deliveries commit with the bulletin change, or not
at all; nothing for drafts; nothing before an embargo lifts; predisclosure to its group only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

import herald.demo as demo
from herald.adapters.source import SourceTextSerializer
from herald.adapters.storage.tables.alerts import AlertDeliveryRow, AlertEventRow
from herald.bootstrap import Herald, delivery_service
from herald.domain.alerts import AlertEvent, AlertFilter, SubscriberGroup
from herald.domain.bulletin import Bulletin
from herald.domain.errors import RuleViolation
from herald.services.actors import Actor
from herald.services.alerts import AlertPlanner
from herald.services.authoring import AuthoringService
from herald.services.delivery import DeliveryService
from herald.services.ports.unit_of_work import UnitOfWork
from tests.adapters.delivery.conftest import MovableClock, SmtpSink


@pytest.fixture
def worker(alerts: Herald) -> Iterator[DeliveryService]:
    service = delivery_service(alerts, email_concurrency=2)
    try:
        yield service
    finally:
        service.close()


def outbox(alerts: Herald) -> tuple[int, int]:
    """(events, deliveries) in the database."""
    with alerts.database.engine.connect() as connection:
        events = connection.scalar(select(func.count()).select_from(AlertEventRow))
        deliveries = connection.scalar(select(func.count()).select_from(AlertDeliveryRow))
    return int(events or 0), int(deliveries or 0)


REVIEWER = Actor("another-operator")


def approved(alerts: Herald) -> Bulletin:
    draft = alerts.authoring.create_draft(demo.reference_content())
    alerts.authoring.submit(draft.article_id)
    return alerts.authoring.approve(draft.article_id, REVIEWER)


def recipients(smtp: SmtpSink) -> list[str]:
    return sorted(to for _, tos in smtp.envelopes for to in tos)


class FailingPlanner(AlertPlanner):
    """Writes the outbox rows, then fails: the whole change must roll back."""

    def plan(
        self, uow: UnitOfWork, before: Bulletin | None, after: Bulletin | None, now: datetime
    ) -> AlertEvent | None:
        event = super().plan(uow, before, after, now)
        if event is not None:
            raise RuntimeError("the database went away mid-change")
        return event


def test_a_failing_change_writes_no_event_and_no_delivery(alerts: Herald) -> None:
    alerts.subscriptions.add_email("a@example.com", AlertFilter())
    draft = alerts.authoring.create_draft(demo.reference_content())
    broken = AuthoringService(
        alerts.database.unit_of_work, alerts.clock, SourceTextSerializer(), FailingPlanner()
    )
    with pytest.raises(RuntimeError):
        broken.publish(draft.article_id)
    assert alerts.reading.bulletin(draft.article_id).status.value == "draft"
    assert outbox(alerts) == (0, 0)

    with pytest.raises(RuleViolation):  # refused by the rules: nothing either
        alerts.authoring.amend("CTX696397", replace(demo.reference_content(), cves=()), "x")
    assert outbox(alerts) == (0, 0)

    alerts.authoring.publish(draft.article_id)  # the real planner: one event, one delivery
    assert outbox(alerts) == (1, 1)


def test_drafts_reviews_and_scheduling_alert_nobody(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService, clock: MovableClock
) -> None:
    alerts.subscriptions.add_email("a@example.com", AlertFilter())
    draft = alerts.authoring.create_draft(demo.reference_content())
    alerts.authoring.edit_draft(
        draft.article_id, replace(demo.reference_content(), title="Draft title")
    )
    alerts.authoring.submit(draft.article_id)
    alerts.authoring.approve(draft.article_id, REVIEWER)
    alerts.authoring.schedule(draft.article_id, clock.now() + timedelta(days=2))
    assert outbox(alerts) == (0, 0)
    assert worker.drain() == 0
    assert smtp.messages == []


def test_nothing_is_sent_before_the_embargo_lifts_and_everyone_gets_it_once_after(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService, clock: MovableClock
) -> None:
    alerts.subscriptions.add_email("a@example.com", AlertFilter())
    alerts.subscriptions.add_email("b@example.com", AlertFilter(minimum_severity="Medium"))
    draft = approved(alerts)
    release = clock.now() + timedelta(hours=6)
    alerts.authoring.schedule(draft.article_id, release)

    clock.current = release - timedelta(seconds=1)
    assert alerts.authoring.release_due() == []
    assert worker.drain() == 0
    assert smtp.messages == []

    clock.current = release
    assert alerts.authoring.release_due() == [draft.article_id]
    assert alerts.authoring.release_due() == []  # released once
    assert worker.drain() == 2
    assert recipients(smtp) == ["a@example.com", "b@example.com"]
    assert worker.drain() == 0


def test_filters_by_product_version_and_minimum_severity(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService
) -> None:
    subscribe = alerts.subscriptions.add_email
    subscribe("product@example.com", AlertFilter(products=("xenserver",)))
    subscribe("version@example.com", AlertFilter(versions=("xenserver:8.4",)))
    subscribe("other-version@example.com", AlertFilter(versions=("xenserver:9",)))
    subscribe("high@example.com", AlertFilter(minimum_severity="High"))
    subscribe("low@example.com", AlertFilter(minimum_severity="Low"))
    draft = alerts.authoring.create_draft(demo.reference_content())  # Medium, XenServer 8.4
    alerts.authoring.publish(draft.article_id)
    worker.drain()
    assert recipients(smtp) == ["low@example.com", "product@example.com", "version@example.com"]


def test_withdrawal_alerts_with_the_reason(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService
) -> None:
    alerts.subscriptions.add_email("a@example.com", AlertFilter())
    alerts.authoring.withdraw("CTX696397", "Withdrawn: superseded by CTX696398")
    worker.drain()
    [message] = smtp.messages
    assert "Withdrawn" in str(message["Subject"])
    body = message.get_body(("plain",))
    assert body is not None
    assert "superseded by CTX696398" in str(body.get_content())


def test_predisclosure_reaches_its_group_the_lead_time_before_release_and_nobody_else(
    alerts: Herald, smtp: SmtpSink, worker: DeliveryService, clock: MovableClock
) -> None:
    alerts.subscriptions.save_group(SubscriberGroup("partners", "Channel partners"))
    alerts.subscriptions.add_email("p@partner.example", AlertFilter(), group="partners")
    alerts.subscriptions.add_email("public@example.com", AlertFilter())
    draft = approved(alerts)
    release = clock.now() + timedelta(days=5)
    alerts.authoring.schedule(draft.article_id, release)
    alerts.alerts.set_predisclosure(draft.article_id, "partners")
    assert alerts.alerts.predisclosure(draft.article_id) == "partners"

    clock.current = release - timedelta(hours=73)  # lead time is 72 hours
    assert alerts.alerts.predisclose_due() == 0
    clock.current = release - timedelta(hours=72)
    assert alerts.alerts.predisclose_due() == 1
    assert alerts.alerts.predisclose_due() == 0  # once
    worker.drain()
    [early] = smtp.messages
    assert smtp.envelopes[0][1] == ["p@partner.example"]
    subject = str(early["Subject"])
    assert "EMBARGOED until" in subject and "TLP:AMBER" in subject
    assert release.strftime("%Y-%m-%d %H:%M UTC") in subject
    text = early.get_body(("plain",))
    assert text is not None and "TLP:AMBER" in str(text.get_content())

    clock.current = release
    alerts.authoring.release_due()
    worker.drain()
    assert recipients(smtp) == ["p@partner.example", "p@partner.example", "public@example.com"]


def test_predisclosure_is_only_for_bulletins_not_yet_public(alerts: Herald) -> None:
    alerts.subscriptions.save_group(SubscriberGroup("partners", "Channel partners"))
    with pytest.raises(RuleViolation, match="public already"):
        alerts.alerts.set_predisclosure("CTX696397", "partners")


def test_fan_out_to_many_subscribers_is_one_set_of_rows(alerts: Herald) -> None:
    for number in range(300):
        alerts.subscriptions.add_email(f"user{number}@example.com", AlertFilter())
    draft = alerts.authoring.create_draft(demo.reference_content())
    alerts.authoring.publish(draft.article_id)
    assert outbox(alerts) == (1, 300)
    assert alerts.alerts.counts(draft.article_id).pending == 300
