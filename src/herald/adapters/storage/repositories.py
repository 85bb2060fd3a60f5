"""The publisher and catalog repositories on one SQLAlchemy session.

No business rules live here, only one storage guarantee: a catalog change never drops
what a stored bulletin refers to. Bulletins live in ``bulletins``, staff and their
traces in ``accounts``, ``audit`` and ``site``.
"""

from __future__ import annotations

import builtins
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from herald.adapters.storage.errors import translated
from herald.adapters.storage.identity_mapping import sync_components
from herald.adapters.storage.mapping import (
    channel_to_row,
    product_from_row,
    publisher_from_row,
    publisher_to_row,
    release_to_row,
    version_to_row,
)
from herald.adapters.storage.tables.bulletins import AffectedRow, FixRow, NotCoveredRow
from herald.adapters.storage.tables.catalog import (
    ChannelRow,
    ProductRow,
    PublisherRow,
    ReleaseRow,
    VersionRow,
)
from herald.adapters.storage.tables.identity import ProductComponentRow
from herald.domain.catalog import Catalog, Product, check_product
from herald.domain.errors import ValidationError
from herald.domain.publisher import Publisher

_T = TypeVar("_T")


class SqlPublisherRepository:
    """The publisher, kept in a single row."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def get(self) -> Publisher | None:
        row = self._session.get(PublisherRow, 1)
        return None if row is None else publisher_from_row(row)

    @translated
    def save(self, publisher: Publisher) -> None:
        row = self._session.get(PublisherRow, 1)
        if row is None:
            row = PublisherRow(id=1)
            self._session.add(row)
        publisher_to_row(publisher, row)
        self._session.flush()


_PRODUCT_TREE = (
    selectinload(ProductRow.versions)
    .selectinload(VersionRow.channels)
    .selectinload(ChannelRow.releases)
    .selectinload(ReleaseRow.components),
    selectinload(ProductRow.versions).selectinload(VersionRow.identifiers),
    selectinload(ProductRow.versions)
    .selectinload(VersionRow.channels)
    .selectinload(ChannelRow.releases)
    .selectinload(ReleaseRow.identifiers),
    selectinload(ProductRow.components).selectinload(ProductComponentRow.identifiers),
)


class SqlCatalogRepository:
    """Products and everything under them; a save diffs the stored tree."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def load(self) -> Catalog:
        rows = self._session.scalars(
            select(ProductRow)
            .options(*_PRODUCT_TREE)
            .order_by(ProductRow.position, ProductRow.id)
            .execution_options(populate_existing=True)
        )
        return Catalog(tuple(product_from_row(row) for row in rows))

    @translated
    def save_product(self, product: Product) -> None:
        check_product(product)
        row = self._session.scalars(
            select(ProductRow)
            .where(ProductRow.id == product.id)
            .options(*_PRODUCT_TREE)
            .execution_options(populate_existing=True)
        ).one_or_none()
        if row is None:
            last = self._session.scalar(select(func.max(ProductRow.position)))
            row = ProductRow(id=product.id, position=0 if last is None else last + 1)
            self._session.add(row)
        else:
            self._refuse_dangling(product_from_row(row), product)
        row.name = product.name
        row.update_instructions_url = product.update_instructions_url
        row.hidden = product.hidden
        sync_components(row, product.components)
        _sync_versions(row, product)
        self._session.flush()

    @translated
    def lock_product(self, product_id: str) -> None:
        # PostgreSQL: a row lock; SQLite: left out (its BEGIN IMMEDIATE serialises writers)
        self._session.execute(
            select(ProductRow.id).where(ProductRow.id == product_id).with_for_update()
        ).all()

    def _refuse_dangling(self, stored: Product, product: Product) -> None:
        """Raise when ``product`` drops a version, channel or release a bulletin names."""
        references = _References(self._session, product.id)
        if not references:
            return
        new_versions = {version.name: index for index, version in enumerate(product.versions)}
        for version in stored.versions:
            if version.name not in new_versions:
                user = references.of_version(version.name)
                if user:
                    raise ValidationError(
                        "versions",
                        f"version {version.name!r} of {product.id} cannot be removed: "
                        f"bulletin {user} refers to it",
                    )
                continue
            v_index = new_versions[version.name]
            kept = product.versions[v_index]
            new_channels = {channel.name: index for index, channel in enumerate(kept.channels)}
            for channel in version.channels:
                where = f"versions[{v_index}].channels"
                if channel.name not in new_channels:
                    user = references.of_channel(version.name, channel.name)
                    if user:
                        raise ValidationError(
                            where,
                            f"channel {channel.name!r} of {product.id} {version.name} cannot be "
                            f"removed: bulletin {user} refers to it",
                        )
                    continue
                c_index = new_channels[channel.name]
                names = {release.name for release in kept.channels[c_index].releases}
                for release in channel.releases:
                    if release.name in names:
                        continue
                    user = references.of_release(version.name, channel.name, release.name)
                    if user:
                        raise ValidationError(
                            f"{where}[{c_index}].releases",
                            f"release {release.name!r} of {product.id} {version.name} / "
                            f"{channel.name} cannot be removed: bulletin {user} names it as a fix",
                        )


