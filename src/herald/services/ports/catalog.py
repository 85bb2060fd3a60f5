"""The publisher of this instance and its catalog of products."""

from __future__ import annotations

from typing import Protocol

from herald.domain.catalog import Catalog, Product
from herald.domain.publisher import Publisher


class PublisherRepository(Protocol):
    """The one publisher of this herald instance."""

    def get(self) -> Publisher | None:
        """The publisher, or None before one is set."""
        ...

    def save(self, publisher: Publisher) -> None:
        """Create or replace the publisher."""
        ...


class CatalogRepository(Protocol):
    """Products with their versions, channels and releases."""

    def load(self) -> Catalog:
        """The whole catalog."""
        ...

    def save_product(self, product: Product) -> None:
        """Create or replace one product with everything under it.

        Raises ``ValidationError`` when the replacement drops a version, channel or
        release that a stored bulletin refers to.
        """
        ...

    def lock_product(self, product_id: str) -> None:
        """Hold the product's row until the transaction ends, so two changes to one
        product run one after the other (none lost); nothing when there is none."""
        ...
