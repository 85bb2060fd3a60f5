"""Alerts: subscriptions, their filters, the events a bulletin change produces, deliveries.

Pure rules only. Which event a change makes (``event_for``), whether it is material,
and whether a subscription wants it (``AlertFilter.matches``) are decided here; storing
and sending are the services' and adapters' business.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from herald.domain import review_policy
from herald.domain.bulletin import Bulletin, Status
from herald.domain.errors import ValidationError

MATERIAL_FIELDS = review_policy.MATERIAL_FIELDS
"""A modification touching one of these is material; any other change is editorial (the
same rule decides which amendments need a second person)."""

MAX_FILTER_ITEMS = 200
"""The most products or versions one filter may name."""

MAX_EMAIL_LENGTH = 254
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?"
)
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_GROUP = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")


class Channel(StrEnum):
    """How an alert travels."""

    EMAIL = "email"
    WEBHOOK = "webhook"


class EventKind(StrEnum):
    """What happened. ``subscription.confirm`` carries a double opt-in email."""

    PUBLISHED = "bulletin.published"
    MODIFIED = "bulletin.modified"
    WITHDRAWN = "bulletin.withdrawn"
    PREDISCLOSED = "bulletin.predisclosed"
    CONFIRM = "subscription.confirm"


class SubscriptionStatus(StrEnum):
    """Double opt-in: pending until confirmed; unsubscribed is kept (never re-sent)."""

    PENDING = "pending"
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


def parse_email(text: str, field_name: str = "email") -> str:
    """A plausible single mailbox address (syntax only, no DNS), lower-cased: one
    subscription per address whatever the case it is typed in."""
    candidate = text.strip() if isinstance(text, str) else ""
    if not candidate or len(candidate) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(candidate):
        raise ValidationError(field_name, "is not an email address (expected name@example.com)")
    local, _, domain = candidate.rpartition("@")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValidationError(field_name, "is not an email address (expected name@example.com)")
    return f"{local}@{domain}".lower()


def parse_group_name(text: str, field_name: str = "group") -> str:
    if not isinstance(text, str) or not _GROUP.fullmatch(text):
        raise ValidationError(
            field_name, f"{text!r} is not a group name (lower-case letters, digits, hyphens)"
        )
    return text


@dataclass(frozen=True)
class AlertFilter:
    """Which bulletins a subscriber wants."""

    products: tuple[str, ...] = ()
    """Product ids; empty means every product."""
    versions: tuple[str, ...] = ()
    """``product:version`` names; empty means every version of the chosen products."""
    minimum_severity: str | None = None
    """The lowest severity wanted, from the publisher's scale; None means all."""
    editorial: bool = False
    """Also alert on editorial modifications (wording, title, sections)."""

    def __post_init__(self) -> None:
        if len(self.products) > MAX_FILTER_ITEMS:
            raise ValidationError("products", f"name at most {MAX_FILTER_ITEMS} products")
        if len(self.versions) > MAX_FILTER_ITEMS:
            raise ValidationError("versions", f"name at most {MAX_FILTER_ITEMS} versions")
        for version in self.versions:
            product, sep, name = version.partition(":")
            if not sep or not product or not name:
                raise ValidationError("versions", f"{version!r} is not product:version")

    def matches(self, event: AlertEvent, severities: tuple[str, ...]) -> bool:
        """Whether an event of a published bulletin concerns this subscriber."""
        if event.kind is EventKind.MODIFIED and not event.material and not self.editorial:
            return False
        if self.minimum_severity is not None:
            if event.severity is None or event.severity not in severities:
                return False
            if self.minimum_severity in severities and severities.index(
                event.severity
            ) > severities.index(self.minimum_severity):
                return False
        if self.versions:
            return any(version in self.versions for version in event.versions)
        if self.products:
            return any(version.partition(":")[0] in self.products for version in event.versions)
        return True


@dataclass(frozen=True)
class SubscriberGroup:
    """A staff-managed group of subscribers (e.g. channel partners) with its own template."""

    name: str
    """Short key, e.g. ``partners``."""
    title: str
    """Display name, e.g. "Channel partners"."""
    subject_prefix: str = ""
    """Put before every subject line of the group's emails, e.g. "[Partner] "."""
    intro: str = ""
    """A paragraph shown above the bulletin in the group's emails (plain text)."""

    def __post_init__(self) -> None:
        parse_group_name(self.name)
        if not self.title.strip() or len(self.title) > 200:
            raise ValidationError("title", "give a title of 1 to 200 characters")
        if len(self.subject_prefix) > 60 or "\n" in self.subject_prefix:
            raise ValidationError("subject_prefix", "one line of at most 60 characters")
        if len(self.intro) > 4000:
            raise ValidationError("intro", "at most 4000 characters")


@dataclass(frozen=True)
class Subscription:
    """One recipient of alerts."""

    id: int
    """Internal id (public links carry signed tokens instead)."""
    channel: Channel
    target: str
    """An email address or a webhook URL."""
    status: SubscriptionStatus
    filter: AlertFilter = field(default_factory=AlertFilter)
    group: str | None = None
    """The subscriber group, if any."""
    secret: str | None = None
    """Webhooks: the signing secret, ``whsec_`` + base64."""
    created_at: datetime | None = None
    confirmed_at: datetime | None = None
    previous_secret: str | None = None
    """Webhooks: the secret before the last rotation, still signing until ``previous_until``."""
    previous_until: datetime | None = None

    def signing_secrets(self, now: datetime) -> tuple[str, ...]:
        """The secrets a webhook request is signed with at ``now``: the current one, and
        the previous one while the rotation's overlap lasts (Standard Webhooks lets a
        request carry several signatures, so receivers can switch secrets unhurried)."""
        if self.secret is None:
            return ()
        if self.previous_secret and self.previous_until is not None and now < self.previous_until:
            return (self.secret, self.previous_secret)
        return (self.secret,)

    def rotated(self, secret: str, now: datetime, overlap: timedelta) -> Subscription:
        """This webhook with a new ``secret``; the current one keeps signing for ``overlap``."""
        if not timedelta(0) <= overlap <= MAX_SECRET_OVERLAP:
            hours = MAX_SECRET_OVERLAP // timedelta(hours=1)
            raise ValidationError("overlap_hours", f"give 0 to {hours} hours")
        keep = self.secret if overlap > timedelta(0) else None
        return replace(
            self,
            secret=secret,
            previous_secret=keep,
            previous_until=now + overlap if keep else None,
        )


