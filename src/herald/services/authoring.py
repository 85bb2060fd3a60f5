"""Use cases of the security team: draft, edit, publish, amend, withdraw."""

from __future__ import annotations

from datetime import date

from herald.domain import workflow
from herald.domain.bulletin import Bulletin, BulletinContent, ChangeLogEntry
from herald.domain.ids import ArticleId
from herald.services._context import require_bulletin, require_publisher
from herald.services.ports import Clock, UnitOfWorkFactory


class AuthoringService:
    """Every change to a bulletin goes through here, one transaction per call."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    def create_draft(self, content: BulletinContent, article_id: str | None = None) -> Bulletin:
        """A new draft; herald allocates the next article id when none is given."""
        with self._unit_of_work() as uow:
            publisher = require_publisher(uow)
            if article_id is None:
                chosen = publisher.article_ids.next_after(uow.bulletins.article_ids())
            else:
                chosen = publisher.article_ids.parse(article_id)
            draft = workflow.new_draft(
                ArticleId(chosen), content, uow.catalog.load(), publisher, self._clock.now()
            )
            uow.bulletins.add(draft)
            uow.commit()
            return draft

    def edit_draft(self, article_id: str, content: BulletinContent) -> Bulletin:
        with self._unit_of_work() as uow:
            current = require_bulletin(uow, article_id)
            edited = workflow.edit_draft(
                current, content, uow.catalog.load(), require_publisher(uow), self._clock.now()
            )
            uow.bulletins.update(edited)
            uow.commit()
            return edited

    def publish(self, article_id: str, on: date | None = None) -> Bulletin:
        """Publish a draft; its change log starts with "Initial Publication" dated ``on``."""
        with self._unit_of_work() as uow:
            now = self._clock.now()
            published = workflow.publish(
                require_bulletin(uow, article_id),
                uow.catalog.load(),
                require_publisher(uow),
                on or now.date(),
                now,
            )
            uow.bulletins.update(published)
            uow.commit()
            return published

    def amend(
        self, article_id: str, content: BulletinContent, summary: str, on: date | None = None
    ) -> Bulletin:
        """Change a published bulletin; ``summary`` becomes its new change-log entry."""
        with self._unit_of_work() as uow:
            now = self._clock.now()
            amended = workflow.amend(
                require_bulletin(uow, article_id),
                content,
                ChangeLogEntry(on or now.date(), summary),
                uow.catalog.load(),
                require_publisher(uow),
                now,
            )
            uow.bulletins.update(amended)
            uow.commit()
            return amended

    def withdraw(self, article_id: str, summary: str, on: date | None = None) -> Bulletin:
        """Withdraw a published bulletin, saying why in its change log."""
        with self._unit_of_work() as uow:
            now = self._clock.now()
            withdrawn = workflow.withdraw(
                require_bulletin(uow, article_id), ChangeLogEntry(on or now.date(), summary), now
            )
            uow.bulletins.update(withdrawn)
            uow.commit()
            return withdrawn

    def delete_draft(self, article_id: str) -> None:
        """Delete a draft; published bulletins are withdrawn instead."""
        with self._unit_of_work() as uow:
            workflow.check_delete(require_bulletin(uow, article_id))
            uow.bulletins.delete(article_id)
            uow.commit()
