"""What a mapping run carries: the catalog as it grows, the publisher, the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from herald.domain.catalog import Catalog, Product
from herald.domain.errors import ValidationError
from herald.domain.publisher import Publisher


@dataclass
class Plan:
    """The catalog with the products the import adds, and the lines of its report."""

    catalog: Catalog
    publisher: Publisher
    report: list[str] = field(default_factory=list)
    """What could not be mapped, one line each, in the order it was found."""
    products: dict[str, Product] = field(default_factory=dict)
    """Products changed or created, by herald product id."""

    def note(self, line: str) -> None:
        """Add a line to the report (once)."""
        if line not in self.report:
            self.report.append(line)

    def store(self, product: Product) -> None:
        """Keep a new or changed product, and see it in the catalog from now on."""
        self.products[product.id] = product
        self.catalog = self.catalog.with_product(product)


def required_object(parent: Mapping[str, Any], key: str, prefix: str = "") -> Mapping[str, Any]:
    """``parent[key]`` when it is an object; ``ValidationError`` naming the field otherwise."""
    value = parent.get(key)
    if not isinstance(value, Mapping):
        raise ValidationError(f"{prefix}{key}", "missing or not an object (is this a CSAF file?)")
    return value


def required_text(parent: Mapping[str, Any], key: str, prefix: str = "") -> str:
    """``parent[key]`` stripped when it is a non-empty string; ``ValidationError`` otherwise."""
    value = parent.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{prefix}{key}", "missing or empty")
    return value.strip()


def items(parent: Mapping[str, Any], key: str) -> list[Any]:
    """``parent[key]`` when it is an array, else an empty list."""
    value = parent.get(key)
    return value if isinstance(value, list) else []


def day(value: object) -> date | None:
    """The calendar day of an RFC 3339 date-time, or None."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
