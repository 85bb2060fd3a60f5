"""What readers and the CLI look up: bulletins as documents, the catalog."""

from __future__ import annotations

from collections.abc import Sequence

from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import Catalog
from herald.domain.document import BulletinDocument, compose
from herald.domain.publisher import Publisher
from herald.services._context import require_bulletin, require_publisher, rules_catalog
from herald.services.ports.unit_of_work import UnitOfWorkFactory


class ReadingService:
    """Read-only queries, each in its own short transaction."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._unit_of_work = unit_of_work

    def bulletin(self, article_id: str) -> Bulletin:
        with self._unit_of_work() as uow:
            return require_bulletin(uow, article_id)

    def document(self, article_id: str) -> BulletinDocument:
        """The bulletin as readers see it, every template filled in."""
        with self._unit_of_work() as uow:
            bulletin = require_bulletin(uow, article_id)
            return compose(bulletin, rules_catalog(uow), require_publisher(uow))

    def bulletins(self, status: Status | None = None) -> Sequence[Bulletin]:
        """Every bulletin, newest first; only those in ``status`` when given."""
        with self._unit_of_work() as uow:
            found = uow.bulletins.list()
        return [b for b in found if status is None or b.status is status]

    def catalog(self) -> Catalog:
        with self._unit_of_work() as uow:
            return uow.catalog.load()

    def publisher(self) -> Publisher:
        with self._unit_of_work() as uow:
            return require_publisher(uow)

    def is_empty(self) -> bool:
        """True before any publisher, product or bulletin is stored."""
        with self._unit_of_work() as uow:
            return (
                uow.publisher.get() is None
                and not uow.catalog.load().products
                and not uow.bulletins.article_ids()
            )
