"""Alerts in the outbox: planning them with bulletin changes, predisclosure, staff views.

``AlertPlanner.plan`` runs inside the authoring service's unit of work, so the event and
its deliveries commit (or roll back) together with the bulletin change: the outbox.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from herald.domain.accounts import Action
from herald.domain.alerts import (
    AlertEvent,
    DeliveryStatus,
    EventKind,
    SubscriptionStatus,
    event_for,
    predisclosure_event,
)
from herald.domain.bulletin import Bulletin
from herald.domain.errors import NotFound, RuleViolation
from herald.services._context import require_bulletin, require_publisher
from herald.services.actors import OPERATOR, Actor
from herald.services.alerts_audit import record
from herald.services.ports.alerts import DeliveryView
from herald.services.ports.common import Clock
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


def new_event_id() -> str:
    return uuid.uuid4().hex


class AlertPlanner:
    """Decides the event of a bulletin change and writes it with its deliveries."""

    def plan(
        self, uow: UnitOfWork, before: Bulletin | None, after: Bulletin | None, now: datetime
    ) -> AlertEvent | None:
        """Within ``uow``: the event (or None) and one delivery per matching subscriber."""
        event = event_for(before, after, new_event_id(), now)
        if event is None:
            return None
        severities = require_publisher(uow).severities
        uow.outbox.add_event(event)
        # Most subscribers filter at most by severity: one INSERT ... SELECT serves them.
        # Those naming products or versions are matched here, by the domain's own rule.
        minimums = None
        if event.severity is not None and event.severity in severities:
            minimums = severities[severities.index(event.severity) :]
        editorial_only = event.kind is EventKind.MODIFIED and not event.material
        uow.outbox.fan_out(event.id, now, minimums, severities, editorial_only)
        narrowed = [
            (subscription.id, subscription.channel)
            for subscription in uow.subscriptions.filtered_subscriptions()
            if subscription.filter.matches(event, severities)
        ]
        uow.outbox.add_deliveries(event.id, narrowed, now)
        return event


@dataclass(frozen=True)
class DeliveryCounts:
    pending: int
    sent: int
    failed: int


class AlertService:
    """Staff's side of the outbox: deliveries per bulletin, resend, predisclosure."""

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, clock: Clock, predisclosure_lead: timedelta
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._lead = predisclosure_lead

    def deliveries(self, article_id: str, actor: Actor = OPERATOR) -> Sequence[DeliveryView]:
        """Every delivery about a bulletin (pending, sent, failed, attempts, last error)."""
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            require_bulletin(uow, article_id)
            return uow.outbox.deliveries(article_id)

    def counts(self, article_id: str, actor: Actor = OPERATOR) -> DeliveryCounts:
        views = self.deliveries(article_id, actor)
        by_status = [view.delivery.status for view in views]
        return DeliveryCounts(
            by_status.count(DeliveryStatus.PENDING),
            by_status.count(DeliveryStatus.SENT),
            by_status.count(DeliveryStatus.FAILED),
        )

    def resend(self, delivery_id: int, actor: Actor = OPERATOR) -> None:
        """Send a failed delivery again (same idempotency key); ``NotFound`` otherwise."""
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            now = self._clock.now()
            if uow.outbox.resend([delivery_id], now) != 1:
                raise NotFound(f"no failed delivery {delivery_id}")
            record(uow, actor, now, "delivery.resend", f"delivery:{delivery_id}")
            uow.commit()

    def resend_failed(self, article_id: str, actor: Actor = OPERATOR) -> int:
        """Send every failed delivery of a bulletin again; how many."""
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            require_bulletin(uow, article_id)
            now = self._clock.now()
            count = uow.outbox.resend(uow.outbox.failed_ids(article_id), now)
            if count:
                record(
                    uow,
                    actor,
                    now,
                    "delivery.resend",
                    f"bulletin:{article_id}",
                    after=f"failed deliveries queued again: {count}\n",
                )
            uow.commit()
            return count

    # predisclosure

    def predisclosure(self, article_id: str) -> str | None:
        with self._unit_of_work() as uow:
            require_bulletin(uow, article_id)
            return uow.predisclosures.predisclosure(article_id)

    def set_predisclosure(
        self, article_id: str, group: str | None, actor: Actor = OPERATOR
    ) -> None:
        """Attach a predisclosure group to a bulletin that is not public yet (None: detach)."""
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            bulletin = require_bulletin(uow, article_id)
            if bulletin.status.public:
                raise RuleViolation("predisclosure", f"{article_id} is public already")
            if group is not None and uow.subscriptions.find_group(group) is None:
                raise NotFound(f"no subscriber group {group}")
            before = uow.predisclosures.predisclosure(article_id)
            uow.predisclosures.set_predisclosure(article_id, group)
            record(
                uow,
                actor,
                self._clock.now(),
                "bulletin.predisclosure",
                f"bulletin:{article_id}",
                f"predisclosure group: {before}\n" if before else None,
                f"predisclosure group: {group}\n" if group else None,
            )
            uow.commit()

    def predisclose_due(self) -> int:
        """Emit the predisclosure of every scheduled bulletin within the lead time; how many.

        Once per bulletin, also with several workers (the rows are locked and marked).
        """
        now = self._clock.now()
        emitted = 0
        with self._unit_of_work() as uow:
            for article_id in uow.predisclosures.due_predisclosures(now + self._lead):
                bulletin = uow.bulletins.find(article_id)
                group = uow.predisclosures.predisclosure(article_id)
                if bulletin is None or group is None:
                    continue
                event = predisclosure_event(bulletin, group, new_event_id(), now)
                members = uow.subscriptions.subscriptions(
                    group=group, status=SubscriptionStatus.ACTIVE
                )
                uow.outbox.add_event(event)
                uow.outbox.add_deliveries(event.id, [(m.id, m.channel) for m in members], now)
                uow.predisclosures.mark_predisclosed(article_id, event.id)
                emitted += 1
            uow.commit()
        return emitted


__all__ = ["AlertPlanner", "AlertService", "DeliveryCounts", "new_event_id"]
