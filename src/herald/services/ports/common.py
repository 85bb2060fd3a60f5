"""Ports every feature may use: the time, password hashing, source text, signed link
tokens, and the senders of alerts (with the job they send and its result).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from herald.domain.alerts import AlertEvent, Delivery, SubscriberGroup, Subscription
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Product
from herald.domain.document import BulletinDocument
from herald.domain.publisher import Publisher


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
