"""Draining the outbox: claim a batch, send it through the channel's sender, record it.

One ``run_once`` is three short transactions (claim, then outcomes) around the sends,
which happen outside any transaction. Deliveries are at least once: a worker that dies
after sending and before recording leaves the rows to be retaken after the lease, and
they go again with the same idempotency key.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

from herald.domain.alerts import (
    AlertEvent,
    Channel,
    Delivery,
    DeliveryStatus,
    EventKind,
    RetryPolicy,
    SubscriberGroup,
    Subscription,
    SubscriptionStatus,
)
from herald.domain.document import BulletinDocument, compose
from herald.services._context import require_publisher
from herald.services.ports.alerts import DeliveryFailure
from herald.services.ports.common import AlertJob, Clock, Sender, SendResult, TokenSigner
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from herald.services.subscriptions import confirmation_value

DEFAULT_LEASE = timedelta(minutes=2)
"""How long a claim holds its rows; a killed worker's rows are retaken after it."""
_CACHE_LIMIT = 64


class DeliveryService:
    """The worker's loop body."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        senders: Mapping[Channel, Sender],
        signer: TokenSigner,
        policy: RetryPolicy | None = None,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._senders = senders
        self._signer = signer
        self._policy = policy or RetryPolicy()
        self._lease = lease
        self._events: dict[str, tuple[AlertEvent, BulletinDocument | None]] = {}
        self._groups: dict[str, SubscriberGroup] = {}
        self._cache_lock = threading.Lock()
        """``run_once`` may run in several threads at once (worker lanes)."""
        self.after_claim: Callable[[Sequence[Delivery]], None] | None = None
        """Called with each claimed batch before sending (fault-injection tests use it)."""

    def run_once(self, limit: int = 500) -> int:
        """Claim up to ``limit`` due deliveries, send them, record the outcomes; how many."""
        token = secrets.token_hex(16)
        with self._unit_of_work() as uow:
            now = self._clock.now()
            claimed = uow.outbox.claim(limit, now, now + self._lease, token)
            if not claimed:
                return 0
            jobs = self._jobs(uow, claimed, token)
            uow.commit()
        if self.after_claim is not None:
            self.after_claim(claimed)
        results = [_skipped(job) for job in jobs if not _wanted(job)]
        jobs = [job for job in jobs if _wanted(job)]
        for channel in Channel:
            channel_jobs = [job for job in jobs if job.subscription.channel is channel]
            if channel_jobs:
                results.extend(self._senders[channel].send(channel_jobs))
        self._record(jobs, results, token)
        return len(claimed)

    def drain(self, limit: int = 500) -> int:
        """Run until nothing is due; how many deliveries were handled."""
        total = 0
        while handled := self.run_once(limit):
            total += handled
        return total

    def close(self) -> None:
        for sender in self._senders.values():
            sender.close()

    def _jobs(self, uow: UnitOfWork, claimed: Sequence[Delivery], token: str) -> list[AlertJob]:
        with self._cache_lock:
            missing = [d.event_id for d in claimed if d.event_id not in self._events]
            if missing:
                self._load_events(uow, sorted(set(missing)))
            events = {d.event_id: self._events[d.event_id] for d in claimed}
        subscriptions = uow.outbox.claimed_subscriptions(token)
        group_names = {s.group for s in subscriptions.values() if s.group is not None}
        if group_names - self._groups.keys():
            self._groups = {group.name: group for group in uow.subscriptions.groups()}
        jobs = []
        for delivery in claimed:
            event, document = events[delivery.event_id]
            subscription = subscriptions[delivery.subscription_id]
            jobs.append(
                AlertJob(
                    delivery=delivery,
                    event=event,
                    subscription=subscription,
                    document=document,
                    group=self._groups.get(subscription.group or ""),
                    token=self._confirmation_token(uow, event, subscription),
                )
            )
        return jobs

    def _load_events(self, uow: UnitOfWork, event_ids: Sequence[str]) -> None:
        if len(self._events) > _CACHE_LIMIT:
            self._events = {}
        events = uow.outbox.events(event_ids)
        catalog = publisher = None
        for event_id, event in events.items():
            document = None
            if event.article_id is not None:
                bulletin = uow.bulletins.find(event.article_id)
                if bulletin is not None:
                    catalog = catalog or uow.catalog.load()
                    publisher = publisher or require_publisher(uow)
                    document = compose(bulletin, catalog, publisher)
            # Confirmation events are per subscriber: no point caching them.
            if event.kind is not EventKind.CONFIRM:
                self._events[event_id] = (event, document)
            else:
                self._events[event_id] = (event, None)

    def _confirmation_token(
        self, uow: UnitOfWork, event: AlertEvent, subscription: Subscription
    ) -> str | None:
        if event.kind is not EventKind.CONFIRM:
            return None
        nonce = uow.subscriptions.confirmation(subscription.id).nonce
        if nonce is None:
            return None
        return self._signer.sign("confirm", confirmation_value(subscription.id, nonce))

    def _record(self, jobs: Sequence[AlertJob], results: Sequence[SendResult], token: str) -> None:
        by_id = {job.delivery.id: job for job in jobs}
        now = self._clock.now()
        failures = []
        for result in results:
            if result.ok:
                continue
            job = by_id[result.delivery_id]
            attempts = job.delivery.attempts
            error = result.error or "failed"
            if result.permanent:
                failures.append(
                    DeliveryFailure(result.delivery_id, DeliveryStatus.FAILED, now, error)
                )
            elif self._policy.expired(job.event.at, now):
                failures.append(
                    DeliveryFailure(
                        result.delivery_id,
                        DeliveryStatus.FAILED,
                        now,
                        f"gave up after {attempts} attempts: {error}",
                    )
                )
            else:
                failures.append(
                    DeliveryFailure(
                        result.delivery_id,
                        DeliveryStatus.PENDING,
                        self._policy.next_attempt(attempts, now, result.retry_after),
                        error,
                    )
                )
        with self._unit_of_work() as uow:
            uow.outbox.record(token, failures, now)
            uow.commit()


def _wanted(job: AlertJob) -> bool:
    """Still wanted: an active subscriber (or a pending one, for its confirmation)."""
    if job.event.kind is EventKind.CONFIRM:
        return job.subscription.status is SubscriptionStatus.PENDING and job.token is not None
    return job.subscription.status is SubscriptionStatus.ACTIVE


def _skipped(job: AlertJob) -> SendResult:
    reason = (
        "confirmation no longer needed"
        if job.event.kind is EventKind.CONFIRM
        else ("unsubscribed before sending")
    )
    return SendResult(job.delivery.id, ok=False, permanent=True, error=reason)
