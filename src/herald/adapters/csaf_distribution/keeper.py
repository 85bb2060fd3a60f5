"""The current distribution of one process, rebuilt as a whole when the site changes.

``DistributionKeeper.current`` reads the site generation (which releases due embargoes
first) and answers with the snapshot built for it. When the generation moved, a new
snapshot is built completely — documents, hashes, signatures, indexes, feeds and
metadata together — and only then replaces the old one, by one reference assignment.
A request holds one snapshot from start to end, so every file it serves comes from one
consistent set. Requests that find the generation moved wait for the new snapshot
(one build at a time), never falling back to an older one: give the keeper a
``PublicationService`` that reads the generation afresh on every call (``bootstrap``
does), and a request always gets a snapshot at least as new as any answer given
before it started, by this process or any other. So a reader that fetches a document
and then its hash or signature never gets one older than the document.

Rebuilds are cheap when little changed: the public headlines (one light query) are
compared with the last build's, and an unchanged set with an unchanged catalog,
publisher and key reuses the snapshot as it is (a draft's edit moves the generation
but not the distribution). Otherwise every public bulletin is read, and only documents
whose bulletin, catalog or publisher changed are rendered again; signatures come from
the ``SignatureCache`` on disk, so each document is signed once, whichever process
asks first, and rendered documents from the ``DocumentCache`` on disk, so a new
process reads them instead of rendering them all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from herald.adapters.csaf_distribution.document_cache import DocumentCache
from herald.adapters.csaf_distribution.layout import DistributionUrls
from herald.adapters.csaf_distribution.snapshot import (
    DistributedDocument,
    Distribution,
    PublicKey,
    assemble,
    distributed_document,
)
from herald.adapters.signing import SigningKey
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog
from herald.domain.errors import NotFound
from herald.domain.publisher import Publisher
from herald.services.ports.bulletins import MAX_HEADLINES, BulletinHeadline, BulletinQuery
from herald.services.publication import PublicationService

log = logging.getLogger("herald.csaf")

PAGE = 1_000
"""Bulletins read per query when the distribution is rebuilt."""
FEW = 50
"""Up to this many changed bulletins are read one by one; more, and all are read."""


class Signatures(Protocol):
    """Where signatures come from (``herald.adapters.signing.SignatureCache``)."""

    def key(self) -> SigningKey | None: ...

    def signature(self, data: bytes, key: SigningKey) -> bytes: ...


@dataclass(frozen=True)
class _Built:
    generation: int
    headlines: tuple[BulletinHeadline, ...]
    catalog: Catalog
    publisher: Publisher
    fingerprint: str | None
    distribution: Distribution


class DistributionKeeper:
    """The distribution of the current site generation; thread-safe."""

    def __init__(
        self,
        publication: PublicationService,
        base_url: str,
        signatures: Signatures | None,
        *,
        documents: DocumentCache | None = None,
        on_build: Callable[[Distribution], None] | None = None,
    ) -> None:
        self._publication = publication
        self._documents = documents
        self._urls = DistributionUrls(base_url)
        self._signatures = signatures
        self._on_build = on_build or _log_build
        self._built: _Built | None = None
        self._building = threading.Lock()
        self._rendered: dict[str, _Rendered] = {}
        self._facts = ""

    @property
    def urls(self) -> DistributionUrls:
        return self._urls

    def current(self) -> Distribution:
        """The snapshot for the current site generation (built first when needed)."""
        generation = self._publication.generation()
        built = self._built
        if built is not None and built.generation >= generation:
            return built.distribution
        with self._building:
            built = self._built
            if built is None or built.generation < generation:
                built = self._built = self._build(generation, built)
            return built.distribution

    def _build(self, generation: int, last: _Built | None) -> _Built:
        headlines = tuple(
            self._publication.headlines(BulletinQuery(limit=MAX_HEADLINES, order="updated"))
        )
        catalog, publisher = self._publication.catalog(), self._publication.publisher()
        key = self._signatures.key() if self._signatures is not None else None
        fingerprint = key.fingerprint if key else None
        same_facts = last is not None and last.catalog == catalog and last.publisher == publisher
        if same_facts and last is not None:
            if last.headlines == headlines and last.fingerprint == fingerprint:
                built = last.distribution
                return _Built(generation, headlines, catalog, publisher, fingerprint, built)
        else:
            self._rendered.clear()
        self._facts = (
            self._documents.facts(self._urls.base, catalog, publisher) if self._documents else ""
        )
        documents = [
            self._document(bulletin, catalog, publisher, key)
            for bulletin in self._bulletins(
                headlines, last.headlines if same_facts and last else ()
            )
        ]
        public_key = PublicKey(key.fingerprint, key.public_key) if key else None
        distribution = assemble(documents, publisher, self._urls, public_key)
        self._on_build(distribution)
        return _Built(generation, headlines, catalog, publisher, fingerprint, distribution)

    def _bulletins(
        self, headlines: tuple[BulletinHeadline, ...], before: tuple[BulletinHeadline, ...]
    ) -> list[Bulletin]:
        """Every public bulletin: those whose headline is as it was from memory, the rest
        read again (one by one when few changed, else all in pages)."""
        known = {headline.article_id: headline for headline in before}
        changed = {
            headline.article_id
            for headline in headlines
            if known.get(headline.article_id) != headline
            or headline.article_id not in self._rendered
        }
        if len(changed) > FEW:
            return self._all_bulletins()
        found = {
            headline.article_id: self._rendered[headline.article_id].bulletin
            for headline in headlines
            if headline.article_id not in changed
        }
        for article_id in sorted(changed):
            try:
                found[article_id] = self._publication.bulletin(article_id).bulletin
            except NotFound:  # no longer public (cannot happen today); the next build sees it
                continue
        return list(found.values())

    def _all_bulletins(self) -> list[Bulletin]:
        """Every public bulletin, each once (read in pages)."""
        found: dict[str, Bulletin] = {}
        offset = 0
        while True:
            page = self._publication.bulletins(BulletinQuery(limit=PAGE, offset=offset))
            for bulletin in page.bulletins:
                found.setdefault(bulletin.article_id, bulletin)
            offset += len(page.bulletins)
            if len(page.bulletins) < PAGE:
                return list(found.values())

    def _document(
        self, bulletin: Bulletin, catalog: Catalog, publisher: Publisher, key: SigningKey | None
    ) -> DistributedDocument:
        fingerprint = key.fingerprint if key else None
        kept = self._rendered.get(bulletin.article_id)
        if kept is not None and kept.bulletin == bulletin and kept.fingerprint == fingerprint:
            return kept.document
        if kept is not None and kept.bulletin == bulletin:
            document = replace(kept.document, signature=None)
        elif self._documents is not None:
            document = self._documents.document(
                self._facts,
                bulletin,
                catalog,
                lambda: distributed_document(bulletin, catalog, publisher, self._urls),
            )
        else:
            document = distributed_document(bulletin, catalog, publisher, self._urls)
        if key is not None and self._signatures is not None:
            document = document.signed(self._signatures.signature(document.body, key))
        self._rendered[bulletin.article_id] = _Rendered(bulletin, document, fingerprint)
        return document


@dataclass(frozen=True)
class _Rendered:
    """A bulletin's document as last distributed, signed by ``fingerprint`` (or unsigned)."""

    bulletin: Bulletin
    document: DistributedDocument
    fingerprint: str | None


def _log_build(distribution: Distribution) -> None:
    if distribution.fingerprint is None:
        log.warning(
            "CSAF documents are distributed without OpenPGP signatures: no signing key "
            "(herald keys generate, or HERALD_SIGNING_KEY); the provider is not trusted"
        )
    for tracking_id in distribution.withheld:
        log.warning("%s is not TLP:WHITE/GREEN and is left out of the distribution", tracking_id)
