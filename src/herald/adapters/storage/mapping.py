"""Rows to domain objects and back. No rules here: the domain checks its own values."""

from __future__ import annotations

from functools import partial
from types import MappingProxyType

from herald.adapters.storage.identity_mapping import (
    components_from_rows,
    identity_from_rows,
    sync_identifiers,
)
from herald.adapters.storage.mapping_statements import (
    fix_from_row,
    fix_rows,
    not_affected_from_row,
    not_affected_rows,
    under_investigation_rows,
)
from herald.adapters.storage.tables.accounts import UserRow
from herald.adapters.storage.tables.audit import AuditRow
from herald.adapters.storage.tables.bulletins import (
    AffectedRow,
    BulletinRow,
    ChangeLogRow,
    CveRow,
    CvssRow,
    NotCoveredRow,
    SectionOverrideRow,
    WeaknessRow,
)
from herald.adapters.storage.tables.catalog import (
    ChannelRow,
    ComponentRow,
    ProductRow,
    PublisherRow,
    ReleaseRow,
    VersionRow,
)
from herald.adapters.storage.tables.identity import ReleaseIdentifierRow, VersionIdentifierRow
from herald.domain.accounts import Role, User
from herald.domain.audit import AuditEntry
from herald.domain.audit_chain import ChainedEntry
from herald.domain.bulletin import Bulletin, ChangeLogEntry, Status
from herald.domain.catalog import (
    Component,
    Lifecycle,
    NotCovered,
    Product,
    ProductVersion,
    Release,
    UpdateChannel,
    VersionRef,
)
from herald.domain.ids import ArticleId, ArticleIdPattern, CveId, ProductId
from herald.domain.publisher import Publisher, SectionKind, SectionTemplate
from herald.domain.scoring import CvssScore, CvssVersion
from herald.domain.statements import BulletinKind
from herald.domain.weaknesses import CweId

_SECTION_ORDER = {kind: index for index, kind in enumerate(SectionKind)}

# --- publisher -------------------------------------------------------------------------


def publisher_from_row(row: PublisherRow) -> Publisher:
    return Publisher(
        name=row.name,
        short_name=row.short_name,
        brand=row.brand,
        namespace_url=row.namespace_url,
        update_instructions_url=row.update_instructions_url,
        knowledge_center_url=row.knowledge_center_url,
        support_url=row.support_url,
        alerts_url=row.alerts_url,
        reporting_url=row.reporting_url,
        disclaimer=row.disclaimer,
        sections=MappingProxyType(
            {
                SectionKind(item["kind"]): SectionTemplate(item["title"], item["body"])
                for item in row.sections
            }
        ),
        preview_note=row.preview_note,
        end_of_life_note=row.end_of_life_note,
        article_ids=ArticleIdPattern(row.article_id_prefix, row.article_id_digits),
        severities=tuple(row.severities),
    )


def publisher_to_row(publisher: Publisher, row: PublisherRow) -> None:
    row.name = publisher.name
    row.short_name = publisher.short_name
    row.brand = publisher.brand
    row.namespace_url = publisher.namespace_url
    row.update_instructions_url = publisher.update_instructions_url
    row.knowledge_center_url = publisher.knowledge_center_url
    row.support_url = publisher.support_url
    row.alerts_url = publisher.alerts_url
    row.reporting_url = publisher.reporting_url
    row.disclaimer = publisher.disclaimer
    row.sections = [
        {"kind": kind.value, "title": template.title, "body": template.body}
        for kind, template in publisher.sections.items()
    ]
    row.preview_note = publisher.preview_note
    row.end_of_life_note = publisher.end_of_life_note
    row.article_id_prefix = publisher.article_ids.prefix
    row.article_id_digits = publisher.article_ids.digits
    row.severities = list(publisher.severities)


# --- catalog ---------------------------------------------------------------------------


def product_from_row(row: ProductRow) -> Product:
    return Product(
        id=ProductId(row.id),
        name=row.name,
        update_instructions_url=row.update_instructions_url,
        versions=tuple(_version_from_row(version) for version in row.versions),
        hidden=row.hidden,
        components=components_from_rows(row),
    )


