"""The CSAF product tree of a bulletin: one product per statement (``stream_products``).

A version the bulletin speaks of as a whole (not affected, under investigation, affected
without channels, or an affected version bulletins do not cover) is a ``product_version``
leaf. An affected channel is a ``product_family`` leaf standing for its releases without
the fix, and each release with the fix is a ``patch_level`` leaf under its channel::

    vendor            Cloud Software Group, Inc.
    └ product_name    XenServer
      ├ product_version 8.2               → CSAFPID-xenserver-8.2         (e.g. not affected)
      └ product_version 8.4
        ├ product_family  Early Access    → CSAFPID-xenserver-8.4-early-access
        ├ product_family  Early Access
        │ └ patch_level   8.4.2026-03-19  → CSAFPID-xenserver-8.4-early-access-8.4.2026-03-19
        ├ product_family  Normal          → CSAFPID-xenserver-8.4-normal
        └ product_family  Normal
          └ patch_level   8.4.2026-03-24  → CSAFPID-xenserver-8.4-normal-8.4.2026-03-24

A CSAF branch holds either a product or further branches, never both, so a channel and
its fixed releases are two sibling ``product_family`` branches of the same name (and a
version with channels is never also a product). Along every path the categories
``vendor`` → ``product_name`` → ``product_version`` appear in that order (CSAF 2.0 test
6.3.9) and no category but ``product_family`` appears twice (CSAF 2.1's "stacked branch
categories" test). Only products a status refers to are in the tree (test 6.2.1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from herald.adapters.formats.stream_products import Level, Statements, StreamProduct
from herald.domain.catalog import VersionRef
from herald.domain.publisher import Publisher

PRODUCT_ID_PREFIX = "CSAFPID-"


@dataclass(frozen=True)
class ProductTree:
    """The ``/product_tree`` object and the product id of every statement's product."""

    tree: dict[str, Any]
    ids: Mapping[StreamProduct, str]

    def id_of(self, product: StreamProduct) -> str:
        return self.ids[product]


def product_id(product: StreamProduct) -> str:
    """``CSAFPID-`` and the product's slug: ``CSAFPID-xenserver-8.4-normal``."""
    return f"{PRODUCT_ID_PREFIX}{product.slug}"


Helper = Callable[[StreamProduct], dict[str, Any]]
"""The ``product_identification_helper`` of a product (``csaf_identity``)."""


def build_product_tree(statements: Statements, publisher: Publisher, helper: Helper) -> ProductTree:
    """The tree of every product the bulletin's statements name, in catalog order; each
    product carries its identification helper."""
    products = statements.products
    ids = {product: product_id(product) for product in products}
    by_product: dict[str, dict[VersionRef, list[StreamProduct]]] = {}
    for product in products:
        versions = by_product.setdefault(product.version.product, {})
        versions.setdefault(product.version, []).append(product)
    product_branches = [
        {
            "category": "product_name",
            "name": next(iter(versions.values()))[0].product_name,
            "branches": [
                branch
                for ref, members in versions.items()
                for branch in _version_branches(ref, members, ids, helper)
            ],
        }
        for versions in by_product.values()
    ]
    tree: dict[str, Any] = {}
    if product_branches:
        tree["branches"] = [
            {"category": "vendor", "name": publisher.name, "branches": product_branches}
        ]
    return ProductTree(tree, ids)


def _version_branches(
    ref: VersionRef,
    members: list[StreamProduct],
    ids: Mapping[StreamProduct, str],
    helper: Helper,
) -> list[dict[str, Any]]:
    branches: list[dict[str, Any]] = [
        _leaf("product_version", ref.version, product, ids[product], helper)
        for product in members
        if product.level is Level.VERSION
    ]
    channels: list[dict[str, Any]] = []
    for product in members:
        if product.level is not Level.CHANNEL or product.channel is None:
            continue
        channels.append(_leaf("product_family", product.channel, product, ids[product], helper))
        releases = [
            _leaf("patch_level", release.release, release, ids[release], helper)
            for release in members
            if release.level is Level.RELEASE
            and release.channel == product.channel
            and release.release is not None
        ]
        if releases:
            channels.append(
                {"category": "product_family", "name": product.channel, "branches": releases}
            )
    if channels:
        branches.append({"category": "product_version", "name": ref.version, "branches": channels})
    return branches


def _leaf(
    category: str, name: str, product: StreamProduct, pid: str, helper: Helper
) -> dict[str, Any]:
    return {
        "category": category,
        "name": name,
        "product": {
            "name": product.name,
            "product_id": pid,
            "product_identification_helper": helper(product),
        },
    }
