"""A security bulletin and the values it is made of."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from herald.domain.catalog import CatalogReferences, ChannelRef, NotCovered, VersionRef
from herald.domain.errors import ValidationError
from herald.domain.ids import ArticleId, CveId
from herald.domain.publisher import SectionKind
from herald.domain.scoring import CvssScore
from herald.domain.statements import BulletinKind, NotAffected
from herald.domain.urls import checked_web_url
from herald.domain.weaknesses import CweId


class Status(StrEnum):
    """Where a bulletin stands in its life.

    draft → in_review → approved → scheduled → published → withdrawn; only published
    and withdrawn bulletins are public. ``domain.workflow`` holds the transitions.
    """

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def public(self) -> bool:
        """Readers may see it: it was published (and perhaps withdrawn since)."""
        return self in (Status.PUBLISHED, Status.WITHDRAWN)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Restart(StrEnum):
    """What applying a fix restarts: CSAF's ``restart_required`` categories."""

    NONE = "none"
    VULNERABLE_COMPONENT = "vulnerable_component"
    SERVICE = "service"
    PARENT = "parent"
    DEPENDENCIES = "dependencies"
    CONNECTED = "connected"
    MACHINE = "machine"
    ZONE = "zone"
    SYSTEM = "system"

    @property
    def label(self) -> str:
        """How a reader sees it: "Restart: machine"."""
        return {
            Restart.NONE: "No restart needed",
            Restart.VULNERABLE_COMPONENT: "Restart the vulnerable component",
            Restart.SERVICE: "Restart the service",
            Restart.PARENT: "Restart the parent component",
            Restart.DEPENDENCIES: "Restart the dependent components",
            Restart.CONNECTED: "Restart connected systems",
            Restart.MACHINE: "Restart the host",
            Restart.ZONE: "Restart every host of the zone",
            Restart.SYSTEM: "Restart the whole system",
        }[self]


class NoFix(StrEnum):
    """Why a channel has no fixed release: none yet, or none coming (CSAF's categories)."""

    NONE_AVAILABLE = "none_available"
    NO_FIX_PLANNED = "no_fix_planned"


class RemedyCategory(StrEnum):
    """The CSAF remediation categories a channel's remedy is made of."""

    VENDOR_FIX = "vendor_fix"
    MITIGATION = "mitigation"
    WORKAROUND = "workaround"
    NONE_AVAILABLE = "none_available"
    NO_FIX_PLANNED = "no_fix_planned"


@dataclass(frozen=True)
class Fix:
    """How one affected channel is remedied.

    A fixed release (CSAF ``vendor_fix``), or a statement that there is none
    (``no_fix``: none available yet, or none planned); either may come with a mitigation
    (what lowers the risk) and a workaround (what avoids it) for the meantime. At least
    one of them is given.
    """

    channel: ChannelRef
    """The channel remedied."""
    release: str | None = None
    """The first release on that channel with the fix."""
    mitigation: str | None = None
    """What lowers the risk until the channel is updated or when there is no fix (Markdown)."""
    workaround: str | None = None
    """A change of configuration or use that avoids the vulnerability (Markdown)."""
    no_fix: NoFix | None = None
    """There is no fixed release: none available yet, or none planned."""
    no_fix_reason: str | None = None
    """Why, in the author's words (Markdown); herald words it when absent."""
    url: str | None = None
    """Where the remedy is described; the product's update instructions when absent."""
    restart: Restart | None = None
    """What applying the fixed release restarts (CSAF ``restart_required``)."""

    def __post_init__(self) -> None:
        where = f"fixes {self.channel}"
        if self.release is not None and self.no_fix is not None:
            raise ValidationError(where, "a channel with a fixed release cannot also have no fix")
        if (
            self.release is None
            and self.no_fix is None
            and not (self.mitigation or self.workaround)
        ):
            raise ValidationError(
                "fixes",
                f"{self.channel}: give a fixed release, a mitigation, a workaround "
                "or say there is no fix",
            )
        if self.no_fix_reason is not None and self.no_fix is None:
            raise ValidationError(where, "a reason for no fix needs no_fix")
        if self.restart is not None and self.release is None:
            raise ValidationError(where, "restart is what the fixed release needs: give a release")
        if self.url is not None:
            checked_web_url(self.url, "fixes.url")

    @property
    def categories(self) -> tuple[RemedyCategory, ...]:
        """The CSAF remediation categories this remedy states, in that order."""
        found: list[RemedyCategory] = []
        if self.release is not None:
            found.append(RemedyCategory.VENDOR_FIX)
        if self.mitigation:
            found.append(RemedyCategory.MITIGATION)
        if self.workaround:
            found.append(RemedyCategory.WORKAROUND)
        if self.no_fix is not None:
            found.append(RemedyCategory(self.no_fix.value))
        return tuple(found)


