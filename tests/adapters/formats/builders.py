"""Bulletins for the rendering tests, built through the real workflow."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from herald import demo
from herald.domain import (
    Bulletin,
    BulletinContent,
    Catalog,
    ChangeLogEntry,
    ChannelRef,
    CveId,
    Fix,
    Lifecycle,
    ProductVersion,
    SectionKind,
    VersionRef,
    parse_cvss,
)
from herald.domain.bulletin import NoFix, Restart
from herald.domain.document import BulletinDocument, compose
from herald.domain.ids import ArticleId
from herald.domain.statements import BulletinKind, Justification, NotAffected
from herald.domain.workflow import new_draft, publish, withdraw

DAY = date(2026, 3, 24)
NOON = datetime(2026, 3, 24, 12, 0, tzinfo=UTC)
LATER = date(2026, 4, 2)
CVSS_V31 = "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N"
MITIGATION = (
    "Set `mem-scrub=on` on every host, then restart the toolstack.\n"
    "See https://example.com/kb/scrub for details."
)


def reference_document() -> BulletinDocument:
    """The demo bulletin CTX696397, as readers see it."""
    return compose(demo.reference_bulletin(), demo.catalog(), demo.publisher())


def catalog_with_end_of_life() -> Catalog:
    """The demo catalog with XenServer 8.2 past its end of life, listed before 8.4."""
    xenserver = demo.catalog().product(demo.XENSERVER)
    old = ProductVersion(name="8.2", lifecycle=Lifecycle.END_OF_LIFE)
    return demo.catalog().with_product(replace(xenserver, versions=(old, *xenserver.versions)))


def content(**changes: object) -> BulletinContent:
    return replace(demo.reference_content(), **changes)  # type: ignore[arg-type]


def draft(catalog: Catalog | None = None, **changes: object) -> Bulletin:
    return new_draft(
        ArticleId("CTX100001"),
        content(**changes),
        catalog or demo.catalog(),
        demo.publisher(),
        NOON,
    )


def published(catalog: Catalog | None = None, **changes: object) -> Bulletin:
    catalog = catalog or demo.catalog()
    return publish(draft(catalog, **changes), catalog, demo.publisher(), DAY, NOON)


def document(bulletin: Bulletin, catalog: Catalog | None = None) -> BulletinDocument:
    return compose(bulletin, catalog or demo.catalog(), demo.publisher())


def rich_bulletin() -> tuple[Bulletin, Catalog]:
    """Two CVEs, a CVSS score, a mitigation, and an end-of-life version named; its catalog."""
    catalog = catalog_with_end_of_life()
    bulletin = published(
        catalog,
        title="XenServer Security Update for CVE-2026-4397 and CVE-2026-4398",
        cves=(CveId("CVE-2026-4397"), CveId("CVE-2026-4398")),
        cvss=(parse_cvss(CVSS_V31),),
        affected=(VersionRef(demo.XENSERVER, "8.2"), VersionRef(demo.XENSERVER, "8.4")),
        fixes=(
            Fix(ChannelRef(demo.XENSERVER, "8.4", "Early Access"), release="8.4.2026-03-19"),
            Fix(ChannelRef(demo.XENSERVER, "8.4", "Normal"), mitigation=MITIGATION),
        ),
    )
    return bulletin, catalog


def rich_document() -> BulletinDocument:
    """The rich bulletin, as readers see it."""
    return document(*rich_bulletin())


def withdrawn_bulletin() -> Bulletin:
    """CTX696397, withdrawn."""
    entry = ChangeLogEntry(LATER, "Withdrawn: the issue does not affect XenServer 8.4")
    return withdraw(demo.reference_bulletin(), entry, datetime(2026, 4, 2, 9, tzinfo=UTC))


def withdrawn_document() -> BulletinDocument:
    return document(withdrawn_bulletin())


def hostile_document(field: str, payload: str) -> BulletinDocument:
    """A draft whose ``field`` (title, problem, mitigation or section) holds ``payload``."""
    if field == "title":
        return document(draft(title=payload))
    if field == "problem":
        return document(draft(problem=payload))
    if field == "mitigation":
        fixes = (
            Fix(ChannelRef(demo.XENSERVER, "8.4", "Early Access"), release="8.4.2026-03-19"),
            Fix(ChannelRef(demo.XENSERVER, "8.4", "Normal"), mitigation=payload),
        )
        return document(draft(fixes=fixes))
    if field == "section":
        return document(draft(sections={SectionKind.SUPPORT: payload}))
    raise ValueError(field)


THIRD_PARTY_CVE = CveId("CVE-2026-31337")
IMPACT = (
    "XenServer 8.4 does not ship libexample: the vulnerable library is neither installed "
    "in the control domain nor used by any XenServer component."
)


def vex_content(**changes: object) -> BulletinContent:
    """A VEX statement only: a CVE in a third-party library that XenServer 8.4 lacks."""
    base = BulletinContent(
        title="XenServer and CVE-2026-31337 in libexample",
        cves=(THIRD_PARTY_CVE,),
        problem=(
            "CVE-2026-31337 is a heap overflow in the libexample image decoder, a "
            "third-party library."
        ),
        kind=BulletinKind.VEX,
        not_affected=(
            NotAffected(
                VersionRef(demo.XENSERVER, "8.4"), Justification.COMPONENT_NOT_PRESENT, IMPACT
            ),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def vex_bulletin(catalog: Catalog | None = None, **changes: object) -> Bulletin:
    """The VEX statement, published on the reference day."""
    catalog = catalog or demo.catalog()
    fresh = new_draft(
        ArticleId("CTX100300"), vex_content(**changes), catalog, demo.publisher(), NOON
    )
    return publish(fresh, catalog, demo.publisher(), DAY, NOON)


def every_remedy() -> tuple[Bulletin, Catalog]:
    """XenServer 8.4 with four channels, each remedied another way; 8.2 past its end of
    life and affected; a second supported version under investigation."""
    catalog = catalog_with_end_of_life()
    xenserver = catalog.product(demo.XENSERVER)
    current = xenserver.version("8.4")
    extra = (
        replace(current.channels[0], name="LTSR"),
        replace(current.channels[0], name="Legacy"),
    )
    other = replace(current, name="8.5", channels=())
    versions = (
        xenserver.versions[0],
        replace(current, channels=(*current.channels, *extra)),
        other,
        *xenserver.versions[2:],
    )
    catalog = catalog.with_product(replace(xenserver, versions=versions))
    bulletin = published(
        catalog,
        kind=BulletinKind.VEX,
        affected=(VersionRef(demo.XENSERVER, "8.2"), VersionRef(demo.XENSERVER, "8.4")),
        under_investigation=(VersionRef(demo.XENSERVER, "8.5"),),
        fixes=(
            Fix(
                ChannelRef(demo.XENSERVER, "8.4", "Early Access"),
                release="8.4.2026-03-19",
                restart=Restart.MACHINE,
                mitigation="Limit VM memory.",
            ),
            Fix(ChannelRef(demo.XENSERVER, "8.4", "Normal"), workaround="Disable *scrub*."),
            Fix(ChannelRef(demo.XENSERVER, "8.4", "LTSR"), no_fix=NoFix.NONE_AVAILABLE),
            Fix(
                ChannelRef(demo.XENSERVER, "8.4", "Legacy"),
                no_fix=NoFix.NO_FIX_PLANNED,
                no_fix_reason="The channel closes in May.",
                url="https://example.com/kb/legacy",
            ),
        ),
    )
    return bulletin, catalog
