"""Domain objects for the storage tests, built on the demo data of ``herald.demo``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from herald import demo
from herald.adapters.storage import SqlUnitOfWork
from herald.domain import (
    ArticleId,
    ArticleIdPattern,
    Bulletin,
    ChangeLogEntry,
    ChannelRef,
    Component,
    CveId,
    CweId,
    Fix,
    Lifecycle,
    NotCovered,
    Product,
    ProductId,
    ProductIdentity,
    ProductVersion,
    Publisher,
    Release,
    SectionKind,
    SectionTemplate,
    Status,
    UpdateChannel,
    VersionRef,
    parse_cvss,
)

XENSERVER = demo.XENSERVER
CITRIX_HYPERVISOR = ProductId("citrix-hypervisor")


def xenserver() -> Product:
    """The demo XenServer, plus an end-of-life 8.2 before its 8.4."""
    product = demo.catalog().product(XENSERVER)
    old = ProductVersion(
        "8.2",
        Lifecycle.END_OF_LIFE,
        channels=(UpdateChannel("CU1", (Release("8.2.1", date(2023, 1, 10)),)),),
    )
    return replace(product, versions=(old, *product.versions))


def without_identity(product: Product) -> Product:
    """``product`` as a catalog before migration 0016 held it: no components, no
    identifiers."""
    versions = tuple(
        replace(
            version,
            identity=ProductIdentity(),
            channels=tuple(
                replace(
                    channel,
                    releases=tuple(
                        replace(release, identity=ProductIdentity()) for release in channel.releases
                    ),
                )
                for channel in version.channels
            ),
        )
        for version in product.versions
    )
    return replace(product, components=(), versions=versions)


def hypervisor() -> Product:
    """A second product, to check the catalog keeps its order."""
    return Product(
        CITRIX_HYPERVISOR,
        "Citrix Hypervisor",
        versions=(
            ProductVersion(
                "8.2 CU1",
                Lifecycle.SUPPORTED,
                channels=(
                    UpdateChannel(
                        "LTSR",
                        (
                            Release(
                                "CU1-2026-01",
                                date(2026, 1, 5),
                                (Component("xen", "4.13.5"), Component("qemu", "4.2.1")),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def custom_publisher() -> Publisher:
    """A publisher with its own templates, id scheme and severity scale."""
    return replace(
        demo.publisher(),
        sections={
            SectionKind.SUPPORT: SectionTemplate("Help", "Write to {support_url}"),
            SectionKind.CUSTOMER_ACTION: SectionTemplate("Do this", "Update {fixed_channels}."),
        },
        article_ids=ArticleIdPattern("HSA-", 4),
        severities=("Severe", "Moderate", "Minor"),
    )


def rich_bulletin(article_id: str = "CTX700001") -> Bulletin:
    """Two CVSS scores, several CVEs (two with weaknesses), a mitigation, section overrides,
    not-covered notes."""
    at = datetime(2026, 4, 2, 10, 30, 15, 123456, tzinfo=UTC)
    return Bulletin(
        article_id=ArticleId(article_id),
        title="XenServer Security Update for Multiple CVEs",
        created_at=at - timedelta(days=3),
        updated_at=at,
        severity="High",
        cves=(CveId("CVE-2026-5001"), CveId("CVE-2026-10002"), CveId("CVE-2025-999999")),
        cvss=(
            parse_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"),
            parse_cvss("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N"),
        ),
        weaknesses={
            CveId("CVE-2025-999999"): (CweId("CWE-416"),),
            CveId("CVE-2026-5001"): (CweId("CWE-787"), CweId("CWE-20")),
        },
        problem="Two issues:\n\n* one in **xen**\n* one in `qemu` — with ünïcode",
        affected=(VersionRef(XENSERVER, "8.4"), VersionRef(XENSERVER, "8.2")),
        fixes=(
            Fix(ChannelRef(XENSERVER, "8.4", "Normal"), release="8.4.2026-03-24"),
            Fix(
                ChannelRef(XENSERVER, "8.4", "Early Access"),
                mitigation="Disable *PCI passthrough* until the next update.",
            ),
        ),
        sections={
            SectionKind.VENDOR_ACTION: "We are telling everyone.",
            SectionKind.CUSTOMER_ACTION: "Update now, or apply the mitigation.",
        },
        changelog=(
            ChangeLogEntry(date(2026, 4, 1), "Initial Publication"),
            ChangeLogEntry(date(2026, 4, 2), "Added CVSS v4.0 score"),
        ),
        status=Status.PUBLISHED,
        not_covered=(
            NotCovered(VersionRef(XENSERVER, "8.2"), Lifecycle.END_OF_LIFE, "End of Life"),
            NotCovered(VersionRef(XENSERVER, "9"), Lifecycle.PREVIEW, "Public Preview"),
        ),
        published_at=datetime(2026, 4, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))),
    )


def draft(article_id: str, updated_at: datetime) -> Bulletin:
    """A small draft, for ordering and deletion."""
    return Bulletin(
        article_id=ArticleId(article_id),
        title=f"Draft {article_id}",
        created_at=updated_at,
        updated_at=updated_at,
        affected=(VersionRef(XENSERVER, "8.4"),),
    )


def seed(uow: SqlUnitOfWork, *products: Product) -> None:
    """Store the demo publisher and catalog (or ``products``) and commit."""
    uow.publisher.save(demo.publisher())
    for product in products or (xenserver(),):
        uow.catalog.save_product(product)
    uow.commit()


def listed(
    article_id: str,
    status: Status,
    at: datetime,
    *,
    title: str = "",
    severity: str | None = "High",
    cves: tuple[str, ...] = (),
    problem: str = "",
    affected: tuple[VersionRef, ...] = (VersionRef(XENSERVER, "8.4"),),
    updated_at: datetime | None = None,
) -> Bulletin:
    """A bulletin for the list queries: published at ``at`` when public, else last changed.

    Storage checks no workflow rule, so these carry only what the queries look at.
    """
    public = status.public
    reviewed = status in (Status.APPROVED, Status.SCHEDULED)
    return Bulletin(
        article_id=ArticleId(article_id),
        title=title or f"Bulletin {article_id}",
        created_at=at - timedelta(days=2),
        updated_at=updated_at or at,
        severity=severity,
        cves=tuple(CveId(cve) for cve in cves),
        problem=problem,
        affected=affected,
        changelog=(ChangeLogEntry(at.date(), "Initial Publication"),) if public else (),
        status=status,
        published_at=at if public else None,
        withdrawn_at=at + timedelta(days=1) if status is Status.WITHDRAWN else None,
        created_by="alice",
        submitted_by="alice" if status is not Status.DRAFT else None,
        approved_by="bob" if reviewed or public else None,
        release_at=at if status is Status.SCHEDULED else None,
    )
