"""A product's components and the identifiers of catalog entries (public data).

Each identifier is one row: its ``kind`` (``cpe``, ``purl``, ``hash``, ``model_number``,
``sku``, ``serial_number``, ``sbom_url``), its ``value`` and, for a hash, the algorithm
and the file's name. One table per owner (a version, a release, a component), each
with a real composite foreign key to its owner, so an identifier goes with it; an
index on ``(kind, value)`` finds every entry a CPE or a purl names. ``position`` keeps
the domain's order.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from herald.adapters.storage.tables.base import CASCADE, CHILDREN, Base

IDENTIFIER_KINDS = ("cpe", "purl", "hash", "model_number", "sku", "serial_number", "sbom_url")
"""The values of ``kind``."""

_KIND_CHECK = "kind IN ({})".format(", ".join(f"'{kind}'" for kind in IDENTIFIER_KINDS))
_HASH_CHECK = "(kind = 'hash') = (algorithm IS NOT NULL AND file_name IS NOT NULL)"


class _IdentifierColumns:
    """What every identifier table holds besides its owner's key."""

    position: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str]
    value: Mapped[str] = mapped_column(Text)
    algorithm: Mapped[str | None]
    """The hash algorithm (``kind = 'hash'`` only)."""
    file_name: Mapped[str | None] = mapped_column(Text)
    """The file hashed (``kind = 'hash'`` only)."""


class ProductComponentRow(Base, public=True):
    """A component a product includes; ``position`` keeps the product's order."""

    __tablename__ = "product_components"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('application', 'library', 'kernel', 'firmware', 'other')", name="kind"
        ),
    )

    product_id: Mapped[str] = mapped_column(
        ForeignKey("products.id", ondelete=CASCADE), primary_key=True
    )
    id: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    name: Mapped[str]
    kind: Mapped[str]

    identifiers: Mapped[list[ComponentIdentifierRow]] = relationship(
        order_by="ComponentIdentifierRow.position", cascade=CHILDREN, passive_deletes=True
    )


class VersionIdentifierRow(_IdentifierColumns, Base, public=True):
    """An identifier of a product version."""

    __tablename__ = "version_identifiers"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
            ondelete=CASCADE,
        ),
        CheckConstraint(_KIND_CHECK, name="kind"),
        CheckConstraint(_HASH_CHECK, name="hash"),
        Index("ix_version_identifiers_kind_value", "kind", "value"),
    )

    product_id: Mapped[str] = mapped_column(primary_key=True)
    version_name: Mapped[str] = mapped_column(primary_key=True)


class ReleaseIdentifierRow(_IdentifierColumns, Base, public=True):
    """An identifier of a release."""

    __tablename__ = "release_identifiers"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name", "release_name"],
            [
                "releases.product_id",
                "releases.version_name",
                "releases.channel_name",
                "releases.name",
            ],
            ondelete=CASCADE,
        ),
        CheckConstraint(_KIND_CHECK, name="kind"),
        CheckConstraint(_HASH_CHECK, name="hash"),
        Index("ix_release_identifiers_kind_value", "kind", "value"),
    )

    product_id: Mapped[str] = mapped_column(primary_key=True)
    version_name: Mapped[str] = mapped_column(primary_key=True)
    channel_name: Mapped[str] = mapped_column(primary_key=True)
    release_name: Mapped[str] = mapped_column(primary_key=True)


class ComponentIdentifierRow(_IdentifierColumns, Base, public=True):
    """An identifier of a product's component."""

    __tablename__ = "component_identifiers"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "component_id"],
            ["product_components.product_id", "product_components.id"],
            ondelete=CASCADE,
        ),
        CheckConstraint(_KIND_CHECK, name="kind"),
        CheckConstraint(_HASH_CHECK, name="hash"),
        Index("ix_component_identifiers_kind_value", "kind", "value"),
    )

    product_id: Mapped[str] = mapped_column(primary_key=True)
    component_id: Mapped[str] = mapped_column(primary_key=True)
