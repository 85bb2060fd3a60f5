"""The reader-facing labels and short phrases every rendering shares.

The sentences of a bulletin are composed in :mod:`herald.domain.document`; this
module holds only the words of the page layout (the vendor's headings and field
labels) and the phrasing of facts the reference bulletin has no wording for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from herald.domain.bulletin import Status
from herald.domain.document import BulletinDocument, FixLine
from herald.domain.scoring import CvssScore

ARTICLE_ID = "Article ID:"
UPDATED_ON = "Updated On:"
DESCRIPTION = "Description"
CHANGE_LOG = "Change Log"
ENVIRONMENT = "Environment"
ISSUE = "Issue/Introduction"
SEVERITY = "Severity:"
PROBLEM = "Description of Problem"
AFFECTED = "Affected Versions"
FIXES = "Fixes"
MITIGATIONS = "Mitigations"
NO_FIXED_RELEASE = "no fixed release; mitigation:"
WEAKNESS = "Weakness:"
"""Before a CWE id and its name, under the CVE it concerns."""


@dataclass(frozen=True)
class Notice:
    """A banner shown under the title when a bulletin is not simply published."""

    label: str
    """One word, e.g. "Withdrawn"."""
    message: str
    """The sentence that explains it."""


def status_notice(document: BulletinDocument) -> Notice | None:
    """What a reader must be told first about the bulletin's status, if anything."""
    status = document.status
    if status is Status.PUBLISHED:
        return None
    if status is Status.WITHDRAWN:
        return Notice(
            "Withdrawn",
            f"This bulletin was withdrawn on {document.updated_on.isoformat()} and is kept "
            "for reference only; see the Change Log.",
        )
    if status is Status.DRAFT:
        return Notice("Draft", "This bulletin is a draft and has not been published.")
    if status is Status.IN_REVIEW:
        return Notice("In review", "This bulletin is in review and has not been published.")
    if status is Status.APPROVED:
        return Notice("Approved", "This bulletin is approved and has not been published yet.")
    if status is Status.SCHEDULED:
        return Notice("Embargoed", "This bulletin is under embargo and scheduled for publication.")
    assert_never(status)


def cvss_label(score: CvssScore) -> str:
    """'CVSS v3.1'."""
    return f"CVSS v{score.version.value}"


def cvss_rating(score: CvssScore) -> str:
    """'5.5 MEDIUM'."""
    return f"{score.base_score:.1f} {score.base_severity}"


def cvss_line(score: CvssScore) -> str:
    """'CVSS v3.1: 5.5 MEDIUM (CVSS:3.1/AV:L/...)'."""
    return f"{cvss_label(score)}: {cvss_rating(score)} ({score.vector})"


def fix_target(fix: FixLine) -> str:
    """'XenServer 8.4, Early Access update channel'."""
    return f"{fix.product} {fix.version}, {fix.channel} update channel"


def fixed_in(release: str) -> str:
    """'fixed in release 8.4.2026-03-19'."""
    return f"fixed in release {release}"


def mitigations(document: BulletinDocument) -> tuple[FixLine, ...]:
    """The fixes that are mitigations (channels without a fixed release)."""
    return tuple(fix for fix in document.fixes if fix.mitigation is not None)