@dataclass(frozen=True)
class ChangeLogEntry:
    """One line of a bulletin's change log. Entries are never edited or removed."""

    on: date
    """The day of the change."""
    summary: str
    """What changed, e.g. "Initial Publication"."""

    def __post_init__(self) -> None:
        if not self.summary.strip():
            raise ValidationError("changelog.summary", "must not be empty")
        if "\n" in self.summary:
            raise ValidationError("changelog.summary", "must be one line")


INITIAL_PUBLICATION = "Initial Publication"

_NO_OVERRIDES: Mapping[SectionKind, str] = MappingProxyType({})
_NO_WEAKNESSES: Mapping[CveId, tuple[CweId, ...]] = MappingProxyType({})


@dataclass(frozen=True)
class Bulletin:
    """A security bulletin: what is affected, how it is fixed, and what the vendor says."""

    article_id: ArticleId
    """The publisher's article id, e.g. ``CTX696397``."""
    title: str
    """The headline, e.g. "XenServer Security Update for CVE-2026-4397"."""
    created_at: datetime
    """When the draft was created (UTC)."""
    updated_at: datetime
    """When anything last changed (UTC)."""
    severity: str | None = None
    """A severity from the publisher's scale."""
    cves: tuple[CveId, ...] = ()
    """The CVE ids the bulletin is about."""
    cvss: tuple[CvssScore, ...] = ()
    """Optional CVSS v3.1 / v4.0 base scores."""
    weaknesses: Mapping[CveId, tuple[CweId, ...]] = field(default_factory=lambda: _NO_WEAKNESSES)
    """The CWE ids of each CVE that has any (every key one of ``cves``; order: ``cves``)."""
    problem: str = ""
    """The description of the problem (Markdown)."""
    affected: tuple[VersionRef, ...] = ()
    """The affected versions."""
    fixes: tuple[Fix, ...] = ()
    """The remedy per affected channel."""
    sections: Mapping[SectionKind, str] = field(default_factory=lambda: _NO_OVERRIDES)
    """Narrative section bodies that replace the publisher's templates for this bulletin."""
    kind: BulletinKind = BulletinKind.ADVISORY
    """A security advisory, or a VEX statement only."""
    not_affected: tuple[NotAffected, ...] = ()
    """Versions stated not affected, each with its VEX justification and impact."""
    under_investigation: tuple[VersionRef, ...] = ()
    """Versions still being looked at; any supported version of the bulletin's products
    the bulletin says nothing of is under investigation too (``product_status``)."""
    changelog: tuple[ChangeLogEntry, ...] = ()
    """The change log; it only grows."""
    status: Status = Status.DRAFT
    """Draft, published or withdrawn."""
    not_covered: tuple[NotCovered, ...] = ()
    """Versions the bulletin states it does not cover, fixed when it is published."""
    published_at: datetime | None = None
    """When it was first published (UTC)."""
    withdrawn_at: datetime | None = None
    """When it was withdrawn (UTC)."""
    created_by: str | None = None
    """The username of the author who created the draft (None when imported)."""
    submitted_by: str | None = None
    """Who last submitted it for review."""
    approved_by: str | None = None
    """The reviewer who approved it (never its author)."""
    release_at: datetime | None = None
    """The embargo: the instant (UTC) a scheduled bulletin publishes itself."""

    @property
    def revision(self) -> int:
        """1 at the initial publication, one more for every later change-log entry."""
        return len(self.changelog)

    @property
    def updated_on(self) -> date:
        """The date a reader sees as "Updated On": the last change-log entry's day."""
        if self.changelog:
            return self.changelog[-1].on
        return self.updated_at.date()

    @property
    def catalog_references(self) -> CatalogReferences:
        """The catalog entries the bulletin names (``CatalogReferences``): its affected
        versions, the versions it does not cover, and the channel and release of each fix."""
        return named_by((self,))

    def content(self) -> BulletinContent:
        """The part of the bulletin an author writes."""
        return BulletinContent(
            title=self.title,
            severity=self.severity,
            cves=self.cves,
            cvss=self.cvss,
            weaknesses=self.weaknesses,
            problem=self.problem,
            affected=self.affected,
            fixes=self.fixes,
            sections=self.sections,
            kind=self.kind,
            not_affected=self.not_affected,
            under_investigation=self.under_investigation,
        )

    def with_content(self, content: BulletinContent, at: datetime) -> Bulletin:
        return replace(
            self,
            title=content.title,
            severity=content.severity,
            cves=content.cves,
            cvss=content.cvss,
            weaknesses=content.weaknesses,
            problem=content.problem,
            affected=content.affected,
            fixes=content.fixes,
            sections=content.sections,
            kind=content.kind,
            not_affected=content.not_affected,
            under_investigation=content.under_investigation,
            updated_at=at,
        )


