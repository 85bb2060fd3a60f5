"""Use cases of the security team: draft, review, schedule, publish, amend, withdraw.

Every call is one transaction that changes the bulletin and appends its audit entry
together (through ``recording.Recorder``, the door every path shares). Staff actors are
checked against their roles and the two-person rules: nobody approves their own draft,
publishing needs an approval, and changes to a published bulletin follow the publisher's
review policy (its own steps, approving a proposed change or reviewing an emergency step,
are in ``review_policy.py``). The operator at the command line (no named account) holds
every role but is nobody's second person: a step of theirs that needs one is taken on
the emergency path and waits for someone's review after the fact. herald itself lifts
embargoes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from herald.domain import review, workflow
from herald.domain.accounts import Action
from herald.domain.bulletin import Bulletin, BulletinContent, Status
from herald.domain.catalog import Catalog
from herald.domain.ids import ArticleId
from herald.domain.publisher import Publisher
from herald.domain.review_policy import (
    EmergencyStep,
    EmergencyStepKind,
    Proposal,
    ProposalKind,
    ReviewPolicy,
    parse_reason,
)
from herald.domain.urls import HTTPS_ONLY, UrlPolicy
from herald.services._context import require_bulletin, require_publisher, rules_catalog
from herald.services.actors import OPERATOR, SYSTEM, Actor
from herald.services.alerts import AlertPlanner
from herald.services.ports.common import Clock, SourceSerializer
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from herald.services.recording import OPERATOR_REASON, ChangeOutcome, PublishedChange, Recorder
from herald.services.review_policy import SecondPerson


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
        urls: UrlPolicy = HTTPS_ONLY,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self.recorder = Recorder(serializer, alerts, urls)
        """Writes each change with its audit entry and its alerts (docs/alerts.md)."""
        self._second_person = SecondPerson(unit_of_work, clock, self.recorder)

    # drafts

    def create_draft(
        self, content: BulletinContent, article_id: str | None = None, actor: Actor = OPERATOR
    ) -> Bulletin:
        """A new draft; herald allocates the next article id when none is given."""
        actor.require(Action.WRITE_DRAFT)
        with self._unit_of_work() as uow:
            draft = self.add_draft(uow, content, article_id, actor, "bulletin.create")
            uow.commit()
            return draft

    def add_draft(
        self,
        uow: UnitOfWork,
        content: BulletinContent,
        article_id: str | None,
        actor: Actor,
        action: str,
    ) -> Bulletin:
        """Within ``uow``: store a new draft with its audit entry (an import uses it too)."""
        actor.require(Action.WRITE_DRAFT)
        publisher = require_publisher(uow)
        taken = uow.bulletins.article_ids()
        if article_id is None:
            chosen = publisher.article_ids.next_after(taken)
        else:
            chosen = publisher.article_ids.parse(article_id)
        now = self._clock.now()
        draft = workflow.new_draft(ArticleId(chosen), content, uow.catalog.load(), publisher, now)
        if actor.is_staff:
            draft = replace(draft, created_by=actor.name)
        self.recorder.store(uow, actor, action, None, draft, now)
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
            self.recorder.store(uow, actor, "bulletin.delete", bulletin, None, self._clock.now())
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

    def publish(
        self,
        article_id: str,
        on: date | None = None,
        actor: Actor = OPERATOR,
        *,
        emergency: str | None = None,
    ) -> Bulletin:
        """Publish an approved bulletin now; "Initial Publication" is dated ``on``
        (default today, UTC).

        With an ``emergency`` reason an admin publishes a bulletin nobody approved (a
        zero-day already public): it is marked in the audit log and on the dashboard
        until someone else reviews it. The operator (no named account) takes that path
        for any unapproved bulletin, recorded as theirs.
        """
        actor.require(Action.PUBLISH)
        reason = parse_reason(emergency) if emergency is not None else None
        if reason is not None:
            actor.require(Action.EMERGENCY)
        with self._unit_of_work() as uow:
            before = require_bulletin(uow, article_id)
            context = self._context(uow)
            if reason is None and not actor.is_staff and before.status is not Status.APPROVED:
                reason = OPERATOR_REASON
            after = workflow.publish(
                before,
                context.catalog,
                context.publisher,
                on or context.now.date(),
                context.now,
                require_approval=reason is None,
            )
            self.recorder.store(uow, actor, "bulletin.publish", before, after, context.now)
            if reason is not None:
                self.recorder.emergency(
                    uow, actor, EmergencyStepKind.PUBLISH, article_id, reason, context.now
                )
            uow.commit()
            return after

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
            catalog, publisher = rules_catalog(uow), require_publisher(uow)
            for bulletin in due:
                published = review.release(bulletin, catalog, publisher, now)
                self.recorder.store(uow, SYSTEM, "bulletin.release", bulletin, published, now)
                released.append(published.article_id)
            uow.commit()
        return released

    # changes to published bulletins (approving and discarding them: review_policy.py)

    def amend(
        self,
        article_id: str,
        content: BulletinContent,
        summary: str,
        on: date | None = None,
        actor: Actor = OPERATOR,
        *,
        emergency: str | None = None,
    ) -> ChangeOutcome:
        """Change a published bulletin; ``summary`` becomes its new change-log entry.

        Under the review policy the change may wait for a second person instead
        (``ChangeOutcome.proposal``); see ``Recorder.change_published``.
        """
        change = PublishedChange(ProposalKind.AMEND, summary, on, content)
        return self._change_published(article_id, change, actor, emergency)

    def withdraw(
        self,
        article_id: str,
        summary: str,
        on: date | None = None,
        actor: Actor = OPERATOR,
        *,
        emergency: str | None = None,
    ) -> ChangeOutcome:
        """Withdraw a published bulletin, saying why in its change log (under the review
        policy, like an amendment)."""
        change = PublishedChange(ProposalKind.WITHDRAW, summary, on)
        return self._change_published(article_id, change, actor, emergency)

    def approve_change(self, article_id: str, actor: Actor = OPERATOR) -> Bulletin:
        """Approve the change proposed to a published bulletin: it goes live now."""
        return self._second_person.approve_change(article_id, actor)

    def discard_change(self, article_id: str, actor: Actor = OPERATOR) -> Proposal:
        """Drop the change proposed to a published bulletin: its proposer takes it back,
        or a reviewer turns it down. The bulletin stays as it is."""
        return self._second_person.discard_change(article_id, actor)

    def review_emergency(self, article_id: str, actor: Actor = OPERATOR) -> list[EmergencyStep]:
        """Review, after the fact, the emergency steps taken on a bulletin: someone other
        than who took them looks and records it. The steps reviewed."""
        return self._second_person.review_emergency(article_id, actor)

    # the review policy (review_policy.py)

    def review_policy(self) -> ReviewPolicy:
        return self._second_person.review_policy()

    def set_review_policy(self, policy: ReviewPolicy, actor: Actor = OPERATOR) -> ReviewPolicy:
        """Change the publisher's review policy for amendments (admins), audited."""
        return self._second_person.set_review_policy(policy, actor)

    def waiting(self) -> tuple[list[Proposal], list[EmergencyStep]]:
        """What waits for a second person: proposed changes, unreviewed emergency steps."""
        return self._second_person.waiting()

    def proposal(self, article_id: str) -> Proposal | None:
        return self._second_person.proposal(article_id)

    def open_emergencies(self, article_id: str) -> list[EmergencyStep]:
        return self._second_person.open_emergencies(article_id)

    # helpers

    def _context(self, uow: UnitOfWork) -> _Context:
        return _Context(self._clock.now(), rules_catalog(uow), require_publisher(uow))

    def _change_published(
        self, article_id: str, change: PublishedChange, actor: Actor, emergency: str | None
    ) -> ChangeOutcome:
        actor.require(Action.PUBLISH)
        with self._unit_of_work() as uow:
            before = require_bulletin(uow, article_id)
            context = self._context(uow)
            outcome = self.recorder.change_published(
                uow,
                actor,
                before,
                change,
                (context.catalog, context.publisher, context.now),
                emergency=emergency,
            )
            uow.commit()
            return outcome

    def _change(
        self, actor: Actor, permission: Action, action: str, article_id: str, step: Step
    ) -> Bulletin:
        actor.require(permission)
        with self._unit_of_work() as uow:
            before = require_bulletin(uow, article_id)
            context = self._context(uow)
            after = step(before, context)
            self.recorder.store(uow, actor, action, before, after, context.now)
            uow.commit()
            return after
