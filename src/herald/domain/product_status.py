"""The status of every supported version and update channel a bulletin is about, derived.

Authors state what only they know: the affected versions, each channel's fix, the
versions not affected (with a VEX justification) and those under investigation. From
these and the catalog, ``derive_status`` gives each *stream* — one update channel of
one supported version, or the version itself when it has no channels — exactly one
status:

- ``fixed``: the channel has a release with the fix. Its releases before that one are
  affected, that one is the first fixed, it and the later ones are fixed, and the
  newest of them is the one to install (``recommended``);
- ``known_affected``: the version is affected and the channel has no fixed release
  (yet, or ever: its remedy says which, and what to do meanwhile);
- ``known_not_affected``: the author stated it, with a justification and an impact
  statement;
- ``under_investigation``: the author said so, or said nothing of this supported
  version of a product the bulletin is about.

Versions that bulletins do not cover (preview, end of life) are listed apart as
``unsupported``: they are never reported not affected, whatever is known of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from herald.domain.bulletin import BulletinContent, Fix
from herald.domain.catalog import Catalog, ChannelRef, Lifecycle, Release, VersionRef
from herald.domain.statements import NotAffected


class ProductStatus(StrEnum):
    """What a bulletin says of one stream."""

    FIXED = "fixed"
    KNOWN_AFFECTED = "known_affected"
    KNOWN_NOT_AFFECTED = "known_not_affected"
    UNDER_INVESTIGATION = "under_investigation"

    @property
    def label(self) -> str:
        return {
            ProductStatus.FIXED: "Fixed",
            ProductStatus.KNOWN_AFFECTED: "Affected",
            ProductStatus.KNOWN_NOT_AFFECTED: "Not affected",
            ProductStatus.UNDER_INVESTIGATION: "Under investigation",
        }[self]


@dataclass(frozen=True)
class StreamStatus:
    """The derived status of one update channel of one supported version."""

    version: VersionRef
    channel: str | None
    """The update channel; None for a version without channels."""
    status: ProductStatus
    first_fixed: str | None = None
    """The first release on the channel with the fix (status ``fixed``)."""
    fixed_releases: tuple[str, ...] = ()
    """The first fixed release and every later one on the channel, oldest first."""
    affected_releases: tuple[str, ...] = ()
    """The channel's releases that have the vulnerability, oldest first: those before
    the first fixed one, or all of them when the channel has no fix."""
    recommended: str | None = None
    """The release to install: the newest fixed release on the channel."""
    remedy: Fix | None = None
    """The bulletin's remedy for this channel, when it gives one."""
    not_affected: NotAffected | None = None
    """The author's statement (status ``known_not_affected``)."""

    @property
    def channel_ref(self) -> ChannelRef | None:
        if self.channel is None:
            return None
        return ChannelRef(self.version.product, self.version.version, self.channel)


@dataclass(frozen=True)
class UnsupportedVersion:
    """A version bulletins do not cover: in preview or past its end of life."""

    version: VersionRef
    lifecycle: Lifecycle
    label: str
    """The vendor's words for its state, e.g. "Public Preview"."""
    stated_affected: bool
    """Whether the bulletin lists it among the affected versions."""


@dataclass(frozen=True)
class StatusTable:
    """Every stream of the bulletin's products with its status, and what is unsupported."""

    streams: tuple[StreamStatus, ...]
    """One per channel of every supported version of the bulletin's products, in catalog
    order."""
    unsupported: tuple[UnsupportedVersion, ...]
    """The versions of those products that bulletins do not cover, in catalog order."""

    def stream(self, version: VersionRef, channel: str | None) -> StreamStatus | None:
        for stream in self.streams:
            if stream.version == version and stream.channel == channel:
                return stream
        return None

    def with_status(self, status: ProductStatus) -> tuple[StreamStatus, ...]:
        return tuple(stream for stream in self.streams if stream.status is status)

    def versions_with(self, status: ProductStatus) -> tuple[VersionRef, ...]:
        """The versions with at least one stream of ``status``, in catalog order."""
        return tuple(dict.fromkeys(s.version for s in self.streams if s.status is status))


