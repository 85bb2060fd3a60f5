"""What the public sees: only published and withdrawn bulletins, never a draft or an
embargoed one, and each scheduled bulletin from the instant its embargo lifts.

Every public surface (site, API, feeds, sitemap, static export) reads through here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog
from herald.domain.document import BulletinDocument, compose
from herald.domain.errors import NotFound
from herald.domain.ids import parse_cve_id
from herald.domain.publisher import Publisher
from herald.services._context import require_publisher
from herald.services.ports import BulletinPage, BulletinQuery, Clock, UnitOfWorkFactory


@dataclass(frozen=True)
class PublicBulletin:
    """A public bulletin with the document readers see."""

    bulletin: Bulletin
    document: BulletinDocument


class EmbargoKeeper:
    """Releases scheduled bulletins at their instant, before any public read needs them.

    It remembers the next release instant and the site generation it read it at; a
    change anywhere (a new schedule on another worker) bumps the generation, so the
    next read refreshes the instant. Reads call ``catch_up`` first: when the instant
    has come, they release what is due before answering.
    """

    def __init__(
        self,
        read_unit_of_work: UnitOfWorkFactory,
        release_due: Callable[[], list[str]],
        clock: Clock,
    ) -> None:
        self._read = read_unit_of_work
        self._release_due = release_due
        self._clock = clock
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._next: datetime | None = None

    def catch_up(self) -> int:
        """Release what is due; the site generation the caller may then read at."""
        with self._read() as uow:
            generation = uow.site.generation()
        with self._lock:
            if generation != self._generation:
                with self._read() as uow:
                    self._next = uow.bulletins.next_release_at()
                self._generation = generation
            due = self._next is not None and self._next <= self._clock.now()
            if not due:
                return generation
            self._release_due()
            with self._read() as uow:
                self._generation = uow.site.generation()
                self._next = uow.bulletins.next_release_at()
            return self._generation

    @property
    def next_release_at(self) -> datetime | None:
        return self._next


class PublicationService:
    """Public queries, each after the embargo keeper has caught up."""

    def __init__(self, read_unit_of_work: UnitOfWorkFactory, embargo: EmbargoKeeper) -> None:
        self._read = read_unit_of_work
        self._embargo = embargo

    def generation(self) -> int:
        """The site generation after releasing anything due (for caches and ETags)."""
        return self._embargo.catch_up()

    def bulletins(self, query: BulletinQuery) -> BulletinPage:
        """Public bulletins matching ``query`` (``public_only`` is forced on)."""
        self._embargo.catch_up()
        with self._read() as uow:
            return uow.bulletins.query(_public(query))

    def bulletin(self, article_id: str) -> PublicBulletin:
        """One public bulletin; ``NotFound`` (the same as for an unknown id) otherwise."""
        self._embargo.catch_up()
        with self._read() as uow:
            bulletin = uow.bulletins.find(article_id)
            if bulletin is None or not bulletin.status.public:
                raise NotFound(f"no bulletin {article_id!r}")
            document = compose(bulletin, uow.catalog.load(), require_publisher(uow))
        return PublicBulletin(bulletin, document)

    def documents(self, bulletins: Sequence[Bulletin]) -> list[BulletinDocument]:
        """The reader's documents of already-public bulletins (one catalog read)."""
        with self._read() as uow:
            catalog, publisher = uow.catalog.load(), require_publisher(uow)
        return [compose(b, catalog, publisher) for b in bulletins if b.status.public]

    def by_cve(self, cve: str) -> Sequence[Bulletin]:
        """Public bulletins naming ``cve``; ``ValidationError`` for a malformed id."""
        parse_cve_id(cve, "cve")
        return self.bulletins(BulletinQuery(cve=cve, limit=100)).bulletins

    def catalog(self) -> Catalog:
        with self._read() as uow:
            return uow.catalog.load()

    def publisher(self) -> Publisher:
        with self._read() as uow:
            return require_publisher(uow)


def _public(query: BulletinQuery) -> BulletinQuery:
    return replace(query, public_only=True, status=None)
