"""Use cases of the security team: draft, review, schedule, publish, amend, withdraw.

Every call is one transaction that changes the bulletin and appends its audit entry
together. Staff actors are checked against their roles; the operator at the command
line and herald itself may take every step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from herald.domain import review, workflow
from herald.domain.accounts import Action
from herald.domain.audit import AuditEntry
from herald.domain.bulletin import Bulletin, BulletinContent, ChangeLogEntry
from herald.domain.catalog import Catalog
from herald.domain.ids import ArticleId
from herald.domain.publisher import Publisher
from herald.services._context import require_bulletin, require_publisher
from herald.services.actors import OPERATOR, SYSTEM, Actor
from herald.services.alerts import AlertPlanner
from herald.services.ports import Clock, SourceSerializer, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class _Context:
    """What a step may need: the time, the catalog and the publisher."""

    now: datetime
    catalog: Catalog
    publisher: Publisher


Step = Callable[[Bulletin, _Context], Bulletin]


class AuthoringService:
    """Every change to a bulletin goes through here."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        serializer: SourceSerializer,
        alerts: AlertPlanner | None = None,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._serializer = serializer
        self._alerts = alerts
        """Writes the alert outbox in the same transaction as each change (docs/alerts.md)."""

    # drafts

    def create_draft(
        self, content: BulletinContent, article_id: str | None = None, actor: Actor = OPERATOR
    ) -> Bulletin:
        """A new draft; herald allocates the next article id when none is given."""
        actor.require(Action.WRITE_DRAFT)
        with self._unit_of_work() as uow:
            publisher = require_publisher(uow)
            if article_id is None:
                chosen = publisher.article_ids.next_after(uow.bulletins.article_ids())
            else:
                chosen = publisher.article_ids.parse(article_id)
            now = self._clock.now()
            draft = workflow.new_draft(
                ArticleId(chosen), content, uow.catalog.load(), publisher, now
            )
            if actor.is_staff:
                draft = replace(draft, created_by=actor.name)
            uow.bulletins.add(draft)
            self._audit(uow, actor, "bulletin.create", None, draft, now)
            uow.commit()
            return draft

    def edit_draft(
        self, article_id: str, content: BulletinContent, actor: Actor = OPERATOR
    ) -> Bulletin:
        """New content for an unpublished bulletin (back to draft if it was in review)."""
        return self._change(
            actor,
            Action.WRITE_DRAFT,
            "bulletin.edit",
            article_id,
            lambda b, c: workflow.edit_draft(b, content, c.catalog, c.publisher, c.now),
        )

    def delete_draft(self, article_id: str, actor: Actor = OPERATOR) -> None:
        """Delete an unpublished bulletin; published bulletins are withdrawn instead."""
        actor.require(Action.WRITE_DRAFT)
        with self._unit_of_work() as uow:
            bulletin = require_bulletin(uow, article_id)
            workflow.check_delete(bulletin)
            uow.bulletins.delete(article_id)
            self._audit(uow, actor, "bulletin.delete", bulletin, None, self._clock.now())
            uow.commit()

    # review

    def submit(self, article_id: str, actor: Actor = OPERATOR) -> Bulletin:
        return self._change(
            actor,
            Action.WRITE_DRAFT,
            "bulletin.submit",
            article_id,
            lambda b, c: review.submit(b, actor.name, c.catalog, c.publisher, c.now),
        )

    def request_changes(self, article_id: str, actor: Actor = OPERATOR) -> Bulletin:
        return self._change(
            actor,
            Action.REVIEW,
            "bulletin.request_changes",
            article_id,
            lambda b, c: review.request_changes(b, c.now),
        )

    def approve(self, article_id: str, actor: Actor = OPERATOR) -> Bulletin:
        return self._change(
            actor,
            Action.REVIEW,
            "bulletin.approve",
            article_id,
            lambda b, c: review.approve(b, actor.name, c.catalog, c.publisher, c.now),
        )

    # publication

    def publish(self, article_id: str, on: date | None = None, actor: Actor = OPERATOR) -> Bulletin:
        """Publish now; "Initial Publication" is dated ``on`` (default today, UTC).

        Staff publish approved bulletins only; the operator may publish a draft.
        """
        return self._change(
            actor,
            Action.PUBLISH,
            "bulletin.publish",
            article_id,
            lambda b, c: workflow.publish(
                b,
                c.catalog,
                c.publisher,
                on or c.now.date(),
                c.now,
                require_approval=actor.is_staff,
            ),
        )

    def schedule(self, article_id: str, release_at: datetime, actor: Actor = OPERATOR) -> Bulletin:
        """Hold an approved bulletin under embargo; it publishes itself at ``release_at``."""
        return self._change(
            actor,
            Action.PUBLISH,
            "bulletin.schedule",
            article_id,
            lambda b, c: review.schedule(b, release_at, c.now),
        )

    def unschedule(self, article_id: str, actor: Actor = OPERATOR) -> Bulletin:
        return self._change(
            actor,
            Action.PUBLISH,
            "bulletin.unschedule",
            article_id,
            lambda b, c: review.unschedule(b, c.now),
        )

    def release_due(self) -> list[str]:
        """Publish every scheduled bulletin whose embargo has lifted; their article ids.

        Safe to call from several processes at once: each bulletin is released once.
        """
        released: list[str] = []
        with self._unit_of_work() as uow:
            now = self._clock.now()
            due = uow.bulletins.due_for_release(now)
            if not due:
                return released
            catalog, publisher = uow.catalog.load(), require_publisher(uow)
            for bulletin in due:
                published = review.release(bulletin, catalog, publisher, now)
                uow.bulletins.update(published)
                self._audit(uow, SYSTEM, "bulletin.release", bulletin, published, now)
                self._plan_alerts(uow, bulletin, published, now)
                released.append(published.article_id)
            uow.commit()
        return released

    def amend(
        self,
        article_id: str,
        content: BulletinContent,
        summary: str,
        on: date | None = None,
        actor: Actor = OPERATOR,
    ) -> Bulletin:
        """Change a published bulletin; ``summary`` becomes its new change-log entry."""
        return self._change(
            actor,
            Action.PUBLISH,
            "bulletin.amend",
            article_id,
            lambda b, c: workflow.amend(
                b,
                content,
                ChangeLogEntry(on or c.now.date(), summary),
                c.catalog,
                c.publisher,
                c.now,
            ),
        )

    def withdraw(
        self, article_id: str, summary: str, on: date | None = None, actor: Actor = OPERATOR
    ) -> Bulletin:
        """Withdraw a published bulletin, saying why in its change log."""
        return self._change(
            actor,
            Action.PUBLISH,
            "bulletin.withdraw",
            article_id,
            lambda b, c: workflow.withdraw(b, ChangeLogEntry(on or c.now.date(), summary), c.now),
        )

    # helpers

    def _change(
        self, actor: Actor, permission: Action, action: str, article_id: str, step: Step
    ) -> Bulletin:
        actor.require(permission)
        with self._unit_of_work() as uow:
            before = require_bulletin(uow, article_id)
            context = _Context(self._clock.now(), uow.catalog.load(), require_publisher(uow))
            after = step(before, context)
            uow.bulletins.update(after)
            self._audit(uow, actor, action, before, after, context.now)
            self._plan_alerts(uow, before, after, context.now)
            uow.commit()
            return after

    def _plan_alerts(
        self, uow: UnitOfWork, before: Bulletin, after: Bulletin, at: datetime
    ) -> None:
        if self._alerts is not None:
            self._alerts.plan(uow, before, after, at)

    def _audit(
        self,
        uow: UnitOfWork,
        actor: Actor,
        action: str,
        before: Bulletin | None,
        after: Bulletin | None,
        at: datetime,
    ) -> None:
        subject = after or before
        assert subject is not None
        uow.audit.append(
            AuditEntry(
                at=at,
                actor=actor.name,
                action=action,
                subject=f"bulletin:{subject.article_id}",
                before=self._serializer.bulletin(before) if before else None,
                after=self._serializer.bulletin(after) if after else None,
            )
        )
