"""Helpers the services share: loading the publisher and catalog a rule needs, and the
catalog the public sees."""

from __future__ import annotations

from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog, public_catalog, revealed
from herald.domain.errors import NotFound
from herald.domain.publisher import Publisher
from herald.services.ports.unit_of_work import UnitOfWork


def require_publisher(uow: UnitOfWork) -> Publisher:
    """The stored publisher; ``NotFound`` with a hint when there is none yet."""
    publisher = uow.publisher.get()
    if publisher is None:
        raise NotFound("no publisher yet: run `herald demo` or import a publisher file")
    return publisher


def require_bulletin(uow: UnitOfWork, article_id: str) -> Bulletin:
    """The stored bulletin; ``NotFound`` naming the id when there is none."""
    bulletin = uow.bulletins.find(article_id)
    if bulletin is None:
        raise NotFound(f"no bulletin {article_id!r}")
    return bulletin


def rules_catalog(uow: UnitOfWork) -> Catalog:
    """The whole catalog, as the rules for a bulletin read it: every entry (staff name
    hidden ones in bulletins), and an entry a public bulletin names no longer marked
    hidden, so ``hidden`` there means "not public yet" (``catalog.revealed``)."""
    catalog = uow.catalog.load()
    if not catalog.has_hidden:
        return catalog
    return revealed(catalog, uow.bulletins.public_references())


def public_catalog_of(uow: UnitOfWork) -> Catalog:
    """The catalog the public sees: without the hidden entries no public bulletin names
    (``catalog.public_catalog``); one more light read only when some entry is hidden."""
    catalog = uow.catalog.load()
    if not catalog.has_hidden:
        return catalog
    return public_catalog(catalog, uow.bulletins.public_references())