def _version_from_row(row: VersionRow) -> ProductVersion:
    return ProductVersion(
        name=row.name,
        lifecycle=Lifecycle(row.lifecycle),
        lifecycle_label=row.lifecycle_label,
        channels=tuple(_channel_from_row(channel) for channel in row.channels),
        hidden=row.hidden,
        identity=identity_from_rows(row.identifiers),
    )


def _channel_from_row(row: ChannelRow) -> UpdateChannel:
    return UpdateChannel(
        row.name, tuple(_release_from_row(release) for release in row.releases), row.hidden
    )


def _release_from_row(row: ReleaseRow) -> Release:
    return Release(
        row.name,
        row.released_on,
        tuple(Component(component.name, component.version) for component in row.components),
        row.hidden,
        identity_from_rows(row.identifiers),
    )


def version_to_row(version: ProductVersion, position: int, row: VersionRow) -> None:
    row.position = position
    row.lifecycle = version.lifecycle.value
    row.lifecycle_label = version.lifecycle_label
    row.hidden = version.hidden
    sync_identifiers(
        row.identifiers,
        version.identity,
        partial(VersionIdentifierRow, product_id=row.product_id, version_name=row.name),
    )


def channel_to_row(channel: UpdateChannel, position: int, row: ChannelRow) -> None:
    row.position = position
    row.hidden = channel.hidden


def release_to_row(release: Release, position: int, row: ReleaseRow) -> None:
    row.position = position
    row.released_on = release.released_on
    row.hidden = release.hidden
    sync_identifiers(
        row.identifiers,
        release.identity,
        partial(
            ReleaseIdentifierRow,
            product_id=row.product_id,
            version_name=row.version_name,
            channel_name=row.channel_name,
            release_name=row.name,
        ),
    )
    stored = tuple(Component(component.name, component.version) for component in row.components)
    if stored != release.components:
        row.components = [
            ComponentRow(
                product_id=row.product_id,
                version_name=row.version_name,
                channel_name=row.channel_name,
                release_name=row.name,
                position=index,
                name=component.name,
                version=component.version,
            )
            for index, component in enumerate(release.components)
        ]


# --- bulletins -------------------------------------------------------------------------


def bulletin_from_row(row: BulletinRow) -> Bulletin:
    return Bulletin(
        article_id=ArticleId(row.article_id),
        title=row.title,
        created_at=row.created_at,
        updated_at=row.updated_at,
        severity=row.severity,
        cves=tuple(CveId(cve.cve_id) for cve in row.cves),
        cvss=tuple(
            CvssScore(CvssVersion(s.version), s.vector, s.base_score, s.base_severity)
            for s in row.cvss
        ),
        weaknesses=_weaknesses_from_rows(row.weaknesses),
        problem=row.problem,
        affected=tuple(VersionRef(ProductId(a.product_id), a.version_name) for a in row.affected),
        fixes=tuple(fix_from_row(f) for f in row.fixes),
        kind=BulletinKind(row.kind),
        not_affected=tuple(not_affected_from_row(n) for n in row.not_affected),
        under_investigation=tuple(
            VersionRef(ProductId(u.product_id), u.version_name) for u in row.under_investigation
        ),
        sections=MappingProxyType(
            {
                SectionKind(s.kind): s.body
                for s in sorted(row.sections, key=lambda s: _SECTION_ORDER[SectionKind(s.kind)])
            }
        ),
        changelog=tuple(ChangeLogEntry(entry.on, entry.summary) for entry in row.changelog),
        status=Status(row.status),
        not_covered=tuple(
            NotCovered(
                VersionRef(ProductId(n.product_id), n.version_name), Lifecycle(n.lifecycle), n.label
            )
            for n in row.not_covered
        ),
        published_at=row.published_at,
        withdrawn_at=row.withdrawn_at,
        created_by=row.created_by,
        submitted_by=row.submitted_by,
        approved_by=row.approved_by,
        release_at=row.release_at,
    )


