"""The catalog: products, their versions and lifecycle, update channels and releases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from herald.domain.components import ProductComponent, check_components
from herald.domain.errors import NotFound, ValidationError
from herald.domain.identity import NO_IDENTITY, ProductIdentity
from herald.domain.ids import ProductId
from herald.domain.text import check_text
from herald.domain.urls import checked_web_url


class Lifecycle(StrEnum):
    """Where a version stands. Only supported versions are covered by bulletins."""

    PREVIEW = "preview"
    SUPPORTED = "supported"
    END_OF_LIFE = "end_of_life"

    @property
    def covered(self) -> bool:
        return self is Lifecycle.SUPPORTED


@dataclass(frozen=True)
class Component:
    """A piece of software a release ships, such as ``xen-hypervisor 4.17.5-20``."""

    name: str
    """The component's package or module name: the id of one of the product's
    components when the product declares any (``Product.components``)."""
    version: str
    """The component's version in that release."""


@dataclass(frozen=True)
class Release:
    """One dated update shipped on a channel."""

    name: str
    """The release's version string, unique within its channel."""
    released_on: date
    """The day it shipped."""
    components: tuple[Component, ...] = ()
    """The component versions it ships."""
    hidden: bool = False
    """Hidden until a public bulletin names it (``public_catalog``): staff see it, the
    public does not."""
    identity: ProductIdentity = NO_IDENTITY
    """Its own identifiers (CPE, purls, hashes, ...), when it has any."""


@dataclass(frozen=True)
class UpdateChannel:
    """A stream of releases for one version, e.g. "Early Access" or "Normal"."""

    name: str
    """The channel's display name, unique within its version."""
    releases: tuple[Release, ...] = ()
    """Its releases, in the order they shipped."""
    hidden: bool = False
    """Hidden until a public bulletin names it (``public_catalog``): staff see it, the
    public does not."""

    def release(self, name: str) -> Release:
        for release in self.releases:
            if release.name == name:
                return release
        raise NotFound(f"no release {name!r} on channel {self.name!r}")

    @property
    def latest_release(self) -> Release | None:
        if not self.releases:
            return None
        return max(self.releases, key=lambda release: release.released_on)


@dataclass(frozen=True)
class ProductVersion:
    """A release stream of a product, such as XenServer "8.4"."""

    name: str
    """The version's name, unique within its product."""
    lifecycle: Lifecycle
    """Preview, supported or end of life."""
    lifecycle_label: str | None = None
    """How the vendor names the state in prose, e.g. "Public Preview"."""
    channels: tuple[UpdateChannel, ...] = ()
    """Its update channels."""
    hidden: bool = False
    """Hidden until a public bulletin names it (``public_catalog``): staff see it, the
    public does not."""
    identity: ProductIdentity = NO_IDENTITY
    """How customers' tools recognise it: CPE, purls, hashes, model numbers, ..."""

    def channel(self, name: str) -> UpdateChannel:
        for channel in self.channels:
            if channel.name == name:
                return channel
        raise NotFound(f"no channel {name!r} in version {self.name!r}")

    @property
    def state_label(self) -> str:
        if self.lifecycle_label:
            return self.lifecycle_label
        return {
            Lifecycle.PREVIEW: "Preview",
            Lifecycle.SUPPORTED: "Supported",
            Lifecycle.END_OF_LIFE: "End of Life",
        }[self.lifecycle]


@dataclass(frozen=True)
class Product:
    """A product the publisher issues bulletins about."""

    id: ProductId
    """Short, stable key, e.g. ``xenserver``."""
    name: str
    """Display name, e.g. "XenServer"."""
    versions: tuple[ProductVersion, ...] = ()
    """Its versions, oldest first."""
    update_instructions_url: str | None = None
    """Where customers learn to update this product; the publisher's URL when absent."""
    hidden: bool = False
    """Hidden until a public bulletin names it (``public_catalog``): staff see it, the
    public does not."""
    components: tuple[ProductComponent, ...] = ()
    """The pieces it includes (libraries, kernels, firmware), which releases name."""

    def __post_init__(self) -> None:
        if self.update_instructions_url is not None:
            checked_web_url(self.update_instructions_url, "update_instructions_url")

    def version(self, name: str) -> ProductVersion:
        for version in self.versions:
            if version.name == name:
                return version
        raise NotFound(f"no version {name!r} of product {self.id!r}")


