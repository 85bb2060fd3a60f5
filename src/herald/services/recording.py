"""The one door of the record: how a change to a bulletin is stored, traced and announced.

Every path that changes a bulletin (the web, the JSON API, the command line, a YAML or
CSAF import) calls these within its unit of work, so each change gets the same review
rules, the same audit entry (on the same hash chain) and the same alerts, in the same
transaction as the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from herald.domain import workflow
from herald.domain.accounts import Action
from herald.domain.audit import AuditEntry
from herald.domain.bulletin import Bulletin, BulletinContent, ChangeLogEntry
from herald.domain.catalog import Catalog
from herald.domain.errors import Conflict
from herald.domain.publisher import Publisher
from herald.domain.review_policy import (
    EmergencyStep,
    EmergencyStepKind,
    Proposal,
    ProposalKind,
    parse_reason,
)
from herald.domain.urls import HTTPS_ONLY, UrlPolicy
from herald.services.actors import Actor
from herald.services.alerts import AlertPlanner
from herald.services.ports.common import SourceSerializer
from herald.services.ports.unit_of_work import UnitOfWork

OPERATOR_REASON = "by the operator at the command line, without a named account"
"""The reason recorded when the operator takes a step that needs a second person."""


@dataclass(frozen=True)
class ChangeOutcome:
    """What became of an amendment or a withdrawal: applied, or waiting for approval."""

    bulletin: Bulletin
    """The bulletin as stored now (unchanged while a proposal waits)."""
    proposal: Proposal | None = None
    """The proposal waiting for a second person, when the change did not go live."""
    emergency: EmergencyStep | None = None
    """The emergency step, when it went live without a second person."""

    @property
    def applied(self) -> bool:
        return self.proposal is None


@dataclass(frozen=True)
class PublishedChange:
    """A change to a published bulletin, before it is decided how it goes live."""

    kind: ProposalKind
    summary: str
    on: date | None = None
    content: BulletinContent | None = None
    """The new content (amendments)."""


class Recorder:
    """Stores bulletin changes with their audit entries and alerts.

    ``urls`` says which remedy URLs a change may bring (``https:`` only unless the
    operator allows ``http:``); a URL stored earlier is not checked again.
    """

    def __init__(
        self,
        serializer: SourceSerializer,
        alerts: AlertPlanner | None = None,
        urls: UrlPolicy = HTTPS_ONLY,
    ) -> None:
        self._serializer = serializer
        self._alerts = alerts
        self._urls = urls

    @property
    def serializer(self) -> SourceSerializer:
        return self._serializer

    def store(
        self,
        uow: UnitOfWork,
        actor: Actor,
        action: str,
        before: Bulletin | None,
        after: Bulletin | None,
        at: datetime,
        *,
        alert: bool = True,
    ) -> None:
        """Write ``after`` (add, update, or delete when None), its audit entry and its
        alerts (unless ``alert`` is off, e.g. history imported from elsewhere)."""
        self._check_urls(before, after)
        if after is None:
            assert before is not None
            uow.bulletins.delete(before.article_id)
        elif before is None:
            uow.bulletins.add(after)
        else:
            uow.bulletins.update(after)
        self.audit(uow, actor, action, before, after, at)
        if alert and self._alerts is not None:
            self._alerts.plan(uow, before, after, at)

    def _check_urls(self, before: Bulletin | None, after: Bulletin | None) -> None:
        """``ValidationError`` naming ``fixes[i].url`` for a new URL the policy refuses."""
        if after is None:
            return
        known = {fix.url for fix in before.fixes} if before is not None else set()
        for index, fix in enumerate(after.fixes):
            if fix.url not in known:
                self._urls.check(fix.url, f"fixes[{index}].url")

    def audit(
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

    def emergency(
        self,
        uow: UnitOfWork,
        actor: Actor,
        kind: EmergencyStepKind,
        article_id: str,
        reason: str,
        at: datetime,
    ) -> EmergencyStep:
        """Record a step taken without a second person; it waits for a later review."""
        step = uow.review.add_emergency(EmergencyStep(article_id, kind, reason, actor.name, at))
        uow.audit.append(
            AuditEntry(
                at=at,
                actor=actor.name,
                action="bulletin.emergency",
                subject=f"bulletin:{article_id}",
                after=step.describe(),
            )
        )
        return step

    def change_published(
        self,
        uow: UnitOfWork,
        actor: Actor,
        before: Bulletin,
        change: PublishedChange,
        context: tuple[Catalog, Publisher, datetime],
        *,
        emergency: str | None = None,
    ) -> ChangeOutcome:
        """Amend or withdraw ``before`` under the publisher's review policy.

        When the policy wants a second person for this change, a staff member's change
        waits as a proposal, unless they are an admin who states an ``emergency`` reason:
        then it goes live at once and waits for a review after the fact. The operator (no
        named account) can be no second person: their change goes live on the emergency
        path, recorded as theirs.
        """
        catalog, publisher, now = context
        waiting = uow.review.proposal(before.article_id)
        if waiting is not None:
            raise Conflict(
                f"{before.article_id} has a change waiting for approval ({waiting.describe()}); "
                "approve or discard it first"
            )
        after = _apply(before, change, catalog, publisher, now)
        self._check_urls(before, after)
        changed = tuple(after.content().changed_fields(before.content()))
        action = f"bulletin.{change.kind.value}"
        if not uow.review.policy().second_person_needed(change.kind, changed):
            self.store(uow, actor, action, before, after, now)
            return ChangeOutcome(after)
        if emergency is not None or not actor.is_staff:
            reason = parse_reason(emergency) if emergency is not None else OPERATOR_REASON
            actor.require(Action.EMERGENCY)
            self.store(uow, actor, action, before, after, now)
            step = self.emergency(
                uow, actor, EmergencyStepKind(change.kind.value), before.article_id, reason, now
            )
            return ChangeOutcome(after, emergency=step)
        proposal = Proposal(
            article_id=before.article_id,
            kind=change.kind,
            summary=change.summary,
            proposed_by=actor.name,
            proposed_at=now,
            content=change.content,
            on=change.on,
            changed=changed,
        )
        uow.review.add_proposal(proposal)
        uow.audit.append(
            AuditEntry(
                at=now,
                actor=actor.name,
                action=f"bulletin.propose_{change.kind.value}",
                subject=f"bulletin:{before.article_id}",
                before=self._serializer.bulletin(before),
                after=self._serializer.bulletin(after),
            )
        )
        return ChangeOutcome(before, proposal=proposal)


def apply_proposal(
    before: Bulletin, proposal: Proposal, catalog: Catalog, publisher: Publisher, now: datetime
) -> Bulletin:
    """The bulletin with ``proposal`` applied, checked against today's catalog."""
    change = PublishedChange(proposal.kind, proposal.summary, proposal.on, proposal.content)
    return _apply(before, change, catalog, publisher, now)


def _apply(
    before: Bulletin,
    change: PublishedChange,
    catalog: Catalog,
    publisher: Publisher,
    now: datetime,
) -> Bulletin:
    entry = ChangeLogEntry(change.on or now.date(), change.summary)
    if change.kind is ProposalKind.WITHDRAW:
        return workflow.withdraw(before, entry, now)
    assert change.content is not None
    return workflow.amend(before, change.content, entry, catalog, publisher, now)