def bulletin_to_row(bulletin: Bulletin, row: BulletinRow, stored: Bulletin | None) -> None:
    """Write ``bulletin`` into ``row``; lists equal to ``stored``'s are left untouched.

    The change log is not written here: the repository appends to it.
    """
    article = bulletin.article_id
    row.title = bulletin.title
    row.severity = bulletin.severity
    row.problem = bulletin.problem
    row.status = bulletin.status.value
    row.created_at = bulletin.created_at
    row.updated_at = bulletin.updated_at
    row.published_at = bulletin.published_at
    row.withdrawn_at = bulletin.withdrawn_at
    row.created_by = bulletin.created_by
    row.submitted_by = bulletin.submitted_by
    row.approved_by = bulletin.approved_by
    row.release_at = bulletin.release_at
    if stored is None or stored.cves != bulletin.cves:
        row.cves = [
            CveRow(article_id=article, position=i, cve_id=c) for i, c in enumerate(bulletin.cves)
        ]
    if stored is None or stored.cvss != bulletin.cvss:
        row.cvss = [
            CvssRow(
                article_id=article,
                position=i,
                version=s.version.value,
                vector=s.vector,
                base_score=s.base_score,
                base_severity=s.base_severity,
            )
            for i, s in enumerate(bulletin.cvss)
        ]
    if stored is None or dict(stored.weaknesses) != dict(bulletin.weaknesses):
        row.weaknesses = [
            WeaknessRow(article_id=article, cve_id=cve, position=i, cwe_id=cwe)
            for cve, cwes in bulletin.weaknesses.items()
            for i, cwe in enumerate(cwes)
        ]
    if stored is None or stored.affected != bulletin.affected:
        row.affected = [
            AffectedRow(
                article_id=article, position=i, product_id=a.product, version_name=a.version
            )
            for i, a in enumerate(bulletin.affected)
        ]
    if stored is None or stored.fixes != bulletin.fixes:
        row.fixes = fix_rows(bulletin)
    row.kind = bulletin.kind.value
    if stored is None or stored.not_affected != bulletin.not_affected:
        row.not_affected = not_affected_rows(bulletin)
    if stored is None or stored.under_investigation != bulletin.under_investigation:
        row.under_investigation = under_investigation_rows(bulletin)
    if stored is None or dict(stored.sections) != dict(bulletin.sections):
        row.sections = [
            SectionOverrideRow(article_id=article, kind=kind.value, body=body)
            for kind, body in bulletin.sections.items()
        ]
    if stored is None or stored.not_covered != bulletin.not_covered:
        row.not_covered = [
            NotCoveredRow(
                article_id=article,
                position=i,
                product_id=n.version.product,
                version_name=n.version.version,
                lifecycle=n.lifecycle.value,
                label=n.label,
            )
            for i, n in enumerate(bulletin.not_covered)
        ]


def _weaknesses_from_rows(rows: list[WeaknessRow]) -> MappingProxyType[CveId, tuple[CweId, ...]]:
    """CWE ids by CVE, each CVE's in ``position`` order (the rows come in that order)."""
    found: dict[CveId, list[CweId]] = {}
    for weakness in rows:
        found.setdefault(CveId(weakness.cve_id), []).append(CweId(weakness.cwe_id))
    return MappingProxyType({cve: tuple(cwes) for cve, cwes in found.items()})


def changelog_row(article_id: str, position: int, entry: ChangeLogEntry) -> ChangeLogRow:
    return ChangeLogRow(
        article_id=article_id, position=position, on=entry.on, summary=entry.summary
    )


# --- staff and audit -------------------------------------------------------------------


def user_from_row(row: UserRow) -> User:
    return User(
        username=row.username,
        display_name=row.display_name,
        roles=frozenset(Role(name) for name in row.roles),
        password_hash=row.password_hash,
        active=row.active,
        session_generation=row.session_generation,
    )


def user_to_row(user: User, row: UserRow) -> None:
    row.display_name = user.display_name
    row.roles = sorted(Role(role).value for role in user.roles)
    row.password_hash = user.password_hash
    row.active = user.active
    row.session_generation = user.session_generation


def audit_from_row(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        at=row.at,
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        before=row.before,
        after=row.after,
        id=row.id,
    )


def chained_from_row(row: AuditRow) -> ChainedEntry:
    return ChainedEntry(audit_from_row(row), row.previous_hash, row.chain_hash)


def audit_row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        subject=entry.subject,
        before=entry.before,
        after=entry.after,
    )
