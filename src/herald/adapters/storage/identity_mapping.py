"""Identifier rows and component rows to domain objects and back (``tables/identity.py``).

An identity is stored as one row per identifier, in the order of its fields (the CPE,
the purls, the hashes, ...), so reading the rows back by position gives the same
identity. A save rewrites an entry's rows only when its identity changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Protocol, TypeVar

from herald.adapters.storage.tables.catalog import ProductRow
from herald.adapters.storage.tables.identity import (
    ComponentIdentifierRow,
    ProductComponentRow,
)
from herald.domain.components import ComponentKind, ProductComponent
from herald.domain.identity import FileHash, HashAlgorithm, ProductIdentity

Identifier = tuple[str, str, str | None, str | None]
"""One row's ``(kind, value, algorithm, file_name)``."""

_LISTS = (
    ("purl", "purls"),
    ("model_number", "model_numbers"),
    ("sku", "skus"),
    ("serial_number", "serial_numbers"),
    ("sbom_url", "sbom_urls"),
)
"""The kinds of the identity's plain lists, and their fields."""


class IdentifierRow(Protocol):
    """What the three identifier tables share."""

    position: int
    kind: str
    value: str
    algorithm: str | None
    file_name: str | None


_Row = TypeVar("_Row", bound=IdentifierRow)


def identifiers_of(identity: ProductIdentity) -> list[Identifier]:
    """The rows of ``identity``, in the order they are stored."""
    rows: list[Identifier] = []
    if identity.cpe is not None:
        rows.append(("cpe", identity.cpe, None, None))
    rows.extend(("purl", purl, None, None) for purl in identity.purls)
    rows.extend(
        ("hash", h.value, HashAlgorithm(h.algorithm).value, h.file_name) for h in identity.hashes
    )
    for kind, name in _LISTS[1:]:
        rows.extend((kind, value, None, None) for value in getattr(identity, name))
    return rows


def identity_from_rows(rows: Sequence[IdentifierRow]) -> ProductIdentity:
    """The identity the rows (in position order) hold."""
    cpes = [row.value for row in rows if row.kind == "cpe"]
    lists = {name: tuple(row.value for row in rows if row.kind == kind) for kind, name in _LISTS}
    hashes = tuple(
        FileHash(HashAlgorithm(row.algorithm or ""), row.value, row.file_name or "")
        for row in rows
        if row.kind == "hash"
    )
    return ProductIdentity(cpe=cpes[0] if cpes else None, hashes=hashes, **lists)


def sync_identifiers(
    stored: list[_Row], identity: ProductIdentity, new_row: Callable[[], _Row]
) -> None:
    """Make ``stored`` (an owner's identifier rows) hold ``identity``; untouched when it
    already does."""
    wanted = identifiers_of(identity)
    if [(r.kind, r.value, r.algorithm, r.file_name) for r in stored] == wanted:
        return
    rows = []
    for position, (kind, value, algorithm, file_name) in enumerate(wanted):
        row = new_row()
        row.position = position
        row.kind = kind
        row.value = value
        row.algorithm = algorithm
        row.file_name = file_name
        rows.append(row)
    stored[:] = rows


def components_from_rows(row: ProductRow) -> tuple[ProductComponent, ...]:
    """The components of the product ``row``, in its order."""
    return tuple(
        ProductComponent(
            component.id,
            component.name,
            ComponentKind(component.kind),
            identity_from_rows(component.identifiers),
        )
        for component in row.components
    )


def sync_components(row: ProductRow, components: tuple[ProductComponent, ...]) -> None:
    """Insert new, update changed and delete removed component rows of ``row``, by id."""
    stored = {component.id: component for component in row.components}
    rows: list[ProductComponentRow] = []
    for position, component in enumerate(components):
        c_row = stored.get(component.id) or ProductComponentRow(product_id=row.id, id=component.id)
        c_row.position = position
        c_row.name = component.name
        c_row.kind = ComponentKind(component.kind).value
        sync_identifiers(
            c_row.identifiers,
            component.identity,
            partial(ComponentIdentifierRow, product_id=row.id, component_id=component.id),
        )
        rows.append(c_row)
    if row.components != rows:
        row.components[:] = rows
