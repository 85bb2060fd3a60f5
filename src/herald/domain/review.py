"""Review and embargo: a second pair of eyes before publication, and timed release.

draft --submit--> in_review --approve--> approved --schedule--> scheduled --release--> published
  ^                  |  request_changes       |  <--unschedule---'
  '------------------'                         '--publish (staff, now)--> published

An approval is by a reviewer who is neither the bulletin's author nor its submitter.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import Catalog
from herald.domain.errors import InvalidTransition, RuleViolation, ValidationError
from herald.domain.publisher import Publisher
from herald.domain.workflow import check_publishable, publish


def submit(
    bulletin: Bulletin, actor: str, catalog: Catalog, publisher: Publisher, at: datetime
) -> Bulletin:
    """Ask for review; the draft must already meet every publication rule."""
    _require(bulletin, Status.DRAFT, "submitted for review")
    check_publishable(bulletin.content(), catalog, publisher)
    return replace(bulletin, status=Status.IN_REVIEW, submitted_by=actor, updated_at=at)


def request_changes(bulletin: Bulletin, at: datetime) -> Bulletin:
    """Send a bulletin in review back to its author."""
    _require(bulletin, Status.IN_REVIEW, "sent back")
    return replace(bulletin, status=Status.DRAFT, submitted_by=None, updated_at=at)


def approve(
    bulletin: Bulletin, reviewer: str, catalog: Catalog, publisher: Publisher, at: datetime
) -> Bulletin:
    """A reviewer's approval; nobody approves their own bulletin."""
    _require(bulletin, Status.IN_REVIEW, "approved")
    if reviewer in {bulletin.created_by, bulletin.submitted_by}:
        raise RuleViolation(
            "approved_by", "a bulletin is approved by a reviewer who is not its author"
        )
    check_publishable(bulletin.content(), catalog, publisher)
    return replace(bulletin, status=Status.APPROVED, approved_by=reviewer, updated_at=at)


def schedule(bulletin: Bulletin, release_at: datetime, at: datetime) -> Bulletin:
    """Hold an approved bulletin under embargo until ``release_at`` (UTC)."""
    _require(bulletin, Status.APPROVED, "scheduled")
    if release_at.tzinfo is None:
        raise ValidationError("release_at", "give the release instant with its time zone (UTC)")
    if release_at <= at:
        raise ValidationError("release_at", "the release instant must be in the future")
    return replace(bulletin, status=Status.SCHEDULED, release_at=release_at, updated_at=at)


def unschedule(bulletin: Bulletin, at: datetime) -> Bulletin:
    """Lift the schedule; the bulletin stays approved."""
    _require(bulletin, Status.SCHEDULED, "unscheduled")
    return replace(bulletin, status=Status.APPROVED, release_at=None, updated_at=at)


def is_due(bulletin: Bulletin, now: datetime) -> bool:
    """A scheduled bulletin whose embargo has lifted."""
    return (
        bulletin.status is Status.SCHEDULED
        and bulletin.release_at is not None
        and bulletin.release_at <= now
    )


def release(bulletin: Bulletin, catalog: Catalog, publisher: Publisher, now: datetime) -> Bulletin:
    """Publish a scheduled bulletin whose embargo has lifted, dated at its release instant."""
    if not is_due(bulletin, now) or bulletin.release_at is None:
        raise InvalidTransition(f"{bulletin.article_id} is not due for release")
    instant = bulletin.release_at
    approved = replace(bulletin, status=Status.APPROVED)
    return publish(approved, catalog, publisher, instant.date(), instant, require_approval=True)


def _require(bulletin: Bulletin, status: Status, step: str) -> None:
    if bulletin.status is not status:
        raise InvalidTransition(
            f"{bulletin.article_id} is {bulletin.status.label}; only a {status.label} "
            f"bulletin can be {step}"
        )
