"""Who must look at a change to a published bulletin before readers see it.

A publisher sets a review policy for amendments. By default a *material* amendment
(severity, scores, CVEs, affected versions, fixes, the status of a version: stated not
affected or under investigation, or the bulletin's kind) and every withdrawal need a second
person: the change is proposed, and goes live when someone other than its proposer
approves it. An editorial amendment (title, wording, sections) goes straight out.

An admin may take the emergency path instead (a zero-day already public): the change
goes live at once, with a stated reason, and stays flagged until someone else reviews
it after the fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from herald.domain.bulletin import BulletinContent
from herald.domain.errors import RuleViolation, ValidationError

MATERIAL_FIELDS = (
    "severity",
    "cvss",
    "cves",
    "affected",
    "fixes",
    "kind",
    "not_affected",
    "under_investigation",
)
"""A change to one of these is material: readers may need to act on it. A version newly
stated not affected or under investigation changes its status (``product_status``), and
the kind turns an advisory into a VEX statement or back. Any other change (title,
problem wording, sections) is editorial."""

MAX_REASON_LENGTH = 500


class AmendmentReview(StrEnum):
    """Which amendments of a published bulletin need a second person."""

    MATERIAL = "material"
    """Material amendments and withdrawals; editorial ones go straight (the default)."""
    EVERY = "every"
    """Every amendment and every withdrawal."""
    NONE = "none"
    """None: a publisher amends and withdraws alone."""

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    AmendmentReview.MATERIAL: (
        "material amendments (severity, scores, CVEs, affected versions, fixes, versions "
        "stated not affected or under investigation, the kind) and "
        "withdrawals need a second person; editorial ones go straight out"
    ),
    AmendmentReview.EVERY: "every amendment and every withdrawal needs a second person",
    AmendmentReview.NONE: "a publisher amends and withdraws alone",
}


class ProposalKind(StrEnum):
    """What a proposed change to a published bulletin does."""

    AMEND = "amend"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class ReviewPolicy:
    """The publisher's rules for changes to published bulletins."""

    amendments: AmendmentReview = AmendmentReview.MATERIAL

    def second_person_needed(self, kind: ProposalKind, changed: tuple[str, ...]) -> bool:
        """Whether a change of ``kind`` touching the fields ``changed`` needs approval."""
        if self.amendments is AmendmentReview.NONE:
            return False
        if self.amendments is AmendmentReview.EVERY or kind is ProposalKind.WITHDRAW:
            return True
        return is_material(changed)

    def describe(self) -> str:
        """The policy as the audit log keeps it."""
        return f"amendments: {self.amendments.value}\n"


def is_material(changed: tuple[str, ...] | list[str]) -> bool:
    return any(name in MATERIAL_FIELDS for name in changed)


def parse_amendment_review(text: str, field: str = "amendments") -> AmendmentReview:
    try:
        return AmendmentReview(text.strip().lower())
    except ValueError:
        known = ", ".join(choice.value for choice in AmendmentReview)
        raise ValidationError(field, f"{text[:40]!r} is not a policy ({known})") from None


@dataclass(frozen=True)
class Proposal:
    """A change to a published bulletin waiting for a second person."""

    article_id: str
    kind: ProposalKind
    summary: str
    """The change-log entry it will add."""
    proposed_by: str
    proposed_at: datetime
    content: BulletinContent | None = None
    """The new content (amendments only)."""
    on: date | None = None
    """The day its change-log entry names; None: the day it is approved."""
    changed: tuple[str, ...] = ()
    """The fields it changes (amendments only)."""

    @property
    def material(self) -> bool:
        return self.kind is ProposalKind.WITHDRAW or is_material(self.changed)

    def describe(self) -> str:
        """One line for pages and the command line."""
        what = "withdrawal" if self.kind is ProposalKind.WITHDRAW else "amendment"
        fields = f" of {', '.join(self.changed)}" if self.changed else ""
        return f"{what}{fields} proposed by {self.proposed_by}: {self.summary}"


def check_second_person(proposal: Proposal, approver: str) -> None:
    """Nobody approves a change they proposed."""
    if approver == proposal.proposed_by:
        raise RuleViolation(
            "approver",
            f"{approver} proposed this change to {proposal.article_id}; "
            "someone else must approve it",
        )


class EmergencyStepKind(StrEnum):
    """What was done on the emergency path."""

    PUBLISH = "publish"
    AMEND = "amend"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class EmergencyStep:
    """A bulletin published or changed without a second person, until someone reviews it."""

    article_id: str
    kind: EmergencyStepKind
    reason: str
    taken_by: str
    taken_at: datetime
    id: int | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.reviewed_by is None

    def describe_line(self) -> str:
        """One line for pages and the command line."""
        taken = self.taken_at.strftime("%Y-%m-%d %H:%M UTC")
        return f"emergency {self.kind.value} by {self.taken_by} at {taken}: {self.reason}"

    def describe(self) -> str:
        """Its state as the audit log keeps it."""
        lines = [
            f"step: {self.kind.value}",
            f"reason: {self.reason}",
            f"taken_by: {self.taken_by}",
            f"taken_at: {self.taken_at.isoformat()}",
        ]
        if self.reviewed_by is not None and self.reviewed_at is not None:
            lines += [
                f"reviewed_by: {self.reviewed_by}",
                f"reviewed_at: {self.reviewed_at.isoformat()}",
            ]
        return "\n".join(lines) + "\n"


def parse_reason(text: str | None, field: str = "emergency") -> str:
    """The stated reason of an emergency step: one line, not empty."""
    reason = (text or "").strip()
    if not reason:
        raise ValidationError(field, "state why this cannot wait for a second person")
    if "\n" in reason or len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(field, f"use one line of at most {MAX_REASON_LENGTH} characters")
    return reason


def check_after_the_fact_review(step: EmergencyStep, reviewer: str) -> None:
    """Someone other than who took the step reviews it, once."""
    if not step.open:
        raise RuleViolation(
            "review", f"the emergency step on {step.article_id} was reviewed already"
        )
    if reviewer == step.taken_by:
        raise RuleViolation(
            "review",
            f"{reviewer} took the emergency step on {step.article_id}; someone else reviews it",
        )