@dataclass(frozen=True, order=True)
class VersionRef:
    """Names one version of one product."""

    product: ProductId
    version: str

    def __str__(self) -> str:
        return f"{self.product} {self.version}"


@dataclass(frozen=True, order=True)
class ChannelRef:
    """Names one update channel of one version."""

    product: ProductId
    version: str
    channel: str

    @property
    def version_ref(self) -> VersionRef:
        return VersionRef(self.product, self.version)

    def __str__(self) -> str:
        return f"{self.product} {self.version} / {self.channel}"


ReleaseRef = tuple[ChannelRef, str]
"""Names one release: its channel and its name."""


@dataclass(frozen=True)
class CatalogReferences:
    """The catalog entries some bulletins name (``of`` adds what each name implies).

    A bulletin names the product and version of every affected version and of every
    version it does not cover, the channel of every fix, and the release of every fix
    that has one. Naming an entry names the entries above it: a release names its
    channel, a channel its version, a version its product.
    """

    products: frozenset[ProductId] = frozenset()
    versions: frozenset[VersionRef] = frozenset()
    channels: frozenset[ChannelRef] = frozenset()
    releases: frozenset[ReleaseRef] = frozenset()

    @classmethod
    def of(
        cls,
        versions: Iterable[VersionRef] = (),
        channels: Iterable[ChannelRef] = (),
        releases: Iterable[ReleaseRef] = (),
    ) -> CatalogReferences:
        """The references to ``versions``, ``channels`` and ``releases`` and to every
        entry above them."""
        named_releases = frozenset(releases)
        named_channels = frozenset(channels) | {channel for channel, _ in named_releases}
        named_versions = frozenset(versions) | {c.version_ref for c in named_channels}
        return cls(
            products=frozenset(v.product for v in named_versions),
            versions=named_versions,
            channels=named_channels,
            releases=named_releases,
        )


@dataclass(frozen=True)
class NotCovered:
    """A version a bulletin does not cover, and why (preview or end of life)."""

    version: VersionRef
    """The version left out."""
    lifecycle: Lifecycle
    """Its state when the bulletin said so: preview or end of life."""
    label: str
    """The vendor's words for that state, e.g. "Public Preview"."""


@dataclass(frozen=True)
class Catalog:
    """Every product the publisher has, looked up by id."""

    products: tuple[Product, ...] = field(default_factory=tuple)
    """The products, in display order."""

    def product(self, product_id: str) -> Product:
        for product in self.products:
            if product.id == product_id:
                return product
        raise NotFound(f"no product {product_id!r}")

    def version(self, ref: VersionRef) -> ProductVersion:
        return self.product(ref.product).version(ref.version)

    def channel(self, ref: ChannelRef) -> UpdateChannel:
        return self.version(ref.version_ref).channel(ref.channel)

    def display_name(self, ref: VersionRef) -> str:
        return f"{self.product(ref.product).name} {ref.version}"

    def channels_of(self, ref: VersionRef) -> tuple[ChannelRef, ...]:
        version = self.version(ref)
        return tuple(ChannelRef(ref.product, ref.version, c.name) for c in version.channels)

    @property
    def has_hidden(self) -> bool:
        """Whether any entry is marked hidden (``public_catalog`` has work to do)."""
        return any(
            product.hidden
            or any(
                version.hidden
                or any(
                    channel.hidden or any(release.hidden for release in channel.releases)
                    for channel in version.channels
                )
                for version in product.versions
            )
            for product in self.products
        )

    def with_product(self, product: Product) -> Catalog:
        """A catalog where ``product`` replaces the product of the same id, or is added."""
        others = tuple(p for p in self.products if p.id != product.id)
        if len(others) == len(self.products):
            return Catalog((*self.products, product))
        return Catalog(tuple(product if p.id == product.id else p for p in self.products))


