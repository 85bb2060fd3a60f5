"""Import and export of the catalog and bulletins kept as source files.

An import goes through the same door as every other change (``recording.Recorder``):
each stored item gets its audit entry on the hash chain, and the roles of the acting
account are checked. It is all or nothing: every item is checked against the rules and
the stored state, and one transaction writes them all; a dry run does the same work and
rolls it back, reporting what would change, field by field.

What an import may do to a bulletin (docs/authoring.md):

- a new unpublished bulletin is stored as it is (``bulletin.import``); a new bulletin
  already public (history brought from another system) needs the emergency right (an
  admin, or the operator) and sends no alerts;
- a stored unpublished bulletin takes the file's content, like an edit (an approval is
  for the old text, so it goes back to draft); its status changes only through the
  workflow;
- a stored published bulletin changes only when the import asks for an amendment
  (``ImportOptions.amend``): then it is an amendment like any other, with its
  change-log entry, revision, review policy and alerts. Without it, the import is
  refused, naming the bulletin and the fields the file changes.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from herald.domain import workflow
from herald.domain.accounts import Action
from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import Catalog, Product, check_product
from herald.domain.errors import HeraldError, InvalidTransition, RuleViolation, ValidationError
from herald.domain.publisher import PUBLISHER_URL_FIELDS, Publisher
from herald.domain.review_policy import ProposalKind
from herald.domain.urls import HTTPS_ONLY, UrlPolicy
from herald.services._context import require_publisher
from herald.services.actors import OPERATOR, Actor
from herald.services.catalog_audit import audit_product, audit_publisher
from herald.services.ports.common import Clock
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from herald.services.recording import ChangeOutcome, PublishedChange, Recorder

Locate = Callable[[str, str], str | None]
"""Where an item (``publisher``, ``product:<id>``, ``bulletin:<article id>``) came from:
``path`` of its file, or ``path:line`` of the field named by the second argument."""


@dataclass(frozen=True)
class SourceItems:
    """A publisher, products and bulletins read from source files."""

    publisher: Publisher | None = None
    products: tuple[Product, ...] = ()
    bulletins: tuple[Bulletin, ...] = ()


@dataclass(frozen=True)
class ImportOptions:
    """How an import treats published bulletins, and whether it writes at all."""

    amend: bool = False
    """Changes to published bulletins become amendments (or withdrawals)."""
    summary: str | None = None
    """Their change-log entry; otherwise the one entry the file adds."""
    emergency: str | None = None
    """An admin's reason to amend without a second person."""
    dry_run: bool = False
    """Check and report everything, store nothing."""


@dataclass(frozen=True)
class ItemChange:
    """What an import did (or would do) to one item."""

    key: str
    """``publisher``, ``product:<id>`` or ``bulletin:<article id>``."""
    outcome: str
    """``created``, ``updated``, ``amended``, ``withdrawn``, ``proposed`` or ``unchanged``."""
    fields: tuple[str, ...] = ()
    """The fields that differ from what was stored."""
    diff: str = ""
    """The change as a unified diff of the source text (empty when unchanged)."""
    emergency: bool = False
    """Applied without a second person; waits for a review after the fact."""


@dataclass
class ImportReport:
    """What an import did, item by item."""

    items: list[ItemChange] = field(default_factory=list)
    dry_run: bool = False

    def keys(self, *outcomes: str) -> list[str]:
        return [item.key for item in self.items if item.outcome in outcomes]

    @property
    def created(self) -> list[str]:
        return self.keys("created")

    @property
    def updated(self) -> list[str]:
        return self.keys("updated", "amended", "withdrawn")

    @property
    def proposed(self) -> list[str]:
        return self.keys("proposed")

    @property
    def unchanged(self) -> list[str]:
        return self.keys("unchanged")


