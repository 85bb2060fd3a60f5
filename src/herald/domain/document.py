"""A bulletin as readers see it: every template filled, every sentence composed.

The text, Markdown, HTML and JSON renderings all lay out this one document, so the
wording lives here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from herald.domain.bulletin import Bulletin, ChangeLogEntry, Fix, Status
from herald.domain.catalog import Catalog, Lifecycle, NotCovered, VersionRef
from herald.domain.ids import CveId
from herald.domain.product_status import StreamStatus, UnsupportedVersion, derive_status
from herald.domain.publisher import Publisher, SectionKind
from herald.domain.scoring import CvssScore
from herald.domain.statements import BulletinKind
from herald.domain.templates import fill, join_words
from herald.domain.weaknesses import CweId, definition_url, weakness_names
from herald.domain.workflow import not_covered


@dataclass(frozen=True)
class NarrativeSection:
    """One of the narrative sections, filled in."""

    kind: SectionKind
    heading: str
    body: str
    """Markdown text."""


@dataclass(frozen=True)
class FixLine:
    """A remedy in reader's words."""

    product: str
    version: str
    channel: str
    release: str | None
    mitigation: str | None


@dataclass(frozen=True)
class Weakness:
    """A CWE id a bulletin names, with the catalogue's name and MITRE's page."""

    id: CweId
    name: str
    """The catalogue's name, e.g. "Out-of-bounds Write" (empty for an id the catalogue
    no longer has, stored before it was refreshed)."""
    url: str
    """``https://cwe.mitre.org/data/definitions/787.html``."""

    @property
    def title(self) -> str:
        """'CWE-787 Out-of-bounds Write'."""
        return f"{self.id} {self.name}".rstrip()

    @classmethod
    def of(cls, cwe: CweId) -> Weakness:
        return cls(cwe, weakness_names().get(cwe, ""), definition_url(cwe))


@dataclass(frozen=True)
class StatusLine:
    """One row of "Status by version and update channel" (``product_status``)."""

    product: str
    """The product's display name."""
    stream: StreamStatus
    """The derived status of the stream, with its remedy or not-affected statement."""


@dataclass(frozen=True)
class UnsupportedLine:
    """A version of the bulletin's products that bulletins do not cover."""

    product: str
    """The product's display name."""
    unsupported: UnsupportedVersion
    """The version, its lifecycle and the vendor's words for it ("Public Preview")."""


