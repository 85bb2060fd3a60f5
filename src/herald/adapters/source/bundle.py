"""What a set of source files holds, and where each item came from."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from herald.adapters.source._fields import FieldPath, parse_field
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Product
from herald.domain.errors import ValidationError
from herald.domain.publisher import Publisher
from herald.services.source import SourceItems

PUBLISHER_KEY = "publisher"
"""The key of the publisher in ``SourceBundle.origins``."""


def product_key(product_id: str) -> str:
    """The key of a product in ``SourceBundle.origins``: ``product:<id>``."""
    return f"product:{product_id}"


def bulletin_key(article_id: str) -> str:
    """The key of a bulletin in ``SourceBundle.origins``: ``bulletin:<article id>``."""
    return f"bulletin:{article_id}"


@dataclass(frozen=True)
class Origin:
    """The file an item was read from, and the line of each of its fields."""

    path: Path
    """The file, as found from the paths given to ``load_paths``."""
    lines: Mapping[FieldPath, int] = field(default_factory=lambda: MappingProxyType({}))
    """The line (1-based) of every key and list item, by field path."""

    def line_of(self, field_name: str = "") -> int:
        """The line of ``field_name`` (``fixes[0].release``), or of its nearest parent written."""
        path = parse_field(field_name)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def location(self, field_name: str = "") -> str:
        """``path:line`` of ``field_name``."""
        return f"{self.path}:{self.line_of(field_name)}"

    def locate(self, error: ValidationError) -> ValidationError:
        """``error`` located at the line of its field in this file."""
        if error.location is not None:
            return error
        return error.at(self.location(error.field))


@dataclass(frozen=True)
class SourceBundle:
    """A publisher, products and bulletins, as a set of source files holds them.

    A bundle is a set: products are kept in id order and bulletins in article id order,
    so two bundles with the same content are equal wherever they were read from.
    """

    publisher: Publisher | None = None
    """The publisher, when a file defines it."""
    products: tuple[Product, ...] = ()
    """The products, by id."""
    bulletins: tuple[Bulletin, ...] = ()
    """The bulletins, by article id."""
    origins: Mapping[str, Origin] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )
    """Where each item was read: ``publisher``, ``product:<id>``, ``bulletin:<article id>``."""

    def __post_init__(self) -> None:
        products = tuple(sorted(self.products, key=lambda p: p.id))
        bulletins = tuple(sorted(self.bulletins, key=lambda b: b.article_id))
        _no_repeats([p.id for p in products], "products", "product")
        _no_repeats([b.article_id for b in bulletins], "bulletins", "bulletin")
        object.__setattr__(self, "products", products)
        object.__setattr__(self, "bulletins", bulletins)
        object.__setattr__(self, "origins", MappingProxyType(dict(self.origins)))

    @classmethod
    def of(cls, items: SourceItems) -> SourceBundle:
        """The bundle of what a service hands over for export."""
        return cls(items.publisher, tuple(items.products), tuple(items.bulletins))

    @property
    def items(self) -> SourceItems:
        """The items, as the source service imports them."""
        return SourceItems(self.publisher, self.products, self.bulletins)

    def origin(self, key: str) -> Origin | None:
        """Where the item of ``key`` was read, if it was read from a file."""
        return self.origins.get(key)

    def locate(self, key: str, field_name: str = "") -> str | None:
        """``path`` of the item's file, or ``path:line`` of one of its fields when named.

        Fits the source service's ``Locate``: ``bundle.locate("bulletin:CTX696397")``.
        """
        origin = self.origins.get(key)
        if origin is None:
            return None
        return origin.location(field_name) if field_name else str(origin.path)


def _no_repeats(ids: list[str], field_name: str, what: str) -> None:
    for before, after in itertools.pairwise(ids):
        if before == after:
            raise ValidationError(field_name, f"{what} {after!r} appears twice")
