"""The ``SourceSerializer`` port: a record as the text of its herald/v1 file.

The audit log keeps a bulletin's state before and after each change in this form, so a
reviewer reads the same YAML that ``herald export`` writes, and a diff of two states is
a diff of two files.
"""

from __future__ import annotations

from herald.adapters.source.writer import dump_bulletin, dump_product, dump_publisher
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Product
from herald.domain.publisher import Publisher


class SourceTextSerializer:
    """Writes bulletins, products and the publisher as herald/v1 source text; stateless."""

    def bulletin(self, bulletin: Bulletin) -> str:
        """The text of ``bulletins/<article_id>.yaml``: the same bulletin, the same bytes."""
        return dump_bulletin(bulletin)

    def product(self, product: Product) -> str:
        """The text of ``products/<id>.yaml``."""
        return dump_product(product)

    def publisher(self, publisher: Publisher) -> str:
        """The text of ``publisher.yaml``."""
        return dump_publisher(publisher)
