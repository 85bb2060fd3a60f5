"""The product tree: which herald product, version, channel and release each id names.

A product in ``/product_tree/branches`` whose path has a ``product_name`` and a
``product_version`` is a version of a herald product (matched by name, or created); a
``product_family`` below the version names an update channel, and a ``patch_level``
(or ``service_pack``) below that a release: the shape herald exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from herald.adapters.csaf_import.identifiers import identity_of
from herald.adapters.csaf_import.state import Plan, items
from herald.domain.catalog import Lifecycle, Product, ProductVersion, VersionRef
from herald.domain.identity import NO_IDENTITY, ProductIdentity
from herald.domain.ids import ProductId

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Leaf:
    """A product of the tree, located by the branch categories on its path."""

    product_id: str
    product: str | None
    version: str | None
    channel: str | None
    release: str | None
    identity: ProductIdentity = NO_IDENTITY
    """What its ``product_identification_helper`` gives (for the entry it creates)."""


def leaves(tree: object, plan: Plan) -> list[Leaf]:
    """Every product of the branches; what lies outside them goes to the report."""
    if not isinstance(tree, Mapping):
        return []
    found: list[Leaf] = []
    for path, product in _walk(tree.get("branches"), ()):
        categories = dict(path)
        product_id = product.get("product_id")
        if not isinstance(product_id, str):
            continue
        found.append(
            Leaf(
                product_id,
                categories.get("product_name"),
                categories.get("product_version") or categories.get("product_version_range"),
                categories.get("product_family") if "product_version" in categories else None,
                categories.get("patch_level") or categories.get("service_pack"),
                identity_of(product.get("product_identification_helper"), product_id, plan),
            )
        )
        if "product_version_range" in categories and "product_version" not in categories:
            plan.note(
                f"{product_id}: the version range {categories['product_version_range']!r} "
                "is kept as a version name"
            )
    for product in items(tree, "full_product_names"):
        if isinstance(product, Mapping):
            plan.note(f"{product.get('product_id')}: a product outside the branches; not imported")
    if tree.get("relationships"):
        plan.note(
            f"product_tree.relationships ({len(items(tree, 'relationships'))}): products "
            "combined from others are not imported"
        )
    if tree.get("product_groups"):
        plan.note("product_tree.product_groups: not imported (their products are)")
    return found


def _walk(
    branches: object, path: tuple[tuple[str, str], ...]
) -> Iterator[tuple[tuple[tuple[str, str], ...], Mapping[str, Any]]]:
    if not isinstance(branches, list):
        return
    for branch in branches:
        if not isinstance(branch, Mapping):
            continue
        here = (*path, (str(branch.get("category")), str(branch.get("name"))))
        if isinstance(branch.get("product"), Mapping):
            yield here, branch["product"]
        yield from _walk(branch.get("branches"), here)


def affected_versions(
    product_ids: list[str], by_id: Mapping[str, Leaf], plan: Plan
) -> list[VersionRef]:
    """The versions the affected product ids name, in order, each once."""
    affected: list[VersionRef] = []
    for product_id in dict.fromkeys(product_ids):
        leaf = by_id.get(product_id)
        if leaf is None or leaf.product is None or leaf.version is None:
            plan.note(f"{product_id}: no product name and version in the product tree; dropped")
            continue
        identity = leaf.identity if leaf.release is None else NO_IDENTITY  # a release's own
        ref = version_ref(plan, leaf.product, leaf.version, identity)
        if ref not in affected:
            affected.append(ref)
    return affected


def version_ref(
    plan: Plan, product_name: str, version_name: str, identity: ProductIdentity = NO_IDENTITY
) -> VersionRef:
    """The version, added to the catalog (as supported, hidden until a public bulletin
    names it, with ``identity``) when it is new."""
    product = product_named(plan, product_name)
    if not any(v.name == version_name for v in product.versions):
        version = ProductVersion(version_name, Lifecycle.SUPPORTED, hidden=True, identity=identity)
        product = replace(product, versions=(*product.versions, version))
        plan.note(f"new version {product.name} {version_name} (marked supported; hidden)")
        plan.store(product)
    return VersionRef(product.id, version_name)


def product_named(plan: Plan, name: str) -> Product:
    """The catalog's product of that name, or a new one with a free id made from it
    (hidden until a public bulletin names it)."""
    for product in plan.catalog.products:
        if product.name == name:
            return product
    slug = _SLUG.sub("-", name.lower()).strip("-")[:60].strip("-") or "product"
    taken = {p.id for p in plan.catalog.products}
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    product = Product(ProductId(candidate), name, hidden=True)
    plan.note(f"new product {name} (id {candidate}; hidden)")
    plan.store(product)
    return product