@dataclass(frozen=True)
class BulletinDocument:
    """Everything a rendering of a bulletin shows, in reading order."""

    article_id: str
    title: str
    status: Status
    revision: int
    updated_on: date
    sections: tuple[NarrativeSection, ...]
    changelog: tuple[ChangeLogEntry, ...]
    disclaimer: str
    severity: str | None
    problem: str
    """Markdown text."""
    identifier_intro: str
    cves: tuple[CveId, ...]
    cvss: tuple[CvssScore, ...]
    affected_statement: str
    not_covered_notes: tuple[str, ...]
    fixes: tuple[FixLine, ...]
    publisher_name: str
    brand: str
    weaknesses: Mapping[CveId, tuple[Weakness, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """The weaknesses of each CVE that has any, in the order of ``cves``."""
    kind: BulletinKind = BulletinKind.ADVISORY
    statuses: tuple[StatusLine, ...] = ()
    """The status of every supported version and channel of the bulletin's products."""
    unsupported: tuple[UnsupportedLine, ...] = ()
    """The versions of those products that bulletins do not cover."""
    states_more: bool = False
    """Whether the bulletin says more than a fixed release per affected channel (a VEX
    statement, versions not affected or under investigation, remedy details): the text
    and Markdown renderings show the status table only then, so a bulletin such as
    CTX696397 reads as its reference does."""


def compose(bulletin: Bulletin, catalog: Catalog, publisher: Publisher) -> BulletinDocument:
    """The reader's document for ``bulletin``."""
    content = bulletin.content()
    notes = bulletin.not_covered if bulletin.status.public else not_covered(content, catalog)
    values = _template_values(bulletin, catalog, publisher)
    table = derive_status(content, catalog)
    sections = []
    for kind in SectionKind:
        template = publisher.section(kind)
        override = bulletin.sections.get(kind)
        if override is None and kind is SectionKind.CUSTOMER_ACTION and not _has_release(bulletin):
            override = STATEMENT_ONLY if _statement_only(bulletin) else NO_FIXED_RELEASE_YET
        body = fill(override, values, f"sections.{kind}") if override is not None else None
        sections.append(
            NarrativeSection(
                kind=kind,
                heading=fill(template.title, values, f"publisher.sections.{kind}.title"),
                body=body
                if body is not None
                else fill(template.body, values, f"publisher.sections.{kind}.body"),
            )
        )
    plural = len(bulletin.cves) > 1
    return BulletinDocument(
        article_id=bulletin.article_id,
        title=bulletin.title,
        status=bulletin.status,
        revision=bulletin.revision,
        updated_on=bulletin.updated_on,
        sections=tuple(sections),
        changelog=bulletin.changelog,
        disclaimer=publisher.disclaimer,
        severity=bulletin.severity,
        problem=bulletin.problem,
        identifier_intro=(
            "These issues have the following identifiers:"
            if plural
            else "This issue has the following identifier:"
        ),
        cves=bulletin.cves,
        cvss=bulletin.cvss,
        affected_statement=_affected_statement(bulletin, catalog, plural),
        not_covered_notes=tuple(_note(note, catalog, publisher) for note in notes),
        fixes=tuple(_fix_line(fix, catalog) for fix in bulletin.fixes),
        publisher_name=publisher.name,
        brand=publisher.brand,
        weaknesses=MappingProxyType(
            {
                cve: tuple(Weakness.of(cwe) for cwe in bulletin.weaknesses[cve])
                for cve in bulletin.cves
                if bulletin.weaknesses.get(cve)
            }
        ),
        kind=bulletin.kind,
        statuses=tuple(
            StatusLine(catalog.product(stream.version.product).name, stream)
            for stream in table.streams
        ),
        unsupported=tuple(
            UnsupportedLine(catalog.product(u.version.product).name, u) for u in table.unsupported
        ),
        states_more=_states_more(bulletin),
    )


def _affected_statement(bulletin: Bulletin, catalog: Catalog, plural: bool) -> str:
    if bulletin.affected:
        verb = "These issues affect" if plural else "This issue affects"
        return f"{verb} {affected_phrase(bulletin.affected, catalog)}."
    if bulletin.not_affected:
        verb = "These issues do" if plural else "This issue does"
        versions = tuple(statement.version for statement in bulletin.not_affected)
        return f"{verb} not affect {affected_phrase(versions, catalog)}."
    return "The affected versions have not been determined yet."


def _states_more(bulletin: Bulletin) -> bool:
    return (
        bulletin.kind is not BulletinKind.ADVISORY
        or bool(bulletin.not_affected or bulletin.under_investigation)
        or any(
            fix.workaround
            or fix.no_fix
            or fix.url
            or fix.restart
            or (fix.release is not None and fix.mitigation)
            for fix in bulletin.fixes
        )
    )


NO_FIXED_RELEASE_YET = (
    "No update that fixes this issue is available yet for {affected_products}. We recommend "
    "that customers apply the mitigation described in this bulletin for their update channel "
    "and subscribe to alerts to learn when an update is released."
)
"""What customers should do when every fix is a mitigation (a bulletin may override it)."""

STATEMENT_ONLY = (
    "The table below gives, for each version and update channel, whether this issue "
    "affects it. No action is needed on a version that is not affected."
)
"""What customers should do when the bulletin states no version affected (a VEX
statement; a bulletin may override it)."""


def _statement_only(bulletin: Bulletin) -> bool:
    """A VEX statement (or a bulletin stating versions not affected) naming none affected."""
    stating = bulletin.kind is BulletinKind.VEX or bool(bulletin.not_affected)
    return stating and not bulletin.affected


def _has_release(bulletin: Bulletin) -> bool:
    return any(fix.release is not None for fix in bulletin.fixes)


def affected_phrase(affected: tuple[VersionRef, ...], catalog: Catalog) -> str:
    """'XenServer 8.4', 'XenServer 8.2 and 8.4', 'XenServer 8.4 and XenCenter 2024'."""
    covered = [ref for ref in affected if catalog.version(ref).lifecycle.covered] or list(affected)
    by_product: dict[str, list[str]] = {}
    for ref in covered:
        by_product.setdefault(catalog.product(ref.product).name, []).append(ref.version)
    return join_words([f"{name} {join_words(versions)}" for name, versions in by_product.items()])


def fixed_channels_phrase(fixes: tuple[Fix, ...], catalog: Catalog) -> str:
    """'both the Early Access and Normal update channels of XenServer 8.4'."""
    by_version: dict[VersionRef, list[str]] = {}
    for fix in fixes:
        if fix.release is not None:
            by_version.setdefault(fix.channel.version_ref, []).append(fix.channel.channel)
    parts = []
    for ref, channels in by_version.items():
        name = catalog.display_name(ref)
        if len(channels) == 1:
            parts.append(f"the {channels[0]} update channel of {name}")
        elif len(channels) == 2:
            parts.append(f"both the {join_words(channels)} update channels of {name}")
        else:
            parts.append(f"the {join_words(channels)} update channels of {name}")
    return join_words(parts) or "the affected update channels"


def _template_values(bulletin: Bulletin, catalog: Catalog, publisher: Publisher) -> dict[str, str]:
    update_url = publisher.update_instructions_url
    products = {ref.product for ref in bulletin.affected}
    if len(products) == 1:
        update_url = catalog.product(next(iter(products))).update_instructions_url or update_url
    return {
        "brand": publisher.brand,
        "publisher": publisher.name,
        "short_name": publisher.short_name,
        "affected_products": affected_phrase(bulletin.affected, catalog),
        "fixed_channels": fixed_channels_phrase(bulletin.fixes, catalog),
        "update_instructions_url": update_url,
        "knowledge_center_url": publisher.knowledge_center_url,
        "support_url": publisher.support_url,
        "alerts_url": publisher.alerts_url,
        "reporting_url": publisher.reporting_url,
    }


def _note(note: NotCovered, catalog: Catalog, publisher: Publisher) -> str:
    template = (
        publisher.preview_note
        if note.lifecycle is Lifecycle.PREVIEW
        else publisher.end_of_life_note
    )
    values = {
        "product": catalog.product(note.version.product).name,
        "version": note.version.version,
        "state": note.label,
        "brand": publisher.brand,
    }
    return fill(template, values, "publisher.preview_note")


def _fix_line(fix: Fix, catalog: Catalog) -> FixLine:
    return FixLine(
        product=catalog.product(fix.channel.product).name,
        version=fix.channel.version,
        channel=fix.channel.channel,
        release=fix.release,
        mitigation=fix.mitigation,
    )