class _References:
    """What the stored bulletins say about one product, read in three small queries."""

    def __init__(self, session: Session, product_id: str) -> None:
        self.versions: dict[str, str] = {}
        self.channels: dict[tuple[str, str], str] = {}
        self.releases: dict[tuple[str, str, str], str] = {}
        for table in (AffectedRow, NotCoveredRow):
            for article, version in session.execute(
                select(table.article_id, table.version_name)
                .where(table.product_id == product_id)
                .order_by(table.article_id)
            ):
                self.versions.setdefault(version, article)
        for article, version, channel, release in session.execute(
            select(FixRow.article_id, FixRow.version_name, FixRow.channel_name, FixRow.release_name)
            .where(FixRow.product_id == product_id)
            .order_by(FixRow.article_id)
        ):
            self.versions.setdefault(version, article)
            self.channels.setdefault((version, channel), article)
            if release is not None:
                self.releases.setdefault((version, channel, release), article)

    def __bool__(self) -> bool:
        return bool(self.versions)

    def of_version(self, version: str) -> str | None:
        return self.versions.get(version)

    def of_channel(self, version: str, channel: str) -> str | None:
        return self.channels.get((version, channel))

    def of_release(self, version: str, channel: str, release: str) -> str | None:
        return self.releases.get((version, channel, release))


def _sync_versions(row: ProductRow, product: Product) -> None:
    """Insert new, update changed and delete removed rows under ``row``, by name."""
    stored = {version.name: version for version in row.versions}
    versions: list[VersionRow] = []
    for v_index, version in enumerate(product.versions):
        v_row = stored.get(version.name) or VersionRow(product_id=product.id, name=version.name)
        version_to_row(version, v_index, v_row)
        stored_channels = {channel.name: channel for channel in v_row.channels}
        channels: list[ChannelRow] = []
        for c_index, channel in enumerate(version.channels):
            c_row = stored_channels.get(channel.name) or ChannelRow(
                product_id=product.id, version_name=version.name, name=channel.name
            )
            channel_to_row(channel, c_index, c_row)
            stored_releases = {release.name: release for release in c_row.releases}
            releases: list[ReleaseRow] = []
            for r_index, release in enumerate(channel.releases):
                r_row = stored_releases.get(release.name) or ReleaseRow(
                    product_id=product.id,
                    version_name=version.name,
                    channel_name=channel.name,
                    name=release.name,
                )
                release_to_row(release, r_index, r_row)
                releases.append(r_row)
            _replace(c_row.releases, releases)
            channels.append(c_row)
        _replace(v_row.channels, channels)
        versions.append(v_row)
    _replace(row.versions, versions)


def _replace(collection: builtins.list[_T], items: builtins.list[_T]) -> None:
    if collection != items:
        collection[:] = items
