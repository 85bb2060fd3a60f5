"""Bulletins: the repository, and the query, page and headline it answers with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import CatalogReferences


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


class BulletinRepository(Protocol):
    """Bulletins by article id."""

    def find(self, article_id: str) -> Bulletin | None:
        """The bulletin, or None."""
        ...

    def find_public(self, article_id: str) -> Bulletin | None:
        """The bulletin if it is public (published or withdrawn), else None.

        The status is part of the lookup, so a hidden id costs what a missing one does
        (nothing of a draft or an embargoed bulletin is loaded): its timing tells a
        client nothing."""
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

    def public_references(self) -> CatalogReferences:
        """The catalog entries the public (published and withdrawn) bulletins name, as
        ``domain.bulletin.named_by`` would find them; nothing of another bulletin counts."""
        ...

    def next_release_at(self) -> datetime | None:
        """The earliest ``release_at`` of a scheduled bulletin, if any."""
        ...

    def due_for_release(self, now: datetime) -> Sequence[Bulletin]:
        """Scheduled bulletins whose release instant has come, locked for update
        (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) so two workers never release one twice."""
        ...