SECRET_OVERLAP = timedelta(hours=24)
"""How long the old secret keeps signing after a rotation, unless asked otherwise (as Svix)."""
MAX_SECRET_OVERLAP = timedelta(days=7)
OVERLAP_CHOICES = (0, 1, 24, 72, 168)
"""The overlaps (hours) the staff form offers."""


@dataclass(frozen=True)
class AlertEvent:
    """Something subscribers are told about, with what they need to decide and read."""

    id: str
    """32 hex digits; part of every delivery's idempotency key."""
    kind: EventKind
    at: datetime
    article_id: str | None = None
    revision: int = 0
    severity: str | None = None
    versions: tuple[str, ...] = ()
    """``product:version`` of every version the bulletin states affected, not affected or
    under investigation, before or after the change."""
    changed: tuple[str, ...] = ()
    """Modified fields (modifications only)."""
    material: bool = True
    entry_on: str | None = None
    """The new change-log entry's day (ISO), if the change added one."""
    entry_summary: str | None = None
    release_at: datetime | None = None
    """Predisclosure: the instant the embargo lifts."""
    group: str | None = None
    """Predisclosure: the group it goes to."""
    subscription_id: int | None = None
    """Confirmation emails: the subscription being confirmed."""


def _versions(bulletin: Bulletin | None) -> set[str]:
    if bulletin is None:
        return set()
    stated = (
        *bulletin.affected,
        *(statement.version for statement in bulletin.not_affected),
        *bulletin.under_investigation,
    )
    return {f"{ref.product}:{ref.version}" for ref in stated}


def event_for(
    before: Bulletin | None, after: Bulletin | None, event_id: str, at: datetime
) -> AlertEvent | None:
    """The event a bulletin change makes, or None (drafts, reviews, scheduling)."""
    if after is None or not after.status.public:
        return None
    was_public = before is not None and before.status.public
    entry = after.changelog[-1] if after.changelog else None
    published = AlertEvent(
        id=event_id,
        kind=EventKind.PUBLISHED,
        at=at,
        article_id=after.article_id,
        revision=after.revision,
        severity=after.severity,
        versions=tuple(sorted(_versions(before) | _versions(after))),
        entry_on=entry.on.isoformat() if entry else None,
        entry_summary=entry.summary if entry else None,
    )
    if not was_public:
        return published
    assert before is not None
    if after.status is Status.WITHDRAWN and before.status is not Status.WITHDRAWN:
        return replace(published, kind=EventKind.WITHDRAWN)
    if after.revision == before.revision:
        return None
    changed = tuple(after.content().changed_fields(before.content()))
    material = any(name in MATERIAL_FIELDS for name in changed)
    return replace(published, kind=EventKind.MODIFIED, changed=changed, material=material)


def predisclosure_event(bulletin: Bulletin, group: str, event_id: str, at: datetime) -> AlertEvent:
    """The embargoed early alert of a scheduled bulletin to its predisclosure group."""
    return AlertEvent(
        id=event_id,
        kind=EventKind.PREDISCLOSED,
        at=at,
        article_id=bulletin.article_id,
        revision=0,
        severity=bulletin.severity,
        versions=tuple(sorted(_versions(bulletin))),
        release_at=bulletin.release_at,
        group=group,
    )


def idempotency_key(event_id: str, subscription_id: int) -> str:
    """The same for every attempt of one alert to one subscriber (no dots: webhook ids)."""
    return f"{event_id}_{subscription_id}"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, and when to give up."""

    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=6)
    max_age: timedelta = timedelta(hours=72)

    def next_attempt(
        self,
        attempts: int,
        now: datetime,
        retry_after: float | None = None,
        rng: random.Random | None = None,
    ) -> datetime:
        """When to try again after ``attempts`` failed tries: ``uniform(d/2, d)``."""
        exponent = min(max(attempts - 1, 0), 30)
        delay = min(self.base.total_seconds() * 2**exponent, self.cap.total_seconds())
        jittered = (rng or random).uniform(delay / 2, delay)
        if retry_after is not None:
            jittered = max(jittered, min(retry_after, self.cap.total_seconds()))
        return now + timedelta(seconds=jittered)

    def expired(self, event_at: datetime, now: datetime) -> bool:
        return now - event_at >= self.max_age


@dataclass(frozen=True)
class Delivery:
    """One event for one subscription, as the outbox holds it."""

    id: int
    event_id: str
    subscription_id: int
    channel: Channel
    status: DeliveryStatus
    attempts: int
    """Attempts made so far (counted when a worker claims the row)."""
    next_attempt_at: datetime
    created_at: datetime
    last_error: str | None = None
    sent_at: datetime | None = None

    @property
    def idempotency_key(self) -> str:
        """Email ``Message-ID`` and ``webhook-id`` are built from it; never changes."""
        return idempotency_key(self.event_id, self.subscription_id)
