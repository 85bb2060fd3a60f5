"""What the services need from the outside world, as small protocols.

Storage adapters implement these; ``herald.bootstrap`` decides which.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Literal, Protocol, Self

from herald.domain.accounts import User
from herald.domain.alerts import (
    AlertEvent,
    Channel,
    Delivery,
    DeliveryStatus,
    SubscriberGroup,
    Subscription,
    SubscriptionStatus,
)
from herald.domain.audit import AuditEntry
from herald.domain.audit_chain import ChainedEntry
from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import Catalog, Product
from herald.domain.document import BulletinDocument
from herald.domain.publisher import Publisher
from herald.domain.review_policy import EmergencyStep, Proposal, ReviewPolicy


@dataclass(frozen=True)
class BulletinQuery:
    """Which bulletins to list, in which order, and which page of them."""

    public_only: bool = True
    """Only published and withdrawn bulletins (every public surface sets this)."""
    status: Status | None = None
    """Only bulletins in this status."""
    product: str | None = None
    """Only bulletins affecting this product id."""
    version: str | None = None
    """With ``product``: only bulletins affecting this version of it."""
    severity: str | None = None
    """Only bulletins of this severity."""
    year: int | None = None
    """Only bulletins first published in this year (UTC)."""
    cve: str | None = None
    """Only bulletins naming this CVE id."""
    text: str | None = None
    """Case-insensitive search in article id, title, CVE ids and problem text."""
    order: Literal["published", "updated"] = "published"
    """Newest first by first publication, or by last change (``updated_at``)."""
    limit: int = 20
    """Page size."""
    offset: int = 0
    """Bulletins to skip (numbered pages)."""
    after: tuple[datetime, str] | None = None
    """Keyset cursor: the (sort instant, article id) of the last bulletin already seen."""


MAX_HEADLINES = 50_000
"""The largest page of ``BulletinRepository.headlines`` (the sitemap protocol's limit)."""


@dataclass(frozen=True)
class BulletinPage:
    """One page of a query's answer."""

    bulletins: tuple[Bulletin, ...]
    """The bulletins on this page, in order."""
    total: int
    """How many bulletins match the query in all."""


@dataclass(frozen=True)
class BulletinHeadline:
    """A bulletin as one link of a long list (sitemap, product pages): no lists, no text."""

    article_id: str
    title: str
    status: Status
    published_at: datetime | None
    """First publication (None for a bulletin never published)."""
    updated_at: datetime
    """The last change."""


class PublisherRepository(Protocol):
    """The one publisher of this herald instance."""

    def get(self) -> Publisher | None:
        """The publisher, or None before one is set."""
        ...

    def save(self, publisher: Publisher) -> None:
        """Create or replace the publisher."""
        ...


class CatalogRepository(Protocol):
    """Products with their versions, channels and releases."""

    def load(self) -> Catalog:
        """The whole catalog."""
        ...

    def save_product(self, product: Product) -> None:
        """Create or replace one product with everything under it.

        Raises ``ValidationError`` when the replacement drops a version, channel or
        release that a stored bulletin refers to.
        """
        ...

    def lock_product(self, product_id: str) -> None:
        """Hold the product's row until the transaction ends, so two changes to one
        product run one after the other (none lost); nothing when there is none."""
        ...


class BulletinRepository(Protocol):
    """Bulletins by article id."""

    def find(self, article_id: str) -> Bulletin | None:
        """The bulletin, or None."""
        ...

    def list(self) -> Sequence[Bulletin]:
        """Every bulletin, newest first (by last update)."""
        ...

    def article_ids(self) -> Sequence[str]:
        """Every article id in use."""
        ...

    def add(self, bulletin: Bulletin) -> None:
        """Store a new bulletin; ``Conflict`` when the article id is taken."""
        ...

    def update(self, bulletin: Bulletin) -> None:
        """Store a new state of an existing bulletin.

        Change-log entries already stored are kept as they are: only new ones are
        appended. ``RuleViolation`` when the new state would edit or drop one.
        """
        ...

    def delete(self, article_id: str) -> None:
        """Remove a draft."""
        ...

    def query(self, query: BulletinQuery) -> BulletinPage:
        """The bulletins matching ``query``, filtered, ordered and paged in the database.

        Order: newest first by ``published_at`` (or ``updated_at``), then article id
        descending; bulletins never published sort last by ``updated_at``.
        """
        ...

    def headlines(self, query: BulletinQuery) -> Sequence[BulletinHeadline]:
        """The headlines of the page ``query`` selects (same filters, order and paging as
        ``query``, without the total), one statement; ``limit`` may reach
        ``MAX_HEADLINES``."""
        ...

    def next_release_at(self) -> datetime | None:
        """The earliest ``release_at`` of a scheduled bulletin, if any."""
        ...

    def due_for_release(self, now: datetime) -> Sequence[Bulletin]:
        """Scheduled bulletins whose release instant has come, locked for update
        (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) so two workers never release one twice."""
        ...


class UserRepository(Protocol):
    """Staff accounts."""

    def find(self, username: str) -> User | None: ...

    def list(self) -> Sequence[User]:
        """Every account, by username."""
        ...

    def add(self, user: User) -> None:
        """``Conflict`` when the username is taken."""
        ...

    def update(self, user: User) -> None: ...

    def lock(self) -> None:
        """Hold every account row until the transaction ends (a change that counts the
        admins waits for another)."""
        ...

    def second_factor_required(self) -> bool:
        """Whether every member must have a second factor."""
        ...

    def require_second_factor(self, required: bool) -> None: ...


class AuditLog(Protocol):
    """The append-only record of every change."""

    def append(self, entry: AuditEntry) -> AuditEntry:
        """Store an entry; returns it with its sequence number."""
        ...

    def list(
        self, *, subject: str | None = None, limit: int = 50, before_id: int | None = None
    ) -> Sequence[AuditEntry]:
        """Newest first; only about ``subject`` when given; older than ``before_id``."""
        ...

    def head(self) -> ChainedEntry | None:
        """The newest entry with its chain hash, or None while the log is empty."""
        ...

    def chain(self) -> Generator[ChainedEntry, None, None]:
        """Every entry with its link and chain hash, oldest first (close it to stop early)."""
        ...


class SignInThrottle(Protocol):
    """Failed sign-ins per key (username, client address), shared by every worker."""

    def failures(self, key: str, since: datetime) -> int:
        """Failed attempts for ``key`` after ``since``."""
        ...

    def record_failure(self, key: str, at: datetime) -> None: ...

    def clear(self, key: str) -> None: ...

    def prune(self, before: datetime) -> int:
        """Forget failures older than ``before``, of every key; how many."""
        ...


class SiteState(Protocol):
    """A counter that grows with every change that may alter a public surface."""

    def generation(self) -> int:
        """The current value (caches and ETags key on it)."""
        ...

    def bump(self) -> int:
        """Add one, within the current transaction; returns the new value."""
        ...


@dataclass(frozen=True)
class Confirmation:
    """The pending double opt-in of a subscription."""

    nonce: str | None
    """The single-use part of the token; None once used (or never asked)."""
    expires_at: datetime | None
    sent_at: datetime | None
    """When the last confirmation email was queued."""


@dataclass(frozen=True)
class DeliveryFailure:
    """The outcome of a failed attempt: try again at ``next_attempt_at``, or give up."""

    delivery_id: int
    status: DeliveryStatus
    next_attempt_at: datetime
    error: str


@dataclass(frozen=True)
class DeliveryView:
    """A delivery as staff see it: with its recipient and event."""

    delivery: Delivery
    target: str
    event_kind: str


class AlertStore(Protocol):
    """Subscriber groups, subscriptions, the outbox (events, deliveries), predisclosure."""

    def groups(self) -> Sequence[SubscriberGroup]: ...

    def find_group(self, name: str) -> SubscriberGroup | None: ...

    def save_group(self, group: SubscriberGroup) -> None:
        """Create or replace."""
        ...

    def delete_group(self, name: str) -> None:
        """Members stay subscribed, without a group; ``NotFound`` if there is none."""
        ...

    def find_subscription(self, subscription_id: int) -> Subscription | None: ...

    def find_by_target(self, channel: Channel, target: str) -> Subscription | None: ...

    def add_subscription(self, subscription: Subscription) -> Subscription:
        """Store a new one (its ``id`` is ignored); returns it with the id given."""
        ...

    def update_subscription(self, subscription: Subscription) -> None: ...

    def subscriptions(
        self,
        *,
        channel: Channel | None = None,
        group: str | None = None,
        status: SubscriptionStatus | None = None,
    ) -> Sequence[Subscription]: ...

    def confirmation(self, subscription_id: int) -> Confirmation: ...

    def set_confirmation(self, subscription_id: int, confirmation: Confirmation) -> None: ...

    def add_event(self, event: AlertEvent) -> None: ...

    def add_deliveries(
        self, event_id: str, recipients: Sequence[tuple[int, Channel]], now: datetime
    ) -> int:
        """One pending delivery per (subscription id, channel), set-based; how many."""
        ...

    def fan_out(
        self,
        event_id: str,
        now: datetime,
        minimums: Sequence[str] | None,
        scale: Sequence[str],
        editorial_only: bool,
    ) -> int:
        """One set-based insert: a pending delivery for every active subscription without a
        product or version filter whose minimum severity is unset, in ``minimums``, or off
        the ``scale`` (``minimums`` None: unset only), and with ``editorial_only``, that
        asked for editorial changes. How many."""
        ...

    def filtered_subscriptions(self) -> Sequence[Subscription]:
        """Active subscriptions with a product or version filter (matched one by one)."""
        ...

    def events(self, event_ids: Sequence[str]) -> dict[str, AlertEvent]: ...

    def claimed_subscriptions(self, token: str) -> dict[int, Subscription]:
        """The subscriptions of the deliveries held by claim ``token``."""
        ...

    def claim(self, limit: int, now: datetime, lease_until: datetime, token: str) -> list[Delivery]:
        """Take up to ``limit`` due, unclaimed deliveries (skipping rows other workers
        hold); each attempt is counted here."""
        ...

    def record(self, token: str, failures: Sequence[DeliveryFailure], now: datetime) -> int:
        """Record a claim's outcomes: ``failures`` as given, every other row still held by
        ``token`` as sent (rows another claim took over are left alone); how many sent."""
        ...

    def deliveries(self, article_id: str) -> Sequence[DeliveryView]:
        """Every delivery of every event of a bulletin, newest event first."""
        ...

    def resend(self, delivery_ids: Sequence[int], now: datetime) -> int:
        """Failed deliveries back to pending (same idempotency key); how many."""
        ...

    def failed_ids(self, article_id: str) -> Sequence[int]: ...

    def predisclosure(self, article_id: str) -> str | None:
        """The predisclosure group of a bulletin, if any."""
        ...

    def set_predisclosure(self, article_id: str, group: str | None) -> None: ...

    def due_predisclosures(self, release_before: datetime) -> Sequence[str]:
        """Article ids of scheduled bulletins releasing before the instant whose
        predisclosure has not been emitted, locked so that one worker emits each."""
        ...

    def mark_predisclosed(self, article_id: str, event_id: str) -> None: ...


class ReviewStore(Protocol):
    """The review policy, proposed changes to published bulletins, emergency steps."""

    def policy(self) -> ReviewPolicy:
        """The stored policy, or the default one."""
        ...

    def save_policy(self, policy: ReviewPolicy) -> None: ...

    def proposal(self, article_id: str) -> Proposal | None: ...

    def proposals(self) -> Sequence[Proposal]:
        """Every waiting proposal, oldest first."""
        ...

    def add_proposal(self, proposal: Proposal) -> None:
        """``Conflict`` when one is waiting for that bulletin already."""
        ...

    def drop_proposal(self, article_id: str) -> None:
        """``NotFound`` when none is waiting."""
        ...

    def add_emergency(self, step: EmergencyStep) -> EmergencyStep:
        """Store a new step; returns it with its id."""
        ...

    def open_emergencies(self, article_id: str | None = None) -> Sequence[EmergencyStep]:
        """Steps not yet reviewed, oldest first; of one bulletin when given."""
        ...

    def close_emergency(self, step: EmergencyStep) -> None:
        """Store that ``step`` was reviewed (its ``reviewed_by``, ``reviewed_at``)."""
        ...


class UnitOfWork(Protocol):
    """One transaction: everything done through it is committed together or not at all."""

    publisher: PublisherRepository
    catalog: CatalogRepository
    bulletins: BulletinRepository
    users: UserRepository
    audit: AuditLog
    sign_in: SignInThrottle
    site: SiteState
    alerts: AlertStore
    review: ReviewStore

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back anything not committed."""
        ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class Clock(Protocol):
    """Where the services learn the time (UTC, timezone-aware)."""

    def now(self) -> datetime: ...


class PasswordHasher(Protocol):
    """Hashes and checks passwords (Argon2id in production)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool:
        """True when ``password`` matches; never raises for a wrong password."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class SourceSerializer(Protocol):
    """Writes records as herald/v1 source text (the audit log's before/after)."""

    def bulletin(self, bulletin: Bulletin) -> str: ...

    def product(self, product: Product) -> str: ...

    def publisher(self, publisher: Publisher) -> str: ...


class TokenSigner(Protocol):
    """Signs and checks the opaque tokens of alert links (unsubscribe, preferences)."""

    def sign(self, purpose: str, value: str) -> str: ...

    def verify(self, purpose: str, token: str) -> str | None:
        """The signed value, or None for a token that is bogus or for another purpose."""
        ...


@dataclass(frozen=True)
class AlertJob:
    """One claimed delivery with everything a sender needs to send it."""

    delivery: Delivery
    event: AlertEvent
    subscription: Subscription
    document: BulletinDocument | None
    """The bulletin as readers see it (None for confirmation emails)."""
    group: SubscriberGroup | None
    """The subscriber's group, for its template."""
    token: str | None = None
    """Confirmation emails: the token to confirm with."""


@dataclass(frozen=True)
class SendResult:
    """What happened to one job."""

    delivery_id: int
    ok: bool
    permanent: bool = False
    """A failure not worth retrying (SMTP 5xx, HTTP 4xx, a refused target)."""
    error: str | None = None
    retry_after: float | None = None
    """Seconds the receiver asked us to wait."""


class Sender(Protocol):
    """Sends the jobs of one channel (concurrently as it likes); one result per job."""

    def send(self, jobs: Sequence[AlertJob]) -> list[SendResult]: ...

    def close(self) -> None: ...