def products_of(content: BulletinContent) -> tuple[str, ...]:
    """The products a bulletin is about, in the order it first names them."""
    named: Iterable[VersionRef] = (
        *content.affected,
        *(statement.version for statement in content.not_affected),
        *content.under_investigation,
        *(fix.channel.version_ref for fix in content.fixes),
    )
    return tuple(dict.fromkeys(ref.product for ref in named))


def derive_status(content: BulletinContent, catalog: Catalog) -> StatusTable:
    """The status of every stream of the products ``content`` is about.

    ``catalog`` is what the reader may see (the public catalog for a public bulletin, the
    revealed one while authoring): a version or channel still hidden gets no status
    unless the bulletin names it.
    """
    affected = set(content.affected)
    stated = {statement.version: statement for statement in content.not_affected}
    named_channels = {fix.channel for fix in content.fixes}
    remedies = {fix.channel: fix for fix in content.fixes}
    named_versions = affected | set(stated) | set(content.under_investigation)
    streams: list[StreamStatus] = []
    unsupported: list[UnsupportedVersion] = []
    for product_id in products_of(content):
        product = catalog.product(product_id)
        for version in product.versions:
            ref = VersionRef(product.id, version.name)
            if version.hidden and ref not in named_versions:
                continue
            if not version.lifecycle.covered:
                unsupported.append(
                    UnsupportedVersion(ref, version.lifecycle, version.state_label, ref in affected)
                )
                continue
            channels = [
                channel
                for channel in version.channels
                if not channel.hidden
                or ChannelRef(ref.product, ref.version, channel.name) in named_channels
            ]
            if not channels:
                streams.append(_stream(ref, None, (), None, ref in affected, stated.get(ref)))
                continue
            for channel in channels:
                channel_ref = ChannelRef(ref.product, ref.version, channel.name)
                streams.append(
                    _stream(
                        ref,
                        channel.name,
                        _in_order(channel.releases),
                        remedies.get(channel_ref),
                        ref in affected,
                        stated.get(ref),
                    )
                )
    return StatusTable(tuple(streams), tuple(unsupported))


def _in_order(releases: tuple[Release, ...]) -> tuple[Release, ...]:
    """Oldest first: by the day each shipped, then by the catalog's order."""
    ordered = sorted(enumerate(releases), key=lambda item: (item[1].released_on, item[0]))
    return tuple(release for _, release in ordered)


def _stream(
    version: VersionRef,
    channel: str | None,
    releases: tuple[Release, ...],
    remedy: Fix | None,
    is_affected: bool,
    statement: NotAffected | None,
) -> StreamStatus:
    names = tuple(release.name for release in releases if not release.hidden)
    if not is_affected:
        if statement is not None:
            return StreamStatus(
                version, channel, ProductStatus.KNOWN_NOT_AFFECTED, not_affected=statement
            )
        return StreamStatus(version, channel, ProductStatus.UNDER_INVESTIGATION)
    if remedy is None or remedy.release is None:
        return StreamStatus(
            version, channel, ProductStatus.KNOWN_AFFECTED, affected_releases=names, remedy=remedy
        )
    all_names = tuple(release.name for release in releases)
    if remedy.release in all_names:
        index = all_names.index(remedy.release)
        before = tuple(name for name in all_names[:index] if name in names)
        fixed = tuple(name for name in all_names[index:] if name in names or name == remedy.release)
    else:
        before, fixed = names, (remedy.release,)
    return StreamStatus(
        version,
        channel,
        ProductStatus.FIXED,
        first_fixed=remedy.release,
        fixed_releases=fixed,
        affected_releases=before,
        recommended=fixed[-1],
        remedy=remedy,
    )
