"""Turning another vendor's advisory into a draft bulletin, in one transaction.

The mapping from a document format to herald's values happens in an adapter
(``herald.adapters.csaf_import``); it sees the stored catalog and publisher through
``plan`` and returns a ``DraftImport``. This service reads what the plan needs, then
stores the extended products and the new draft together, or nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from herald.domain import workflow
from herald.domain.accounts import Action
from herald.domain.bulletin import Bulletin, BulletinContent
from herald.domain.catalog import Catalog, Product, check_product
from herald.domain.errors import ValidationError
from herald.domain.ids import ArticleId
from herald.domain.publisher import Publisher
from herald.services._context import require_publisher
from herald.services.actors import OPERATOR, Actor
from herald.services.catalog_audit import audit_product
from herald.services.ports.common import Clock
from herald.services.ports.unit_of_work import UnitOfWorkFactory
from herald.services.recording import Recorder


@dataclass(frozen=True)
class DraftImport:
    """What an imported document becomes: products to store and a draft's content."""

    content: BulletinContent
    products: tuple[Product, ...] = ()
    """New or extended products (whole, as ``save_product`` stores them)."""
    article_id: str | None = None
    """The article id to use, when the source's id fits the publisher's pattern."""
    report: tuple[str, ...] = ()
    """What could not be mapped, one line each."""


@dataclass(frozen=True)
class ImportResult:
    """The stored draft, the products changed, and the mapping report."""

    draft: Bulletin
    products: tuple[str, ...]
    report: tuple[str, ...] = field(default_factory=tuple)


Plan = Callable[[Catalog, Publisher], DraftImport]


class CsafImportService:
    """Stores an imported advisory as a draft and its products in the catalog."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Clock, recorder: Recorder) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._recorder = recorder

    def import_draft(self, plan: Plan, actor: Actor = OPERATOR) -> ImportResult:
        """Plan against the stored catalog and publisher, then store it all or nothing.

        The draft's audit entry is ``bulletin.import``; each product it adds or extends
        gets a ``product.import`` entry, and needs an account that may manage the catalog.
        """
        actor.require(Action.WRITE_DRAFT)
        with self._unit_of_work() as uow:
            publisher = require_publisher(uow)
            catalog = uow.catalog.load()
            planned = plan(catalog, publisher)
            now = self._clock.now()
            for product in planned.products:
                check_product(product)
                before = next((p for p in catalog.products if p.id == product.id), None)
                if before == product:
                    continue
                actor.require(Action.MANAGE_CATALOG)
                uow.catalog.save_product(product)
                audit_product(
                    uow,
                    self._recorder.serializer,
                    actor=actor.name,
                    action="product.import",
                    before=before,
                    after=product,
                    at=now,
                )
                catalog = catalog.with_product(product)
            taken = uow.bulletins.article_ids()
            article_id = planned.article_id
            if article_id is None or article_id in taken:
                article_id = publisher.article_ids.next_after(taken)
            draft = workflow.new_draft(
                ArticleId(publisher.article_ids.parse(article_id)),
                planned.content,
                catalog,
                publisher,
                now,
            )
            if not draft.cves:
                raise ValidationError(
                    "vulnerabilities", "the document names no CVE herald can keep"
                )
            if actor.is_staff:
                draft = replace(draft, created_by=actor.name)
            self._recorder.store(uow, actor, "bulletin.import", None, draft, now)
            uow.commit()
        return ImportResult(draft, tuple(p.id for p in planned.products), planned.report)
