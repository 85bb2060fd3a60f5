"""What the public sees: only published and withdrawn bulletins, never a draft or an
embargoed one, and each scheduled bulletin from the instant its embargo lifts.

Every public surface (site, API, feeds, sitemap, static export) reads through here.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog
from herald.domain.document import BulletinDocument, compose
from herald.domain.errors import NotFound
from herald.domain.ids import parse_cve_id
from herald.domain.publisher import Publisher
from herald.services._context import public_catalog_of, require_publisher
from herald.services.ports.bulletins import BulletinHeadline, BulletinPage, BulletinQuery
from herald.services.ports.common import Clock
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class PublicBulletin:
    """A public bulletin with the document readers see."""

    bulletin: Bulletin
    document: BulletinDocument


GENERATION_MAX_AGE = 0.5
"""Seconds a server process reuses a site generation it read (``herald.bootstrap``)."""
KEPT_BULLETINS = 512
"""Public bulletins a ``PublicationService`` keeps from its reads of the current
generation, so that a bulletin's page and its renderings share one read."""


@dataclass(frozen=True)
class _Seen:
    """What the keeper last read, and when that read started (``time.monotonic``)."""

    generation: int
    next_release: datetime | None
    read_at: float


class EmbargoKeeper:
    """Releases scheduled bulletins at their instant, before any public read needs them.

    It remembers the site generation, the next release instant read with it, and when
    that read started. Reads call ``catch_up`` first: when the instant has come, they
    release what is due before answering, whatever else is remembered.

    With ``max_age`` 0 every ``catch_up`` reads the generation. With ``max_age`` > 0 a
    generation read less than ``max_age`` seconds ago is reused without any I/O, unless
    a release is due or this process committed a newer generation (``committed``, the
    newest generation committed here). So:

    - a scheduled bulletin never shows before its instant (only ``release_due``
      publishes it, and only when it is due), and shows on the first read after its
      instant in every process that knew the schedule;
    - a change committed by this process shows on its next read;
    - a change committed by another process (a worker, the command line), including a
      new schedule, shows within ``max_age`` seconds.
    """

    def __init__(
        self,
        read_unit_of_work: UnitOfWorkFactory,
        release_due: Callable[[], list[str]],
        clock: Clock,
        *,
        max_age: float = 0.0,
        committed: Callable[[], int] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read_unit_of_work
        self._release_due = release_due
        self._clock = clock
        self._max_age = max_age
        self._committed = committed
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._seen: _Seen | None = None

    def current(self) -> int | None:
        """The generation to read at, when it is known without I/O; None when
        ``catch_up`` must run (the last read is too old, a release is due, or this
        process committed since)."""
        seen = self._seen
        if seen is None or self._monotonic() - seen.read_at >= self._max_age:
            return None
        if seen.next_release is not None and seen.next_release <= self._clock.now():
            return None
        if self._committed is not None and self._committed() > seen.generation:
            return None
        return seen.generation

    def catch_up(self) -> int:
        """Release what is due; the site generation the caller may then read at."""
        known = self.current()
        if known is not None:
            return known
        started = self._monotonic()
        with self._read() as uow:
            generation = uow.site.generation()
        with self._lock:
            seen = self._seen
            if seen is None or generation != seen.generation:
                with self._read() as uow:
                    upcoming = uow.bulletins.next_release_at()
            else:
                upcoming = seen.next_release
            if upcoming is None or upcoming > self._clock.now():
                if seen is None or seen.read_at <= started:
                    self._seen = _Seen(generation, upcoming, started)
                return generation
            self._release_due()
            started = self._monotonic()
            with self._read() as uow:
                generation = uow.site.generation()
                self._seen = _Seen(generation, uow.bulletins.next_release_at(), started)
            return generation

    @property
    def next_release_at(self) -> datetime | None:
        seen = self._seen
        return None if seen is None else seen.next_release


class PublicationService:
    """Public queries, each after the embargo keeper has caught up."""

    def __init__(self, read_unit_of_work: UnitOfWorkFactory, embargo: EmbargoKeeper) -> None:
        self._read = read_unit_of_work
        self._embargo = embargo
        self._kept: tuple[int, Catalog, Publisher] | None = None
        self._recent = _RecentBulletins(KEPT_BULLETINS)

    def generation(self) -> int:
        """The site generation after releasing anything due (for caches and ETags)."""
        return self._embargo.catch_up()

    def known_generation(self) -> int | None:
        """``generation()`` when it needs no I/O (see ``EmbargoKeeper``), else None."""
        return self._embargo.current()

    def bulletins(self, query: BulletinQuery) -> BulletinPage:
        """Public bulletins matching ``query`` (``public_only`` is forced on)."""
        generation = self._embargo.catch_up()
        with self._read() as uow:
            page = uow.bulletins.query(_public(query))
        self._recent.keep(generation, page.bulletins)
        return page

    def headlines(self, query: BulletinQuery) -> Sequence[BulletinHeadline]:
        """Links to the public bulletins ``query`` selects (``public_only`` forced on);
        one light statement, for long lists (``limit`` up to ``ports.bulletins.MAX_HEADLINES``)."""
        self._embargo.catch_up()
        with self._read() as uow:
            return uow.bulletins.headlines(_public(query))

    def bulletin(self, article_id: str) -> PublicBulletin:
        """One public bulletin; ``NotFound`` (the same as for an unknown id) otherwise.

        A bulletin read at the current generation (by this call or by ``bulletins``) is
        answered from memory, one of the last ``KEPT_BULLETINS``."""
        generation = self._embargo.catch_up()
        kept = self._recent.get(generation, article_id)
        if isinstance(kept, PublicBulletin):
            return kept
        with self._read() as uow:
            bulletin = kept or uow.bulletins.find_public(article_id)
            if bulletin is None:
                raise NotFound(f"no bulletin {article_id!r}")
            catalog, publisher = self._facts(uow)
        public = PublicBulletin(bulletin, compose(bulletin, catalog, publisher))
        self._recent.keep(generation, (public,))
        return public

    def documents(self, bulletins: Sequence[Bulletin]) -> list[BulletinDocument]:
        """The reader's documents of already-public bulletins (one catalog read)."""
        with self._read() as uow:
            catalog, publisher = self._facts(uow)
        return [compose(b, catalog, publisher) for b in bulletins if b.status.public]

    def by_cve(self, cve: str) -> Sequence[Bulletin]:
        """Public bulletins naming ``cve``; ``ValidationError`` for a malformed id."""
        parse_cve_id(cve, "cve")
        query = _public(BulletinQuery(cve=cve, limit=100))
        generation = self._embargo.catch_up()
        with self._read() as uow:
            named = [headline.article_id for headline in uow.bulletins.headlines(query)]
            kept = self._recent.every(generation, named)
            if kept is not None:
                return kept
            found = uow.bulletins.query(query).bulletins
        self._recent.keep(generation, found)
        return found

    def catalog(self) -> Catalog:
        with self._read() as uow:
            return self._facts(uow)[0]

    def publisher(self) -> Publisher:
        with self._read() as uow:
            return self._facts(uow)[1]

    def _facts(self, uow: UnitOfWork) -> tuple[Catalog, Publisher]:
        """The public catalog and the publisher, at least as new as anything ``uow`` read
        before. The catalog leaves out the entries marked hidden that no public bulletin
        names (``domain.catalog.public_catalog``); a bulletin's publication moves the
        generation, so what it names shows from that instant.

        Both change only with the site generation, so they are kept per generation: one
        cheap statement reads it, and the whole catalog (hundreds of releases with their
        components) is loaded again only when it moved. What was kept at generation G was
        loaded after G was read, so it holds every change up to G.
        """
        generation = uow.site.generation()
        kept = self._kept
        if kept is not None and kept[0] == generation:
            return kept[1], kept[2]
        catalog, publisher = public_catalog_of(uow), require_publisher(uow)
        if kept is None or kept[0] < generation:
            self._kept = (generation, catalog, publisher)
        return catalog, publisher


class _RecentBulletins:
    """The last public bulletins read at the newest generation seen (thread-safe); a
    read at a newer generation forgets the others."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._generation = -1
        self._kept: OrderedDict[str, Bulletin | PublicBulletin] = OrderedDict()

    def keep(self, generation: int, found: Sequence[Bulletin | PublicBulletin]) -> None:
        with self._lock:
            if generation < self._generation:
                return
            if generation > self._generation:
                self._generation = generation
                self._kept.clear()
            for item in found:
                bulletin = item.bulletin if isinstance(item, PublicBulletin) else item
                if bulletin.status.public:
                    self._kept[bulletin.article_id] = item
                    self._kept.move_to_end(bulletin.article_id)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def get(self, generation: int, article_id: str) -> Bulletin | PublicBulletin | None:
        with self._lock:
            if generation != self._generation:
                return None
            return self._kept.get(article_id)

    def every(self, generation: int, article_ids: Sequence[str]) -> list[Bulletin] | None:
        """The bulletins of ``article_ids`` in that order, or None when one is not kept."""
        found: list[Bulletin] = []
        for article_id in article_ids:
            kept = self.get(generation, article_id)
            if kept is None:
                return None
            found.append(kept.bulletin if isinstance(kept, PublicBulletin) else kept)
        return found


def _public(query: BulletinQuery) -> BulletinQuery:
    return replace(query, public_only=True, status=None)