class SourceService:
    """Moves whole sets of items between source files and storage."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        recorder: Recorder,
        urls: UrlPolicy = HTTPS_ONLY,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._recorder = recorder
        self._urls = urls

    def import_items(
        self,
        items: SourceItems,
        locate: Locate = lambda _key, _field: None,
        *,
        actor: Actor = OPERATOR,
        options: ImportOptions = ImportOptions(),
    ) -> ImportReport:
        """Store every item, or nothing when any of them breaks a rule (or on a dry run)."""
        report = ImportReport(dry_run=options.dry_run)
        with self._unit_of_work() as uow:
            now = self._clock.now()
            if items.publisher is not None:
                with _located(locate, "publisher"):
                    report.items.append(self._publisher(uow, actor, items.publisher, now))
            publisher = require_publisher(uow)
            catalog = uow.catalog.load()
            for product in items.products:
                key = f"product:{product.id}"
                with _located(locate, key):
                    report.items.append(self._product(uow, actor, catalog, product, now))
                catalog = catalog.with_product(product)
            for bulletin in items.bulletins:
                key = f"bulletin:{bulletin.article_id}"
                with _located(locate, key):
                    publisher.article_ids.parse(bulletin.article_id)
                    workflow.check_consistent(bulletin, catalog, publisher)
                    change = self._bulletin(
                        uow, actor, bulletin, (catalog, publisher, now), options
                    )
                    report.items.append(change)
            if not options.dry_run:
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

    # the items

    def _publisher(
        self, uow: UnitOfWork, actor: Actor, publisher: Publisher, now: datetime
    ) -> ItemChange:
        current = uow.publisher.get()
        if current == publisher:
            return ItemChange("publisher", "unchanged")
        for name in PUBLISHER_URL_FIELDS:
            self._urls.check(getattr(publisher, name), name)
        actor.require(Action.MANAGE_SETTINGS)
        uow.publisher.save(publisher)
        serializer = self._recorder.serializer
        audit_publisher(
            uow,
            serializer,
            actor=actor.name,
            action="publisher.import",
            before=current,
            after=publisher,
            at=now,
        )
        return ItemChange(
            "publisher",
            "created" if current is None else "updated",
            _changed_attributes(current, publisher),
            _diff(
                serializer.publisher(current) if current else "", serializer.publisher(publisher)
            ),
        )

    def _product(
        self, uow: UnitOfWork, actor: Actor, catalog: Catalog, product: Product, now: datetime
    ) -> ItemChange:
        key = f"product:{product.id}"
        check_product(product)
        existing = next((p for p in catalog.products if p.id == product.id), None)
        if existing == product:
            return ItemChange(key, "unchanged")
        self._urls.check(product.update_instructions_url, "update_instructions_url")
        actor.require(Action.MANAGE_CATALOG)
        uow.catalog.save_product(product)
        serializer = self._recorder.serializer
        audit_product(
            uow,
            serializer,
            actor=actor.name,
            action="product.import",
            before=existing,
            after=product,
            at=now,
        )
        return ItemChange(
            key,
            "created" if existing is None else "updated",
            _changed_attributes(existing, product),
            _diff(serializer.product(existing) if existing else "", serializer.product(product)),
        )

    def _bulletin(
        self,
        uow: UnitOfWork,
        actor: Actor,
        bulletin: Bulletin,
        context: tuple[Catalog, Publisher, datetime],
        options: ImportOptions,
    ) -> ItemChange:
        catalog, publisher, now = context
        key = f"bulletin:{bulletin.article_id}"
        stored = uow.bulletins.find(bulletin.article_id)
        if stored is None:
            actor.require(Action.EMERGENCY if bulletin.status.public else Action.WRITE_DRAFT)
            self._recorder.store(uow, actor, "bulletin.import", None, bulletin, now, alert=False)
            return ItemChange(key, "created", diff=self._bulletin_diff(None, bulletin))
        changed = _changed_bulletin_fields(stored, bulletin)
        if not changed:
            return ItemChange(key, "unchanged")
        diff = self._bulletin_diff(stored, bulletin)
        if not stored.status.public:
            if "status" in changed:
                raise InvalidTransition(
                    f"{stored.article_id} is {stored.status.label} here and "
                    f"{bulletin.status.label} in the file; its status changes only through "
                    "the workflow (herald bulletin submit, approve, publish)"
                )
            actor.require(Action.WRITE_DRAFT)
            after = workflow.edit_draft(stored, bulletin.content(), catalog, publisher, now)
            self._recorder.store(uow, actor, "bulletin.import", stored, after, now)
            return ItemChange(key, "updated", tuple(changed), diff)
        if not options.amend:
            raise RuleViolation(
                "",
                f"{stored.article_id} is {stored.status}; the file changes "
                f"{', '.join(changed)}. A published bulletin changes only by amendment: "
                "import with --amend --summary '…' (try --dry-run first)",
            )
        change = _published_change(stored, bulletin, changed, options.summary)
        actor.require(Action.PUBLISH)
        outcome = self._recorder.change_published(
            uow, actor, stored, change, context, emergency=options.emergency
        )
        return ItemChange(key, _outcome(outcome, change), tuple(changed), diff, _urgent(outcome))

    def _bulletin_diff(self, before: Bulletin | None, after: Bulletin) -> str:
        serializer = self._recorder.serializer
        return _diff(serializer.bulletin(before) if before else "", serializer.bulletin(after))


def _published_change(
    stored: Bulletin, bulletin: Bulletin, changed: list[str], summary: str | None
) -> PublishedChange:
    """The amendment or withdrawal a file asks of a published bulletin."""
    if stored.status is Status.WITHDRAWN:
        raise InvalidTransition(f"{stored.article_id} is withdrawn; it changes no more")
    if not bulletin.status.public:
        raise InvalidTransition(
            f"{stored.article_id} is published; it cannot become {bulletin.status.label}"
        )
    workflow.check_changelog_extends(stored.changelog, bulletin.changelog)
    added = bulletin.changelog[len(stored.changelog) :]
    if len(added) > 1:
        raise RuleViolation(
            "changelog", f"the file adds {len(added)} entries; an amendment adds one"
        )
    entry_summary = _entry(added[0].summary if added else None, summary)
    day: date | None = added[0].on if added else None
    content_changed = [name for name in changed if name not in ("status", "changelog")]
    if bulletin.status is Status.WITHDRAWN:
        if content_changed:
            raise RuleViolation(
                "status",
                f"the file withdraws {stored.article_id} and changes "
                f"{', '.join(content_changed)}; amend and withdraw in two imports",
            )
        return PublishedChange(ProposalKind.WITHDRAW, entry_summary, day)
    return PublishedChange(ProposalKind.AMEND, entry_summary, day, bulletin.content())


def _entry(from_file: str | None, given: str | None) -> str:
    """The change-log summary: ``--summary``, or the one entry the file adds."""
    if given is not None and given.strip():
        if from_file is not None and from_file != given.strip():
            raise ValidationError(
                "--summary",
                f"the file adds the change-log entry {from_file[:80]!r}; "
                "give the same --summary or leave it out",
            )
        return given.strip()
    if from_file is None:
        raise ValidationError(
            "--summary", "say what the amendment changes (--summary '…'); it goes in the change log"
        )
    return from_file


def _changed_bulletin_fields(stored: Bulletin, bulletin: Bulletin) -> list[str]:
    changed = bulletin.content().changed_fields(stored.content())
    if bulletin.status != stored.status:
        changed.append("status")
    if bulletin.changelog != stored.changelog:
        changed.append("changelog")
    return changed


def _changed_attributes(before: object | None, after: object) -> tuple[str, ...]:
    if before is None:
        return ()
    return tuple(
        f.name
        for f in fields(after)  # type: ignore[arg-type]
        if getattr(before, f.name) != getattr(after, f.name)
    )


def _outcome(outcome: ChangeOutcome, change: PublishedChange) -> str:
    if not outcome.applied:
        return "proposed"
    return "withdrawn" if change.kind is ProposalKind.WITHDRAW else "amended"


def _urgent(outcome: ChangeOutcome) -> bool:
    return outcome.emergency is not None


def _diff(before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), "stored", "file", n=0
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


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
