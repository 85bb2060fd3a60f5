"""Rendered CSAF documents kept on disk, so a new process does not render them all again.

A document's bytes are a pure function of the bulletin, the catalog, the publisher,
the base URL and herald's code. The file name is a SHA-256 of all of them (the code as
a digest of herald's own source files, the rest as their ``repr``), so a kept file is
only ever read back for exactly the inputs it was rendered from; anything else is a
miss and renders afresh. Files are written whole and renamed into place; the folder
(``$HERALD_DATA_DIR/csaf-documents``) may be emptied at any time.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

import herald
from herald.adapters.csaf_distribution.snapshot import DistributedDocument, document_from_body
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog
from herald.domain.publisher import Publisher


@cache
def code_digest() -> str:
    """A digest of herald's version and every source file of the package (read once)."""
    root = Path(herald.__file__).resolve().parent
    digest = hashlib.sha256(herald.__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class DocumentCache:
    """Rendered documents by the digest of their inputs, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def facts(self, base_url: str, catalog: Catalog, publisher: Publisher) -> str:
        """The digest of what every document of one build shares (computed once per build)."""
        parts = (code_digest(), base_url, repr(catalog), repr(publisher))
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def document(
        self,
        facts: str,
        bulletin: Bulletin,
        catalog: Catalog,
        render: Callable[[], DistributedDocument],
    ) -> DistributedDocument:
        """The kept document for these inputs, or ``render()``'s, kept for next time."""
        key = hashlib.sha256(f"{facts}\n{bulletin!r}".encode()).hexdigest()
        path = self._folder / key[:2] / f"{key}.json"
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            pass
        else:
            try:
                return document_from_body(body, bulletin, catalog)
            except (ValueError, KeyError, TypeError):  # a damaged file: render again
                pass
        document = render()
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{key}.{os.getpid()}.{threading.get_ident()}.tmp")
        staging.write_bytes(document.body)
        staging.replace(path)
        return document


__all__ = ["DocumentCache", "code_digest"]