def named_by(bulletins: Iterable[Bulletin]) -> CatalogReferences:
    """The catalog entries ``bulletins`` name; for the public bulletins, what the public
    sees of the entries marked hidden (``catalog.public_catalog``)."""
    versions: list[VersionRef] = []
    channels: list[ChannelRef] = []
    releases: list[tuple[ChannelRef, str]] = []
    for bulletin in bulletins:
        versions.extend(bulletin.affected)
        versions.extend(note.version for note in bulletin.not_covered)
        versions.extend(statement.version for statement in bulletin.not_affected)
        versions.extend(bulletin.under_investigation)
        for fix in bulletin.fixes:
            channels.append(fix.channel)
            if fix.release is not None:
                releases.append((fix.channel, fix.release))
    return CatalogReferences.of(versions, channels, releases)


@dataclass(frozen=True)
class BulletinContent:
    """What an author writes; everything else (status, log, dates) herald keeps."""

    title: str
    severity: str | None = None
    cves: tuple[CveId, ...] = ()
    cvss: tuple[CvssScore, ...] = ()
    weaknesses: Mapping[CveId, tuple[CweId, ...]] = field(default_factory=lambda: _NO_WEAKNESSES)
    problem: str = ""
    affected: tuple[VersionRef, ...] = ()
    fixes: tuple[Fix, ...] = ()
    sections: Mapping[SectionKind, str] = field(default_factory=lambda: _NO_OVERRIDES)
    kind: BulletinKind = BulletinKind.ADVISORY
    not_affected: tuple[NotAffected, ...] = ()
    under_investigation: tuple[VersionRef, ...] = ()

    def changed_fields(self, other: BulletinContent) -> list[str]:
        """The names of the fields that differ from ``other``."""
        names = (
            "title",
            "severity",
            "cves",
            "cvss",
            "problem",
            "affected",
            "fixes",
            "kind",
            "not_affected",
            "under_investigation",
        )
        changed = [name for name in names if getattr(self, name) != getattr(other, name)]
        if dict(self.sections) != dict(other.sections):
            changed.append("sections")
        if dict(self.weaknesses) != dict(other.weaknesses):
            changed.append("weaknesses")
        return changed
