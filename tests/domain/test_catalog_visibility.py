"""Catalog entries hidden until a public bulletin names them (security finding 13.3):
``public_catalog`` keeps what the public may see, ``revealed`` what the rules read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from herald import demo
from herald.domain import (
    Catalog,
    ChannelRef,
    Fix,
    Lifecycle,
    NotCovered,
    Product,
    ProductId,
    ProductVersion,
    Release,
    UpdateChannel,
    ValidationError,
    VersionRef,
)
from herald.domain.bulletin import named_by
from herald.domain.catalog import CatalogReferences, public_catalog, revealed
from herald.domain.catalog_editing import with_hidden, with_release_changed
from herald.domain.errors import RuleViolation
from herald.domain.workflow import check_publishable, not_covered

from .builders import content, published

XS = demo.XENSERVER
DAY = date(2026, 11, 2)
NOTHING = CatalogReferences()


def _catalog() -> Catalog:
    """The demo catalog plus a hidden release, channel, version and product:

    - 8.4 / Normal: release ``8.4.hidden`` (hidden);
    - 8.4: channel ``Hotfix`` (hidden) with release ``8.4.hf1`` (not hidden);
    - version ``10`` (hidden, supported) with channel ``Normal`` and release ``10.0``;
    - product ``secret`` (hidden) with version ``1`` and channel ``Normal``.
    """
    server = demo.catalog().product(XS)
    v84 = server.version("8.4")
    normal = v84.channel("Normal")
    normal = replace(normal, releases=(*normal.releases, Release("8.4.hidden", DAY, hidden=True)))
    hotfix = UpdateChannel("Hotfix", (Release("8.4.hf1", DAY),), hidden=True)
    v84 = replace(v84, channels=(v84.channel("Early Access"), normal, hotfix))
    v10 = ProductVersion(
        "10",
        Lifecycle.SUPPORTED,
        channels=(UpdateChannel("Normal", (Release("10.0", DAY),)),),
        hidden=True,
    )
    server = replace(server, versions=(v84, server.version("9"), v10))
    secret = Product(
        ProductId("secret"),
        "Secret Appliance",
        (ProductVersion("1", Lifecycle.SUPPORTED, channels=(UpdateChannel("Normal"),)),),
        hidden=True,
    )
    return Catalog((server, secret))


def _names(catalog: Catalog) -> set[str]:
    """Every entry of ``catalog`` as a path: ``product``, ``product/version``, ..."""
    found: set[str] = set()
    for product in catalog.products:
        found.add(product.id)
        for version in product.versions:
            found.add(f"{product.id}/{version.name}")
            for channel in version.channels:
                found.add(f"{product.id}/{version.name}/{channel.name}")
                for release in channel.releases:
                    found.add(f"{product.id}/{version.name}/{channel.name}/{release.name}")
    return found


DEMO = {
    "xenserver",
    "xenserver/8.4",
    "xenserver/8.4/Early Access",
    "xenserver/8.4/Early Access/8.4.2026-03-19",
    "xenserver/8.4/Normal",
    "xenserver/8.4/Normal/8.4.2026-03-24",
    "xenserver/9",
}


def test_without_hidden_entries_the_catalog_is_the_public_one() -> None:
    catalog = demo.catalog()
    assert not catalog.has_hidden
    assert public_catalog(catalog, NOTHING) is catalog
    assert revealed(catalog, NOTHING) is catalog


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (Release("r", DAY, hidden=True), True),
        (UpdateChannel("c", hidden=True), True),
        (ProductVersion("v", Lifecycle.SUPPORTED, hidden=True), True),
        (Release("r", DAY), False),
    ],
)
def test_has_hidden_looks_at_every_level(
    entry: Release | UpdateChannel | ProductVersion, expected: bool
) -> None:
    if isinstance(entry, Release):
        entry = UpdateChannel("c", (entry,))
    if isinstance(entry, UpdateChannel):
        entry = ProductVersion("v", Lifecycle.SUPPORTED, channels=(entry,))
    catalog = Catalog((Product(ProductId("p"), "P", (entry,)),))
    assert catalog.has_hidden is expected
    assert Catalog((Product(ProductId("p"), "P", hidden=True),)).has_hidden


def test_nothing_hidden_shows_before_a_bulletin_names_it() -> None:
    """Hidden children of a public parent are left out; a hidden parent hides its
    children even when they are not hidden themselves."""
    public = public_catalog(_catalog(), NOTHING)
    assert _names(public) == DEMO
    assert public == demo.catalog()


def test_an_affected_version_is_named() -> None:
    bulletin = replace(published(), affected=(VersionRef(XS, "8.4"), VersionRef(XS, "10")))
    named = named_by([bulletin])
    names = _names(public_catalog(_catalog(), named))
    assert names == DEMO | {"xenserver/10", "xenserver/10/Normal", "xenserver/10/Normal/10.0"}


def test_a_fix_names_its_channel() -> None:
    named = CatalogReferences.of(channels=[ChannelRef(XS, "8.4", "Hotfix")])
    names = _names(public_catalog(_catalog(), named))
    assert names == DEMO | {"xenserver/8.4/Hotfix", "xenserver/8.4/Hotfix/8.4.hf1"}


def test_a_fix_names_its_release_and_every_entry_above_it() -> None:
    bulletin = published()
    fixes = (
        bulletin.fixes[0],
        Fix(ChannelRef(XS, "8.4", "Normal"), release="8.4.hidden"),
        Fix(ChannelRef(XS, "10", "Normal"), mitigation="Turn it off."),
    )
    named = replace(bulletin, fixes=fixes).catalog_references
    assert named.versions >= {VersionRef(XS, "8.4"), VersionRef(XS, "10")}
    names = _names(public_catalog(_catalog(), named))
    assert names == DEMO | {
        "xenserver/8.4/Normal/8.4.hidden",
        "xenserver/10",
        "xenserver/10/Normal",
        "xenserver/10/Normal/10.0",
    }
    normal = public_catalog(_catalog(), named).channel(ChannelRef(XS, "8.4", "Normal"))
    assert [r.name for r in normal.releases] == ["8.4.2026-03-24", "8.4.hidden"]


def test_a_version_a_bulletin_does_not_cover_is_named() -> None:
    bulletin = replace(
        published(),
        not_covered=(NotCovered(VersionRef(ProductId("secret"), "1"), Lifecycle.PREVIEW, "x"),),
    )
    names = _names(public_catalog(_catalog(), named_by([bulletin])))
    assert names == DEMO | {"secret", "secret/1", "secret/1/Normal"}


def test_a_release_on_a_channel_of_a_hidden_version_needs_the_version_named() -> None:
    """Names are full paths: naming release 10.0 names version 10 (a reference to a
    hidden entry's child can only come with the entry itself)."""
    named = CatalogReferences.of(releases=[(ChannelRef(XS, "10", "Normal"), "10.0")])
    assert VersionRef(XS, "10") in named.versions and XS in named.products
    assert "xenserver/10/Normal/10.0" in _names(public_catalog(_catalog(), named))


def test_revealed_keeps_every_entry_and_clears_the_flag_of_named_ones() -> None:
    catalog = _catalog()
    named = CatalogReferences.of(releases=[(ChannelRef(XS, "8.4", "Normal"), "8.4.hidden")])
    seen = revealed(catalog, named)
    assert _names(seen) == _names(catalog)
    normal = seen.channel(ChannelRef(XS, "8.4", "Normal"))
    assert not normal.release("8.4.hidden").hidden
    assert seen.channel(ChannelRef(XS, "8.4", "Hotfix")).hidden
    assert seen.version(VersionRef(XS, "10")).hidden
    assert seen.product("secret").hidden
    assert public_catalog(seen, named) == public_catalog(catalog, named)
    assert public_catalog(seen, NOTHING) == public_catalog(catalog, named)
    assert not public_catalog(catalog, named).has_hidden


def test_a_hidden_preview_version_is_not_noted_until_it_is_public() -> None:
    catalog = _catalog()
    preview = replace(catalog.product(XS).version("9"), hidden=True)
    server = catalog.product(XS)
    server = replace(
        server, versions=tuple(preview if v.name == "9" else v for v in server.versions)
    )
    hidden = catalog.with_product(server)
    body = content()
    assert [n.version.version for n in not_covered(body, catalog)] == ["9"]
    assert not_covered(body, hidden) == ()
    shown = revealed(hidden, CatalogReferences.of([VersionRef(XS, "9")]))
    assert [n.version.version for n in not_covered(body, shown)] == ["9"]
    affecting = content(affected=(VersionRef(XS, "8.4"), VersionRef(XS, "9")))
    assert [n.version.version for n in not_covered(affecting, hidden)] == ["9"]


def test_a_hidden_channel_needs_no_fix_until_it_is_public() -> None:
    catalog, publisher = _catalog(), demo.publisher()
    check_publishable(content(), catalog, publisher)
    shown = revealed(catalog, CatalogReferences.of(channels=[ChannelRef(XS, "8.4", "Hotfix")]))
    with pytest.raises(RuleViolation, match="'Hotfix'"):
        check_publishable(content(), shown, publisher)
    hotfix = Fix(ChannelRef(XS, "8.4", "Hotfix"), release="8.4.hf1")
    check_publishable(content(fixes=(*content().fixes, hotfix)), shown, publisher)


def test_with_hidden_marks_one_entry() -> None:
    server = demo.catalog().product(XS)
    assert with_hidden(server, True).hidden
    assert with_hidden(server, True, "9").version("9").hidden
    channel = with_hidden(server, True, "8.4", "Normal").version("8.4").channel("Normal")
    assert channel.hidden and not channel.releases[0].hidden
    marked = with_hidden(server, True, "8.4", "Normal", "8.4.2026-03-24")
    assert marked.version("8.4").channel("Normal").release("8.4.2026-03-24").hidden
    assert with_hidden(marked, False, "8.4", "Normal", "8.4.2026-03-24") == server
    for args, field in [
        (("8.4", None, "8.4.2026-03-24"), "channel"),
        ((None, "Normal", None), "version"),
        (("8.4", "Normal", "nope"), "release"),
        (("nope", None, None), "version"),
    ]:
        with pytest.raises(ValidationError) as raised:
            with_hidden(server, True, *args)
        assert raised.value.field == field


def test_changing_a_release_keeps_its_visibility() -> None:
    server = with_hidden(demo.catalog().product(XS), True, "8.4", "Normal", "8.4.2026-03-24")
    changed = with_release_changed(server, "8.4", "Normal", Release("8.4.2026-03-24", DAY))
    release = changed.version("8.4").channel("Normal").release("8.4.2026-03-24")
    assert release.hidden and release.released_on == DAY
