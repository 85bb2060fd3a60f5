"""Import and export of the catalog and bulletins kept as source files.

An import is all or nothing: every item is checked against the rules and the stored
state first, and one transaction writes them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from herald.domain import workflow
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog, Product, check_product
from herald.domain.errors import HeraldError, ValidationError
from herald.domain.publisher import Publisher
from herald.services._context import require_publisher
from herald.services.ports import UnitOfWorkFactory

Locate = Callable[[str, str], str | None]
"""Where an item (``publisher``, ``product:<id>``, ``bulletin:<article id>``) came from:
``path`` of its file, or ``path:line`` of the field named by the second argument."""


@dataclass(frozen=True)
class SourceItems:
    """A publisher, products and bulletins read from source files."""

    publisher: Publisher | None = None
    products: tuple[Product, ...] = ()
    bulletins: tuple[Bulletin, ...] = ()


@dataclass
class ImportReport:
    """What an import did, item by item."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class SourceService:
    """Moves whole sets of items between source files and storage."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._unit_of_work = unit_of_work

    def import_items(
        self, items: SourceItems, locate: Locate = lambda _key, _field: None
    ) -> ImportReport:
        """Store every item, or nothing when any of them breaks a rule."""
        report = ImportReport()
        with self._unit_of_work() as uow:
            if items.publisher is not None:
                current = uow.publisher.get()
                _tally(report, "publisher", current, items.publisher)
                if current != items.publisher:
                    uow.publisher.save(items.publisher)
            publisher = require_publisher(uow)
            catalog = uow.catalog.load()
            for product in items.products:
                key = f"product:{product.id}"
                with _located(locate, key):
                    check_product(product)
                    existing = _find_product(catalog, product.id)
                    _tally(report, key, existing, product)
                    if existing != product:
                        uow.catalog.save_product(product)
                catalog = catalog.with_product(product)
            for bulletin in items.bulletins:
                key = f"bulletin:{bulletin.article_id}"
                with _located(locate, key):
                    publisher.article_ids.parse(bulletin.article_id)
                    workflow.check_consistent(bulletin, catalog, publisher)
                    stored = uow.bulletins.find(bulletin.article_id)
                    _tally(report, key, stored, bulletin)
                    if stored is None:
                        uow.bulletins.add(bulletin)
                    elif stored != bulletin:
                        workflow.check_revision(stored, bulletin)
                        uow.bulletins.update(bulletin)
            uow.commit()
        return report

    def export_items(self) -> SourceItems:
        """Everything stored, ready to be written as source files."""
        with self._unit_of_work() as uow:
            bulletins: Sequence[Bulletin] = uow.bulletins.list()
            return SourceItems(
                publisher=uow.publisher.get(),
                products=uow.catalog.load().products,
                bulletins=tuple(sorted(bulletins, key=lambda b: b.article_id)),
            )


def _find_product(catalog: Catalog, product_id: str) -> Product | None:
    return next((p for p in catalog.products if p.id == product_id), None)


def _tally(report: ImportReport, key: str, before: object, after: object) -> None:
    if before is None:
        report.created.append(key)
    elif before != after:
        report.updated.append(key)
    else:
        report.unchanged.append(key)


@contextmanager
def _located(locate: Locate, key: str) -> Iterator[None]:
    """Give errors raised inside the block the file (and line) of the item they concern."""
    try:
        yield
    except ValidationError as error:
        location = locate(key, error.field)
        if location is None or error.location is not None:
            raise
        raise error.at(location) from error
    except HeraldError as error:
        location = locate(key, "")
        if location is None:
            raise
        raise type(error)(f"{location}: {error.message}") from error
