"""The status of each supported version x channel, derived from a bulletin and the catalog."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herald.demo import catalog as demo_catalog
from herald.demo import publisher as demo_publisher
from herald.demo import reference_bulletin as demo_bulletin
from herald.domain.bulletin import BulletinContent, Fix, NoFix, Restart
from herald.domain.catalog import (
    Catalog,
    ChannelRef,
    Lifecycle,
    Product,
    ProductVersion,
    Release,
    UpdateChannel,
    VersionRef,
)
from herald.domain.errors import RuleViolation, ValidationError
from herald.domain.ids import ProductId, parse_cve_id
from herald.domain.product_status import ProductStatus, derive_status, products_of
from herald.domain.statements import BulletinKind, Justification, NotAffected
from herald.domain.workflow import check_content, check_publishable

XS = ProductId("xenserver")
V84 = VersionRef(XS, "8.4")
V9 = VersionRef(XS, "9")


def test_ctx696397_is_fixed_on_both_channels_and_xenserver_9_is_not_covered() -> None:
    table = derive_status(demo_bulletin().content(), demo_catalog())
    early = table.stream(V84, "Early Access")
    normal = table.stream(V84, "Normal")
    assert early is not None and normal is not None
    assert (early.status, early.first_fixed) == (ProductStatus.FIXED, "8.4.2026-03-19")
    assert (normal.status, normal.first_fixed) == (ProductStatus.FIXED, "8.4.2026-03-24")
    assert early.recommended in early.fixed_releases
    assert early.first_fixed not in early.affected_releases
    assert [u.version for u in table.unsupported] == [V9]
    assert table.unsupported[0].label == "Public Preview"
    assert not table.unsupported[0].stated_affected


def _channel(name: str, releases: list[tuple[str, int]]) -> UpdateChannel:
    start = date(2026, 1, 1)
    return UpdateChannel(
        name,
        tuple(Release(r, start + timedelta(days=day)) for r, day in releases),
    )


def _catalog(*versions: ProductVersion) -> Catalog:
    return Catalog((Product(XS, "XenServer", versions=versions),))


def test_releases_before_the_fix_are_affected_and_the_newest_later_one_is_recommended() -> None:
    channel = _channel("Normal", [("r3", 30), ("r1", 10), ("r2", 20), ("r4", 40)])
    catalog = _catalog(ProductVersion("8.4", Lifecycle.SUPPORTED, channels=(channel,)))
    fix = Fix(ChannelRef(XS, "8.4", "Normal"), release="r2", restart=Restart.MACHINE)
    content = BulletinContent("t", affected=(V84,), fixes=(fix,))
    stream = derive_status(content, catalog).stream(V84, "Normal")
    assert stream is not None
    assert stream.affected_releases == ("r1",)
    assert stream.fixed_releases == ("r2", "r3", "r4")
    assert stream.recommended == "r4"
    assert stream.remedy == fix


def test_a_channel_with_only_a_mitigation_stays_affected_in_every_release() -> None:
    channel = _channel("Normal", [("r1", 1), ("r2", 2)])
    catalog = _catalog(ProductVersion("8.4", Lifecycle.SUPPORTED, channels=(channel,)))
    fix = Fix(ChannelRef(XS, "8.4", "Normal"), mitigation="Turn it off.")
    table = derive_status(BulletinContent("t", affected=(V84,), fixes=(fix,)), catalog)
    stream = table.stream(V84, "Normal")
    assert stream is not None
    assert stream.status is ProductStatus.KNOWN_AFFECTED
    assert stream.affected_releases == ("r1", "r2")
    assert stream.recommended is None


def test_a_version_the_bulletin_says_nothing_of_is_under_investigation() -> None:
    catalog = _catalog(
        ProductVersion("8.2", Lifecycle.SUPPORTED),
        ProductVersion("8.4", Lifecycle.SUPPORTED),
    )
    table = derive_status(BulletinContent("t", affected=(V84,)), catalog)
    other = table.stream(VersionRef(XS, "8.2"), None)
    assert other is not None and other.status is ProductStatus.UNDER_INVESTIGATION


def test_a_vex_statement_says_each_channel_is_not_affected_and_why() -> None:
    statement = NotAffected(V84, Justification.COMPONENT_NOT_PRESENT, "8.4 does not ship libfoo.")
    content = BulletinContent(
        "libfoo",
        kind=BulletinKind.VEX,
        cves=(parse_cve_id("CVE-2026-1111"),),
        problem="A flaw in libfoo.",
        not_affected=(statement,),
    )
    table = derive_status(content, demo_catalog())
    assert {s.channel for s in table.streams} == {"Early Access", "Normal"}
    assert all(s.status is ProductStatus.KNOWN_NOT_AFFECTED for s in table.streams)
    assert all(s.not_affected == statement for s in table.streams)
    check_publishable(content, demo_catalog(), demo_publisher())  # no severity, no fix needed


def test_an_empty_vex_statement_is_not_publishable() -> None:
    content = BulletinContent(
        "libfoo", kind=BulletinKind.VEX, cves=(parse_cve_id("CVE-2026-1111"),), problem="x"
    )
    with pytest.raises(RuleViolation) as raised:
        check_publishable(content, demo_catalog(), demo_publisher())
    assert raised.value.field == "not_affected"


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        (
            BulletinContent(
                "t",
                affected=(V84,),
                not_affected=(NotAffected(V84, Justification.COMPONENT_NOT_PRESENT, "x"),),
            ),
            "not_affected[0]",
            "listed as affected",
        ),
        (
            BulletinContent(
                "t", not_affected=(NotAffected(V9, Justification.COMPONENT_NOT_PRESENT, "x"),)
            ),
            "not_affected[0]",
            "Public Preview",
        ),
        (
            BulletinContent(
                "t",
                not_affected=(
                    NotAffected(VersionRef(XS, "7"), Justification.COMPONENT_NOT_PRESENT, "x"),
                ),
            ),
            "not_affected[0]",
            "no version '7'",
        ),
        (
            BulletinContent("t", affected=(V84,), under_investigation=(V84,)),
            "under_investigation[0]",
            "already stated affected",
        ),
    ],
)
def test_contradicting_statements_are_refused_naming_the_field(
    content: BulletinContent, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        check_content(content, demo_catalog(), demo_publisher())
    assert raised.value.field == field
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "give a fixed release, a mitigation, a workaround or say there is no fix"),
        ({"release": "r1", "no_fix": NoFix.NO_FIX_PLANNED}, "cannot also have no fix"),
        ({"mitigation": "m", "restart": Restart.MACHINE}, "give a release"),
        ({"mitigation": "m", "no_fix_reason": "why"}, "needs no_fix"),
        ({"release": "r1", "url": "ftp://example.com/x"}, "fixes.url"),
    ],
)
def test_a_remedy_that_says_nothing_or_contradicts_itself_is_refused(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Fix(ChannelRef(XS, "8.4", "Normal"), **changes)  # type: ignore[arg-type]


def test_an_impact_statement_is_required() -> None:
    with pytest.raises(ValidationError) as raised:
        NotAffected(V84, Justification.VULNERABLE_CODE_NOT_PRESENT, "  ")
    assert raised.value.field == "not_affected.impact"


# --- properties over random catalogs and bulletins ----------------------------------------

LIFECYCLES = st.sampled_from(list(Lifecycle))


@st.composite
def catalogs_and_bulletins(draw: st.DrawFn) -> tuple[Catalog, BulletinContent]:
    """A product with random versions, channels and releases, and a bulletin that
    states some of its versions affected (with random remedies), not affected or under
    investigation, within the rules ``check_content`` enforces."""
    versions = []
    for v_index in range(draw(st.integers(1, 5))):
        channels = tuple(
            _channel(
                f"c{c_index}",
                [(f"r{r}", draw(st.integers(0, 50))) for r in range(draw(st.integers(0, 4)))],
            )
            for c_index in range(draw(st.integers(0, 3)))
        )
        versions.append(ProductVersion(f"v{v_index}", draw(LIFECYCLES), channels=channels))
    catalog = _catalog(*versions)
    affected, not_affected, investigating, fixes = [], [], [], []
    for version in versions:
        ref = VersionRef(XS, version.name)
        choice = draw(st.sampled_from(["affected", "not", "investigating", "silent"]))
        if choice == "affected":
            affected.append(ref)
            for channel in version.channels:
                releases = [r.name for r in channel.releases]
                kind = draw(st.sampled_from(["release", "mitigation", "no_fix", "none"]))
                channel_ref = ChannelRef(XS, version.name, channel.name)
                if kind == "release" and releases:
                    fixes.append(Fix(channel_ref, release=draw(st.sampled_from(releases))))
                elif kind == "mitigation":
                    fixes.append(Fix(channel_ref, mitigation="m"))
                elif kind == "no_fix":
                    fixes.append(Fix(channel_ref, no_fix=draw(st.sampled_from(list(NoFix)))))
        elif version.lifecycle.covered and choice == "not":
            justification = draw(st.sampled_from(list(Justification)))
            not_affected.append(NotAffected(ref, justification, "impact"))
        elif version.lifecycle.covered and choice == "investigating":
            investigating.append(ref)
    content = BulletinContent(
        "t",
        affected=tuple(affected),
        not_affected=tuple(not_affected),
        under_investigation=tuple(investigating),
        fixes=tuple(fixes),
    )
    return catalog, content


@settings(max_examples=150, deadline=None)
@given(catalogs_and_bulletins())
def test_every_supported_stream_gets_exactly_one_status(
    case: tuple[Catalog, BulletinContent],
) -> None:
    catalog, content = case
    check_content(content, catalog, demo_publisher())
    table = derive_status(content, catalog)
    expected: set[tuple[VersionRef, str | None]] = set()
    for version in catalog.products[0].versions:
        if not version.lifecycle.covered:
            continue
        names: list[str | None] = [c.name for c in version.channels] or [None]
        expected |= {(VersionRef(XS, version.name), name) for name in names}
    if not content.affected and not content.not_affected and not content.under_investigation:
        expected = set()  # the bulletin is about no product yet
    got = [(s.version, s.channel) for s in table.streams]
    assert len(got) == len(set(got)), "a stream got two statuses"
    assert set(got) == expected
    for stream in table.streams:
        if stream.status is ProductStatus.FIXED:
            assert stream.first_fixed == stream.fixed_releases[0]
            assert stream.recommended == stream.fixed_releases[-1]
            assert not set(stream.fixed_releases) & set(stream.affected_releases)
        if stream.status is ProductStatus.KNOWN_NOT_AFFECTED:
            assert stream.not_affected is not None
            assert stream.version not in content.affected


@settings(max_examples=150, deadline=None)
@given(catalogs_and_bulletins())
def test_an_unsupported_version_is_never_not_affected(
    case: tuple[Catalog, BulletinContent],
) -> None:
    catalog, content = case
    table = derive_status(content, catalog)
    unsupported = {u.version for u in table.unsupported}
    for version in catalog.products[0].versions:
        ref = VersionRef(XS, version.name)
        if not version.lifecycle.covered and products_of(content):
            assert ref in unsupported
    assert not unsupported & {s.version for s in table.streams}
    assert not unsupported & set(table.versions_with(ProductStatus.KNOWN_NOT_AFFECTED))
