"""The review policy's use cases (``herald.domain.review_policy``): approving or
discarding a change proposed to a published bulletin, reviewing emergency steps after
the fact, what waits for a second person, and the policy itself. ``AuthoringService``
delegates here; a proposal is made (and an emergency step taken) by ``recording.py``.
"""

from __future__ import annotations

from dataclasses import replace

from herald.domain.accounts import Action
from herald.domain.audit import AuditEntry
from herald.domain.bulletin import Bulletin
from herald.domain.errors import NotFound
from herald.domain.review_policy import (
    EmergencyStep,
    Proposal,
    ReviewPolicy,
    check_after_the_fact_review,
    check_second_person,
)
from herald.services._context import require_bulletin, require_publisher, rules_catalog
from herald.services.actors import Actor
from herald.services.ports.common import Clock
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from herald.services.recording import Recorder, apply_proposal


class SecondPerson:
    """The review-policy use cases of ``AuthoringService`` (documented there)."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Clock, recorder: Recorder) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._recorder = recorder

    def approve_change(self, article_id: str, actor: Actor) -> Bulletin:
        actor.require(Action.REVIEW)
        with self._unit_of_work() as uow:
            before = require_bulletin(uow, article_id)
            proposal = _require_proposal(uow, article_id)
            check_second_person(proposal, actor.name)
            now, catalog, publisher = self._clock.now(), rules_catalog(uow), require_publisher(uow)
            after = apply_proposal(before, proposal, catalog, publisher, now)
            uow.review.drop_proposal(article_id)
            self._recorder.store(
                uow, actor, f"bulletin.approve_{proposal.kind.value}", before, after, now
            )
            uow.commit()
            return after

    def discard_change(self, article_id: str, actor: Actor) -> Proposal:
        with self._unit_of_work() as uow:
            bulletin = require_bulletin(uow, article_id)
            proposal = _require_proposal(uow, article_id)
            if actor.name != proposal.proposed_by:
                actor.require(Action.REVIEW)
            uow.review.drop_proposal(article_id)
            uow.audit.append(
                AuditEntry(
                    at=self._clock.now(),
                    actor=actor.name,
                    action=f"bulletin.discard_{proposal.kind.value}",
                    subject=f"bulletin:{bulletin.article_id}",
                    before=proposal.describe() + "\n",
                )
            )
            uow.commit()
            return proposal

    def review_emergency(self, article_id: str, actor: Actor) -> list[EmergencyStep]:
        actor.require(Action.REVIEW)
        with self._unit_of_work() as uow:
            require_bulletin(uow, article_id)
            steps = uow.review.open_emergencies(article_id)
            if not steps:
                raise NotFound(f"{article_id} has no emergency step waiting for review")
            now = self._clock.now()
            reviewed: list[EmergencyStep] = []
            for step in steps:
                check_after_the_fact_review(step, actor.name)
                done = replace(step, reviewed_by=actor.name, reviewed_at=now)
                uow.review.close_emergency(done)
                uow.audit.append(
                    AuditEntry(
                        at=now,
                        actor=actor.name,
                        action="bulletin.emergency_review",
                        subject=f"bulletin:{article_id}",
                        before=step.describe(),
                        after=done.describe(),
                    )
                )
                reviewed.append(done)
            uow.commit()
            return reviewed

    def review_policy(self) -> ReviewPolicy:
        with self._unit_of_work() as uow:
            return uow.review.policy()

    def set_review_policy(self, policy: ReviewPolicy, actor: Actor) -> ReviewPolicy:
        actor.require(Action.MANAGE_SETTINGS)
        with self._unit_of_work() as uow:
            current = uow.review.policy()
            if current != policy:
                uow.review.save_policy(policy)
                uow.audit.append(
                    AuditEntry(
                        at=self._clock.now(),
                        actor=actor.name,
                        action="settings.review_policy",
                        subject="settings:review_policy",
                        before=current.describe(),
                        after=policy.describe(),
                    )
                )
            uow.commit()
        return policy

    def waiting(self) -> tuple[list[Proposal], list[EmergencyStep]]:
        with self._unit_of_work() as uow:
            return list(uow.review.proposals()), list(uow.review.open_emergencies())

    def proposal(self, article_id: str) -> Proposal | None:
        with self._unit_of_work() as uow:
            return uow.review.proposal(article_id)

    def open_emergencies(self, article_id: str) -> list[EmergencyStep]:
        with self._unit_of_work() as uow:
            return list(uow.review.open_emergencies(article_id))


def _require_proposal(uow: UnitOfWork, article_id: str) -> Proposal:
    proposal = uow.review.proposal(article_id)
    if proposal is None:
        raise NotFound(f"{article_id} has no proposed change waiting")
    return proposal