# --- what the public sees of the catalog ---------------------------------------------------


def public_catalog(catalog: Catalog, named: CatalogReferences) -> Catalog:
    """The catalog as the public sees it, given what the public bulletins name.

    An entry is public when it is not hidden or a public bulletin names it, and the
    entry above it is public: a hidden product hides its versions, a hidden version its
    channels, a hidden channel its releases, whatever their own flag says. Entries that
    are not public are left out; the others keep their order, none marked hidden.
    """
    if not catalog.has_hidden:
        return catalog
    products = []
    for product in revealed(catalog, named).products:
        if product.hidden:
            continue
        versions = []
        for version in product.versions:
            if version.hidden:
                continue
            channels = tuple(
                replace(channel, releases=tuple(r for r in channel.releases if not r.hidden))
                for channel in version.channels
                if not channel.hidden
            )
            versions.append(replace(version, channels=channels))
        products.append(replace(product, versions=tuple(versions)))
    return Catalog(tuple(products))


def revealed(catalog: Catalog, named: CatalogReferences) -> Catalog:
    """``catalog`` with every entry ``named`` no longer marked hidden: what the rules for a
    bulletin read (an entry a public bulletin names is public, whatever its flag says).

    Every entry stays; only the flags change: what is still marked hidden is what the
    public does not see (with the entries under it).
    """
    if not catalog.has_hidden:
        return catalog

    def still_hidden(hidden: bool, is_named: bool) -> bool:
        return hidden and not is_named

    products = []
    for product in catalog.products:
        versions = []
        for version in product.versions:
            channels = []
            for channel in version.channels:
                c_ref = ChannelRef(product.id, version.name, channel.name)
                releases = tuple(
                    replace(
                        release,
                        hidden=still_hidden(
                            release.hidden, (c_ref, release.name) in named.releases
                        ),
                    )
                    for release in channel.releases
                )
                channels.append(
                    replace(
                        channel,
                        releases=releases,
                        hidden=still_hidden(channel.hidden, c_ref in named.channels),
                    )
                )
            v_ref = VersionRef(product.id, version.name)
            versions.append(
                replace(
                    version,
                    channels=tuple(channels),
                    hidden=still_hidden(version.hidden, v_ref in named.versions),
                )
            )
        products.append(
            replace(
                product,
                versions=tuple(versions),
                hidden=still_hidden(product.hidden, product.id in named.products),
            )
        )
    return Catalog(tuple(products))


def check_product(product: Product) -> None:
    """Names must be unique at every level of a product; raises the first problem found."""
    if not product.name.strip():
        raise ValidationError("name", "must not be empty")
    check_text(product.name, "name", one_line=True)
    _unique((v.name for v in product.versions), "versions")
    for v_index, version in enumerate(product.versions):
        where = f"versions[{v_index}]"
        if not version.name.strip():
            raise ValidationError(f"{where}.name", "must not be empty")
        check_text(version.name, f"{where}.name", one_line=True)
        if version.lifecycle_label is not None:
            check_text(version.lifecycle_label, f"{where}.lifecycle_label", one_line=True)
        _unique((c.name for c in version.channels), f"{where}.channels")
        for c_index, channel in enumerate(version.channels):
            c_where = f"{where}.channels[{c_index}]"
            if not channel.name.strip():
                raise ValidationError(f"{c_where}.name", "must not be empty")
            check_text(channel.name, f"{c_where}.name", one_line=True)
            _unique((r.name for r in channel.releases), f"{c_where}.releases")
            for r_index, release in enumerate(channel.releases):
                r_where = f"{c_where}.releases[{r_index}]"
                check_text(release.name, f"{r_where}.name", one_line=True)
                for k_index, component in enumerate(release.components):
                    k_where = f"{r_where}.components[{k_index}]"
                    check_text(component.name, f"{k_where}.name", one_line=True)
                    check_text(component.version, f"{k_where}.version", one_line=True)
    check_components(product)


def _unique(names: Iterable[str], field_name: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValidationError(field_name, f"{name!r} appears twice")
        seen.add(name)
