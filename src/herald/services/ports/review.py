"""The review policy, proposals waiting for a second person, emergency steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from herald.domain.review_policy import EmergencyStep, Proposal, ReviewPolicy


class ReviewStore(Protocol):
    """The review policy, proposed changes to published bulletins, emergency steps."""

    def policy(self) -> ReviewPolicy:
        """The stored policy, or the default one."""
        ...

    def save_policy(self, policy: ReviewPolicy) -> None: ...

    def proposal(self, article_id: str) -> Proposal | None: ...

    def proposals(self) -> Sequence[Proposal]:
        """Every waiting proposal, oldest first."""
        ...

    def add_proposal(self, proposal: Proposal) -> None:
        """``Conflict`` when one is waiting for that bulletin already."""
        ...

    def drop_proposal(self, article_id: str) -> None:
        """``NotFound`` when none is waiting."""
        ...

    def add_emergency(self, step: EmergencyStep) -> EmergencyStep:
        """Store a new step; returns it with its id."""
        ...

    def open_emergencies(self, article_id: str | None = None) -> Sequence[EmergencyStep]:
        """Steps not yet reviewed, oldest first; of one bulletin when given."""
        ...

    def close_emergency(self, step: EmergencyStep) -> None:
        """Store that ``step`` was reviewed (its ``reviewed_by``, ``reviewed_at``)."""
        ...
