"""What the services need from the outside world, as small protocols.

Storage adapters implement these; ``herald.bootstrap`` decides which.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog, Product
from herald.domain.publisher import Publisher


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


class UnitOfWork(Protocol):
    """One transaction: everything done through it is committed together or not at all."""

    publisher: PublisherRepository
    catalog: CatalogRepository
    bulletins: BulletinRepository

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
