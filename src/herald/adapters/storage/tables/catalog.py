"""The publisher and the catalog (public: every change bumps the site generation).

Natural keys throughout: a version is ``(product_id, name)``, a channel
``(product_id, version_name, name)`` and a release adds its name, so the bulletin
tables refer to them with real composite foreign keys and the database refuses a
dangling reference. Every ``position`` column keeps the order of a domain tuple. A
product's components and the identifiers of its entries live in ``identity``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from herald.adapters.storage.tables.base import CASCADE, CHILDREN, Base
from herald.adapters.storage.tables.identity import (
    ProductComponentRow,
    ReleaseIdentifierRow,
    VersionIdentifierRow,
)


class PublisherRow(Base, public=True):
    """The one publisher of this instance (``id`` is always 1)."""

    __tablename__ = "publisher"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str]
    short_name: Mapped[str]
    brand: Mapped[str]
    namespace_url: Mapped[str]
    update_instructions_url: Mapped[str]
    knowledge_center_url: Mapped[str]
    support_url: Mapped[str]
    alerts_url: Mapped[str]
    reporting_url: Mapped[str]
    disclaimer: Mapped[str] = mapped_column(Text)
    sections: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    """``[{"kind", "title", "body"}, ...]`` in the publisher's order."""
    preview_note: Mapped[str] = mapped_column(Text)
    end_of_life_note: Mapped[str] = mapped_column(Text)
    article_id_prefix: Mapped[str]
    article_id_digits: Mapped[int]
    severities: Mapped[list[str]] = mapped_column(JSON)
    """The severity scale, highest first."""


class ProductRow(Base, public=True):
    """A product; ``position`` is its place in the catalog's display order."""

    __tablename__ = "products"

    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    update_instructions_url: Mapped[str | None]
    position: Mapped[int]
    hidden: Mapped[bool] = mapped_column(Boolean, server_default="0")
    """Hidden until a public bulletin names it (``domain.catalog.public_catalog``)."""

    versions: Mapped[list[VersionRow]] = relationship(
        order_by="VersionRow.position", cascade=CHILDREN, passive_deletes=True
    )
    components: Mapped[list[ProductComponentRow]] = relationship(
        order_by="ProductComponentRow.position", cascade=CHILDREN, passive_deletes=True
    )


class VersionRow(Base, public=True):
    """A version of a product."""

    __tablename__ = "product_versions"

    product_id: Mapped[str] = mapped_column(
        ForeignKey("products.id", ondelete=CASCADE), primary_key=True
    )
    name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    lifecycle: Mapped[str]
    lifecycle_label: Mapped[str | None]
    hidden: Mapped[bool] = mapped_column(Boolean, server_default="0")
    """Hidden until a public bulletin names it (``domain.catalog.public_catalog``)."""

    channels: Mapped[list[ChannelRow]] = relationship(
        order_by="ChannelRow.position", cascade=CHILDREN, passive_deletes=True
    )
    identifiers: Mapped[list[VersionIdentifierRow]] = relationship(
        order_by="VersionIdentifierRow.position", cascade=CHILDREN, passive_deletes=True
    )


class ChannelRow(Base, public=True):
    """An update channel of a version."""

    __tablename__ = "update_channels"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
            ondelete=CASCADE,
        ),
    )

    product_id: Mapped[str] = mapped_column(primary_key=True)
    version_name: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    hidden: Mapped[bool] = mapped_column(Boolean, server_default="0")
    """Hidden until a public bulletin names it (``domain.catalog.public_catalog``)."""

    releases: Mapped[list[ReleaseRow]] = relationship(
        order_by="ReleaseRow.position", cascade=CHILDREN, passive_deletes=True
    )


class ReleaseRow(Base, public=True):
    """A release shipped on a channel."""

    __tablename__ = "releases"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name"],
            ["update_channels.product_id", "update_channels.version_name", "update_channels.name"],
            ondelete=CASCADE,
        ),
    )

    product_id: Mapped[str] = mapped_column(primary_key=True)
    version_name: Mapped[str] = mapped_column(primary_key=True)
    channel_name: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    released_on: Mapped[date]
    hidden: Mapped[bool] = mapped_column(Boolean, server_default="0")
    """Hidden until a public bulletin names it (``domain.catalog.public_catalog``)."""

    components: Mapped[list[ComponentRow]] = relationship(
        order_by="ComponentRow.position", cascade=CHILDREN, passive_deletes=True
    )
    identifiers: Mapped[list[ReleaseIdentifierRow]] = relationship(
        order_by="ReleaseIdentifierRow.position", cascade=CHILDREN, passive_deletes=True
    )


class ComponentRow(Base, public=True):
    """A component version a release ships."""

    __tablename__ = "release_components"
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
    )

    product_id: Mapped[str] = mapped_column(primary_key=True)
    version_name: Mapped[str] = mapped_column(primary_key=True)
    channel_name: Mapped[str] = mapped_column(primary_key=True)
    release_name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    version: Mapped[str]
