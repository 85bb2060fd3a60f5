"""The components a product is built from: a library, a kernel, a firmware, with their own
identifiers, and the checks that tie a release's component versions to them.

A product declares its components once (``Product.components``); each release lists the
component versions it ships (``Release.components``), naming a declared component by
its id. A product that declares no components keeps the older, free form: a release's
components are then just names and versions. A bulletin says a component is affected as
part of a product version through a ``ComponentRef``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from herald.domain.errors import NotFound, ValidationError
from herald.domain.identity import NO_IDENTITY, ProductIdentity
from herald.domain.ids import ProductId
from herald.domain.text import check_text

if TYPE_CHECKING:
    from herald.domain.catalog import Catalog, Product

COMPONENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")
"""A component's id: a package or module name (letters, digits, ``.``, ``_``, ``+``,
``-``; at most 100 characters)."""


class ComponentKind(StrEnum):
    """What kind of piece a component is."""

    APPLICATION = "application"
    LIBRARY = "library"
    KERNEL = "kernel"
    FIRMWARE = "firmware"
    OTHER = "other"


@dataclass(frozen=True)
class ProductComponent:
    """A piece a product includes, such as the Xen hypervisor in XenServer."""

    id: str
    """Its key within the product, e.g. ``xen-hypervisor``: what releases name."""
    name: str
    """Its display name, e.g. "Xen hypervisor"."""
    kind: ComponentKind = ComponentKind.OTHER
    """Library, kernel, firmware, application or other."""
    identity: ProductIdentity = NO_IDENTITY
    """Its own identifiers (typically a CPE and a purl without a version)."""


@dataclass(frozen=True, order=True)
class ComponentRef:
    """Names one component of one product."""

    product: ProductId
    component: str

    def __str__(self) -> str:
        return f"{self.product} / {self.component}"


def parse_component_id(text: str, field: str = "id") -> str:
    """``text`` without surrounding blanks if it is a component id."""
    value = text.strip()
    if not COMPONENT_ID.fullmatch(value):
        raise ValidationError(
            field,
            f"{value[:100]!r} is not a component id (letters, digits, '.', '_', '+' or '-', "
            "starting with a letter or digit, at most 100 characters)",
        )
    return value


def parse_component_kind(text: str, field: str = "kind") -> ComponentKind:
    """A component kind by its value (``library``, ``kernel``, ...)."""
    try:
        return ComponentKind(text.strip())
    except ValueError:
        choices = ", ".join(kind.value for kind in ComponentKind)
        raise ValidationError(
            field, f"{text[:100]!r} is not a component kind (one of {choices})"
        ) from None


def component_of(product: Product, component_id: str) -> ProductComponent:
    """The component of ``product`` with that id; ``NotFound`` when it has none."""
    for component in product.components:
        if component.id == component_id:
            return component
    raise NotFound(f"no component {component_id!r} in product {product.id!r}")


def find_component(catalog: Catalog, ref: ComponentRef) -> ProductComponent:
    """The component ``ref`` names; ``NotFound`` when the catalog has none."""
    return component_of(catalog.product(ref.product), ref.component)


def shipped_versions(product: Product, version: str, component_id: str) -> tuple[str, ...]:
    """The versions of a component the releases of one product version shipped, in the
    order of the channels and releases, each once."""
    found: dict[str, None] = {}
    for channel in product.version(version).channels:
        for release in channel.releases:
            for shipped in release.components:
                if shipped.name == component_id:
                    found.setdefault(shipped.version)
    return tuple(found)


def check_components(product: Product) -> None:
    """The product's components have unique, valid ids and names (their identifiers are
    checked when made); when the product declares components, each component a release
    ships is one of them."""
    ids: dict[str, int] = {}
    for index, component in enumerate(product.components):
        where = f"components[{index}]"
        parse_component_id(component.id, f"{where}.id")
        if component.id != component.id.strip():
            raise ValidationError(f"{where}.id", "must not start or end with blanks")
        if component.id in ids:
            raise ValidationError(
                f"{where}.id",
                f"{component.id!r} appears twice (also at components[{ids[component.id]}])",
            )
        ids[component.id] = index
        if not component.name.strip():
            raise ValidationError(f"{where}.name", "must not be empty")
        check_text(component.name, f"{where}.name", one_line=True)
        try:
            ComponentKind(component.kind)
        except ValueError:
            parse_component_kind(str(component.kind), f"{where}.kind")
    if not ids:
        return
    for v_index, version in enumerate(product.versions):
        for c_index, channel in enumerate(version.channels):
            for r_index, release in enumerate(channel.releases):
                r_where = f"versions[{v_index}].channels[{c_index}].releases[{r_index}]"
                for k_index, shipped in enumerate(release.components):
                    if shipped.name not in ids:
                        known = ", ".join(sorted(ids))
                        raise ValidationError(
                            f"{r_where}.components[{k_index}].name",
                            f"{shipped.name!r} is not a component of {product.id} "
                            f"(its components: {known})",
                        )
