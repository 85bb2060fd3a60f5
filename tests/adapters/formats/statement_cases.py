"""Generated public bulletins that say everything a bulletin can say of its versions.

Advisories and VEX statements over varied catalogs (versions supported, in preview or
past their end of life; with or without channels; hidden entries), with affected
versions remedied in every way a ``Fix`` allows, versions stated not affected with each
justification, versions under investigation, and versions the bulletin says nothing of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from herald import demo
from herald.domain import (
    ArticleId,
    Bulletin,
    BulletinContent,
    Catalog,
    ChannelRef,
    CveId,
    Fix,
    Lifecycle,
    Product,
    ProductId,
    ProductVersion,
    Publisher,
    Release,
    UpdateChannel,
    VersionRef,
)
from herald.domain.bulletin import NoFix, Restart
from herald.domain.catalog import public_catalog, revealed
from herald.domain.statements import BulletinKind, Justification, NotAffected
from herald.domain.workflow import new_draft, publish
from tests.strategies import SCORES

DAY = date(2026, 3, 24)
AT = datetime(2026, 3, 24, 16, 0, tzinfo=UTC)
_NAMES = st.sampled_from(["8.4", "9", "Early Access", "Normal", "LTSR", "8.4.2026-03-19", "v2"])


@dataclass(frozen=True)
class StatementCase:
    """A public bulletin, the catalog readers see, and the publisher."""

    bulletin: Bulletin
    catalog: Catalog
    publisher: Publisher


def _names(low: int, high: int) -> st.SearchStrategy[list[str]]:
    return st.lists(_NAMES, min_size=low, max_size=high, unique=True)


@st.composite
def _version(draw: st.DrawFn, name: str, first: bool) -> ProductVersion:
    lifecycle = Lifecycle.SUPPORTED if first else draw(st.sampled_from(Lifecycle))
    channels = []
    for channel in draw(_names(0, 2)):
        releases = tuple(
            Release(release, DAY - timedelta(days=10 - offset), hidden=draw(st.booleans()))
            for offset, release in enumerate(draw(_names(1, 3)))
        )
        channels.append(UpdateChannel(channel, releases))
    return ProductVersion(name, lifecycle, channels=tuple(channels))


@st.composite
def _product(draw: st.DrawFn, product_id: str) -> Product:
    names = draw(_names(1, 3))
    versions = tuple(draw(_version(name, index == 0)) for index, name in enumerate(names))
    return Product(ProductId(product_id), f"Product {product_id}", versions)


@st.composite
def _fix(draw: st.DrawFn, channel: ChannelRef, releases: tuple[Release, ...]) -> Fix:
    text = st.sampled_from(["Turn *the thing* off.", "Block port 80."])
    match draw(st.sampled_from(["release", "mitigation", "workaround", "none", "never"])):
        case "release" if releases:
            return Fix(
                channel,
                release=draw(st.sampled_from(releases)).name,
                mitigation=draw(st.none() | text),
                restart=draw(st.none() | st.sampled_from(Restart)),
                url=draw(st.none() | st.just("https://example.com/kb/1")),
            )
        case "workaround":
            return Fix(channel, workaround=draw(text))
        case "none":
            return Fix(channel, no_fix=NoFix.NONE_AVAILABLE, mitigation=draw(st.none() | text))
        case "never":
            reason = draw(st.none() | st.just("The component is being retired."))
            return Fix(channel, no_fix=NoFix.NO_FIX_PLANNED, no_fix_reason=reason)
        case _:
            return Fix(channel, mitigation=draw(text))


@st.composite
def statement_cases(draw: st.DrawFn) -> StatementCase:
    """A published advisory or VEX statement saying a little of everything."""
    ids = draw(
        st.lists(st.sampled_from(["xenserver", "tools"]), min_size=1, max_size=2, unique=True)
    )
    catalog = Catalog(tuple(draw(_product(pid)) for pid in ids))
    kind = draw(st.sampled_from(BulletinKind))
    affected: list[VersionRef] = []
    not_affected: list[NotAffected] = []
    investigated: list[VersionRef] = []
    fixes: list[Fix] = []
    for product in catalog.products:
        for version in product.versions:
            ref = VersionRef(product.id, version.name)
            roles = ["affected", "nothing"]
            if version.lifecycle.covered:
                roles += ["not affected", "investigated"]
            role = draw(st.sampled_from(roles))
            if role == "affected":
                affected.append(ref)
                if version.lifecycle.covered:
                    for channel in version.channels:
                        channel_ref = ChannelRef(product.id, version.name, channel.name)
                        fixes.append(draw(_fix(channel_ref, channel.releases)))
            elif role == "not affected":
                justification = draw(st.sampled_from(Justification))
                not_affected.append(NotAffected(ref, justification, f"{ref} does not ship it."))
            elif role == "investigated":
                investigated.append(ref)
    supported = [ref for ref in affected if catalog.version(ref).lifecycle.covered]
    if kind is BulletinKind.ADVISORY and not supported:
        first = catalog.products[0]
        ref = VersionRef(first.id, first.versions[0].name)
        not_affected = [s for s in not_affected if s.version != ref]
        investigated = [r for r in investigated if r != ref]
        affected.insert(0, ref)
        fixes.extend(
            draw(_fix(ChannelRef(ref.product, ref.version, c.name), c.releases))
            for c in first.versions[0].channels
        )
    if kind is BulletinKind.VEX and not (supported or not_affected or investigated):
        first = catalog.products[0]
        investigated.append(VersionRef(first.id, first.versions[0].name))
    content = BulletinContent(
        title="Security update",
        severity=draw(st.sampled_from(demo.publisher().severities))
        if kind is BulletinKind.ADVISORY
        else draw(st.none() | st.just("Low")),
        cves=tuple(
            CveId(f"CVE-2026-{n}")
            for n in draw(st.sets(st.integers(1000, 9999), min_size=1, max_size=2))
        ),
        cvss=tuple(
            draw(st.lists(st.sampled_from(SCORES), max_size=2, unique_by=lambda s: s.version))
        ),
        problem="A *problem*.",
        affected=tuple(affected),
        fixes=tuple(fixes),
        kind=kind,
        not_affected=tuple(not_affected),
        under_investigation=tuple(investigated),
    )
    publisher = demo.publisher()
    bulletin = new_draft(ArticleId("CTX100400"), content, catalog, publisher, AT)
    bulletin = publish(bulletin, revealed(catalog, bulletin.catalog_references), publisher, DAY, AT)
    return StatementCase(bulletin, public_catalog(catalog, bulletin.catalog_references), publisher)
