"""A ``SourceBundle`` -> YAML files; the same bundle always gives the same bytes."""

from __future__ import annotations

from pathlib import Path

from herald.adapters.source import encode
from herald.adapters.source._yaml import dump
from herald.adapters.source.bundle import SourceBundle
from herald.adapters.source.decode import SAFE_ARTICLE_ID
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Product
from herald.domain.errors import ValidationError
from herald.domain.ids import parse_product_id
from herald.domain.publisher import Publisher
from herald.services.source import SourceItems


def dump_publisher(publisher: Publisher) -> str:
    """The text of ``publisher.yaml``."""
    return dump(encode.publisher(publisher))


def dump_product(product: Product) -> str:
    """The text of ``products/<id>.yaml``."""
    return dump(encode.product(product))


def dump_bulletin(bulletin: Bulletin) -> str:
    """The text of ``bulletins/<article_id>.yaml``."""
    return dump(encode.bulletin(bulletin))


def bundle_files(bundle: SourceBundle | SourceItems) -> dict[Path, str]:
    """Each file of the bundle, by path relative to the export folder, with its text."""
    if not isinstance(bundle, SourceBundle):
        bundle = SourceBundle.of(bundle)
    files: dict[Path, str] = {}
    if bundle.publisher is not None:
        files[Path("publisher.yaml")] = dump_publisher(bundle.publisher)
    for product in bundle.products:
        parse_product_id(product.id, "products")
        files[Path("products", f"{product.id}.yaml")] = dump_product(product)
    taken: dict[str, str] = {}
    for bulletin in bundle.bulletins:
        name = bulletin.article_id
        if not SAFE_ARTICLE_ID.fullmatch(name):
            raise ValidationError("article_id", f"{name!r} cannot name a file")
        if name.casefold() in taken:
            other = taken[name.casefold()]
            raise ValidationError("article_id", f"{name!r} and {other!r} differ only in case")
        taken[name.casefold()] = name
        files[Path("bulletins", f"{name}.yaml")] = dump_bulletin(bulletin)
    return files


def write_bundle(bundle: SourceBundle | SourceItems, directory: Path) -> list[Path]:
    """Write ``publisher.yaml``, ``products/<id>.yaml``, ``bulletins/<article_id>.yaml``.

    Files of the same name are replaced; other files in ``directory`` are left alone.
    Nothing is written when any item cannot be (every file is rendered first).
    Returns the paths written, publisher first, then products and bulletins by id.
    """
    files = bundle_files(bundle)
    written: list[Path] = []
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
