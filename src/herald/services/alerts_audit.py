"""Audit-log entries for staff changes to alerting: subscriptions, groups, resends,
predisclosure. Secrets never reach the log (a rotation says only that it happened)."""

from __future__ import annotations

from datetime import datetime

from herald.domain.alerts import SubscriberGroup, Subscription
from herald.domain.audit import AuditEntry
from herald.services.actors import Actor
from herald.services.ports.unit_of_work import UnitOfWork


def describe_subscription(subscription: Subscription) -> str:
    """A subscription's state for the log: who gets what, never its secret."""
    chosen = subscription.filter
    lines = [
        f"channel: {subscription.channel.value}",
        f"target: {subscription.target}",
        f"status: {subscription.status.value}",
        f"group: {subscription.group or '-'}",
        f"products: {', '.join(chosen.products) or 'all'}",
        f"versions: {', '.join(chosen.versions) or 'all'}",
        f"minimum severity: {chosen.minimum_severity or 'any'}",
        f"editorial changes: {'yes' if chosen.editorial else 'no'}",
    ]
    return "\n".join(lines) + "\n"


def describe_group(group: SubscriberGroup) -> str:
    """A subscriber group's state for the log."""
    return f"title: {group.title}\nsubject prefix: {group.subject_prefix}\nintro: {group.intro}\n"


def record(
    uow: UnitOfWork,
    actor: Actor,
    at: datetime,
    action: str,
    subject: str,
    before: str | None = None,
    after: str | None = None,
) -> None:
    """Append one entry in the caller's transaction."""
    uow.audit.append(
        AuditEntry(
            at=at, actor=actor.name, action=action, subject=subject, before=before, after=after
        )
    )
