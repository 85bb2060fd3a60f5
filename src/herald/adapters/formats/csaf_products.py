"""The CSAF product tree of a bulletin, built from the catalog.

Every affected version is a product, and so is every release that fixes it; each has a
``product_identification_helper`` (``csaf_identity.py``)::

    vendor            Cloud Software Group, Inc.
    └ product_name    XenServer
      ├ product_version 8.4              → product CSAFPID-xenserver-8.4
      └ product_version 8.4
        ├ product_family  Early Access
        │ └ patch_level   8.4.2026-03-19 → product CSAFPID-xenserver-8.4-early-access-8.4.2026-03-19
        └ product_family  Normal
          └ patch_level   8.4.2026-03-24 → product CSAFPID-xenserver-8.4-normal-8.4.2026-03-24

A CSAF branch holds either a product or further branches, never both, so the version
as a whole and its channels are two sibling ``product_version`` branches of the same
name. Along every path the categories ``vendor`` → ``product_name`` →
``product_version`` appear in that order (CSAF 2.0 test 6.3.9) and no category but
``product_family`` appears twice (CSAF 2.1's "stacked branch categories" test). Only
products the document refers to are in the tree (CSAF 2.0 test 6.2.1).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from herald.adapters.formats.csaf_identity import CatalogUris, identification_helper
from herald.adapters.formats.csaf_versions import CsafVersion
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog, ChannelRef, Product, VersionRef
from herald.domain.errors import NotFound
from herald.domain.identity import NO_IDENTITY, ProductIdentity
from herald.domain.publisher import Publisher

_NOT_ID = re.compile(r"[^a-z0-9.]+")


@dataclass(frozen=True)
class FixedRelease:
    """A release that fixes one affected channel, as a product of the tree."""

    channel: ChannelRef
    release: str
    product_id: str


@dataclass(frozen=True)
class ProductTree:
    """The ``/product_tree`` object and the product ids the vulnerabilities refer to."""

    tree: dict[str, Any]
    versions: Mapping[VersionRef, str]
    """The product id of each affected version, in the bulletin's order."""
    releases: tuple[FixedRelease, ...]
    """The fixed releases, in the order of the bulletin's fixes."""

    def release_id(self, channel: ChannelRef, release: str) -> str:
        for fixed in self.releases:
            if fixed.channel == channel and fixed.release == release:
                return fixed.product_id
        raise KeyError(f"{channel} {release}")


def build_product_tree(
    bulletin: Bulletin,
    catalog: Catalog,
    publisher: Publisher,
    uris: CatalogUris,
    version: CsafVersion = CsafVersion.V2_0,
) -> ProductTree:
    """The tree of the bulletin's affected versions and fixed releases."""
    ids = _Ids()
    versions = {ref: ids.allocate(ref.product, ref.version) for ref in bulletin.affected}
    releases = tuple(
        FixedRelease(
            fix.channel,
            fix.release,
            ids.allocate(
                fix.channel.product, fix.channel.version, fix.channel.channel, fix.release
            ),
        )
        for fix in bulletin.fixes
        if fix.release is not None
    )
    product_branches = []
    for product_id in dict.fromkeys(ref.product for ref in bulletin.affected):
        product = catalog.product(product_id)
        version_branches: list[dict[str, Any]] = []
        for ref, pid in versions.items():
            if ref.product != product_id:
                continue
            helper = identification_helper(
                _version_identity(product, ref.version),
                uris.version(product.id, ref.version),
                uris,
                version,
            )
            version_branches.append(
                _leaf("product_version", ref.version, f"{product.name} {ref.version}", pid, helper)
            )
            channels = _channel_branches(product, ref, releases, uris, version)
            if channels:
                version_branches.append(
                    {"category": "product_version", "name": ref.version, "branches": channels}
                )
        product_branches.append(
            {"category": "product_name", "name": product.name, "branches": version_branches}
        )
    tree: dict[str, Any] = {}
    if product_branches:
        tree["branches"] = [
            {"category": "vendor", "name": publisher.name, "branches": product_branches}
        ]
    return ProductTree(tree, versions, releases)


def _channel_branches(
    product: Product,
    ref: VersionRef,
    releases: tuple[FixedRelease, ...],
    uris: CatalogUris,
    version: CsafVersion,
) -> list[dict[str, Any]]:
    by_channel: dict[str, list[FixedRelease]] = {}
    for fixed in releases:
        if fixed.channel.version_ref == ref:
            by_channel.setdefault(fixed.channel.channel, []).append(fixed)
    return [
        {
            "category": "product_family",
            "name": channel,
            "branches": [
                _leaf(
                    "patch_level",
                    fixed.release,
                    f"{product.name} {ref.version} {channel} {fixed.release}",
                    fixed.product_id,
                    identification_helper(
                        _release_identity(product, fixed.channel, fixed.release),
                        uris.release(product.id, ref.version, channel, fixed.release),
                        uris,
                        version,
                    ),
                )
                for fixed in fixes
            ],
        }
        for channel, fixes in by_channel.items()
    ]


def _version_identity(product: Product, name: str) -> ProductIdentity:
    try:
        return product.version(name).identity
    except NotFound:
        return NO_IDENTITY


def _release_identity(product: Product, channel: ChannelRef, release: str) -> ProductIdentity:
    try:
        return product.version(channel.version).channel(channel.channel).release(release).identity
    except NotFound:
        return NO_IDENTITY


def _leaf(
    category: str, name: str, full_name: str, product_id: str, helper: dict[str, Any]
) -> dict[str, Any]:
    return {
        "category": category,
        "name": name,
        "product": {
            "name": full_name,
            "product_id": product_id,
            "product_identification_helper": helper,
        },
    }


class _Ids:
    """Readable, unique product ids: ``CSAFPID-`` and the lower-case path, joined by ``-``."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def allocate(self, *parts: str) -> str:
        slug = "-".join(_NOT_ID.sub("-", part.lower()).strip("-") or "x" for part in parts)
        candidate, number = f"CSAFPID-{slug}", 1
        while candidate in self._taken:
            number += 1
            candidate = f"CSAFPID-{slug}-{number}"
        self._taken.add(candidate)
        return candidate
