"""The CSAF distribution as one immutable snapshot: every file's path and bytes.

``distributed_document`` renders one public bulletin at its distribution URL and
hashes it; ``assemble`` puts documents (with their signatures) together with the
indexes, feeds, provider metadata, public key and listings. Both are pure: the same
bulletins, catalog, publisher, base URL and signatures give the same bytes, so every
server process builds the same snapshot, and a snapshot is only ever replaced as a
whole (``keeper``), never edited, so a reader never sees a new document beside an old
hash or signature.

Only documents whose TLP label may be shown to everyone (WHITE, GREEN or none) are
distributed; herald's exporter labels every public bulletin TLP:WHITE. A document with
another label would be left out (``Distribution.withheld``): herald has no
access-protected place for TLP:AMBER or TLP:RED (requirement 5).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from herald.adapters.csaf_distribution import listing, rolie
from herald.adapters.csaf_distribution.layout import (
    CHANGES,
    CSV,
    HTML,
    INDEX,
    JSON,
    PROVIDER_METADATA,
    PUBLIC_KEY,
    SERVICE,
    SIGNATURE,
    TEXT,
    DistributionUrls,
    category_name,
    changes_csv,
    feed_name,
    hash_line,
    index_txt,
    key_file,
    sha256,
    sha512,
)
from herald.adapters.csaf_distribution.provider_metadata import provider_metadata
from herald.adapters.formats.csaf import csaf_filename
from herald.adapters.formats.csaf_common import dump_json, revision_instants
from herald.adapters.formats.machine import CSAF, Sources
from herald.domain.bulletin import Bulletin
from herald.domain.catalog import Catalog
from herald.domain.errors import NotFound
from herald.domain.publisher import Publisher

PUBLIC_LABELS = ("WHITE", "GREEN", "UNLABELED")
"""TLP labels distributed to everyone, in the order their feeds are listed."""
NO_CHANGE_YET = rolie.EPOCH
"""``last_updated`` of a distribution without documents."""


@dataclass(frozen=True)
class DistributedFile:
    """One file of the distribution."""

    body: bytes
    media_type: str


@dataclass(frozen=True)
class DistributedDocument:
    """A CSAF document as distributed: its bytes, where it lives, its hashes and signature."""

    tracking_id: str
    title: str
    path: str
    """``<YYYY>/<file name>``, relative to the distribution folder."""
    tlp_label: str
    """``WHITE``, ``GREEN``, ``AMBER``, ``RED``, or ``UNLABELED`` when the document has none."""
    initial_release_date: str
    current_release_date: str
    body: bytes
    products: tuple[str, ...]
    """Names of the products the bulletin affects (for the ROLIE category document)."""
    signature: bytes | None = None
    """The detached ASCII-armoured OpenPGP signature of ``body``; None when unsigned."""
    sha256: str = field(init=False)
    sha512: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", sha256(self.body))
        object.__setattr__(self, "sha512", sha512(self.body))

    @property
    def file_name(self) -> str:
        return self.path.rpartition("/")[2]

    def signed(self, signature: bytes) -> DistributedDocument:
        return replace(self, signature=signature)


@dataclass(frozen=True)
class PublicKey:
    """The public half of the signing key, as published (requirement 20)."""

    fingerprint: str
    armored: bytes


@dataclass(frozen=True)
class Distribution:
    """Every file of the distribution, by path relative to ``/.well-known/csaf/``."""

    files: Mapping[str, DistributedFile]
    documents: tuple[DistributedDocument, ...]
    """The distributed documents, in ``index.txt`` order."""
    fingerprint: str | None
    """The signing key; None when documents are not signed."""
    withheld: tuple[str, ...] = ()
    """Tracking ids of public bulletins left out for their TLP label."""

    def get(self, path: str) -> DistributedFile | None:
        """The file at ``path``; a folder's listing with or without its trailing slash."""
        found = self.files.get(path)
        if found is None and path and not path.endswith("/"):
            found = self.files.get(f"{path}/")
        return found


def distributed_document(
    bulletin: Bulletin, catalog: Catalog, publisher: Publisher, urls: DistributionUrls
) -> DistributedDocument:
    """The CSAF document of a public bulletin, at ``<year>/<file name>`` (unsigned).

    The year is that of ``/document/tracking/initial_release_date`` (requirement 11),
    the file name follows section 5.1 (requirement 2), and the document's ``self``
    reference is its URL in the distribution (optional test 6.2.11). The bytes are the
    ``CSAF`` machine format's, those ``/bulletins/{id}.csaf.json`` serves.
    """
    year = revision_instants(bulletin)[0].year
    path = f"{year:04d}/{csaf_filename(bulletin.article_id)}"
    body = CSAF.body(Sources(bulletin, catalog, publisher, urls.base), bulletin.article_id)
    distributed = document_from_body(body, bulletin, catalog)
    if distributed.path != path:
        raise ValueError(
            f"{bulletin.article_id}: rendered for {path}, belongs in {distributed.path}"
        )
    return distributed


def document_from_body(body: bytes, bulletin: Bulletin, catalog: Catalog) -> DistributedDocument:
    """The distributed form of a rendered document's ``body`` (its path from its own
    tracking id and initial release date)."""
    document = json.loads(body)
    tracking = document["document"]["tracking"]
    initial = str(tracking["initial_release_date"])
    return DistributedDocument(
        tracking_id=str(tracking["id"]),
        title=str(document["document"]["title"]),
        path=f"{initial[:4]}/{csaf_filename(str(tracking['id']))}",
        tlp_label=_tlp_label(document),
        initial_release_date=initial,
        current_release_date=str(tracking["current_release_date"]),
        body=body,
        products=_product_names(bulletin, catalog),
    )


def assemble(
    documents: Sequence[DistributedDocument],
    publisher: Publisher,
    urls: DistributionUrls,
    key: PublicKey | None,
) -> Distribution:
    """The whole distribution of ``documents`` (signed by ``key`` when it is given)."""
    public = [doc for doc in documents if doc.tlp_label in PUBLIC_LABELS]
    withheld = tuple(
        sorted(doc.tracking_id for doc in documents if doc.tlp_label not in PUBLIC_LABELS)
    )
    if key is not None and any(doc.signature is None for doc in public):
        raise ValueError("every document needs its signature when a key is given")
    ordered = sorted(public, key=lambda doc: (doc.initial_release_date, doc.path), reverse=True)
    files: dict[str, DistributedFile] = {}
    for doc in ordered:
        if doc.path in files:  # section 5.1 maps two tracking ids to one file name
            raise ValueError(f"{doc.tracking_id}: another document is already {doc.path}")
        files[doc.path] = DistributedFile(doc.body, JSON)
        files[f"{doc.path}.sha256"] = DistributedFile(hash_line(doc.sha256, doc.file_name), TEXT)
        files[f"{doc.path}.sha512"] = DistributedFile(hash_line(doc.sha512, doc.file_name), TEXT)
        if key is not None and doc.signature is not None:
            files[f"{doc.path}.asc"] = DistributedFile(doc.signature, SIGNATURE)
    files[INDEX] = DistributedFile(index_txt([doc.path for doc in ordered]), TEXT)
    changes = sorted(((doc.current_release_date, doc.path) for doc in ordered), reverse=True)
    files[CHANGES] = DistributedFile(changes_csv([(p, when) for when, p in changes]), CSV)
    labels = [label for label in PUBLIC_LABELS if any(d.tlp_label == label for d in ordered)]
    labels = labels or ["WHITE"]  # requirement 15: a WHITE, GREEN or unlabeled feed exists
    for label in labels:
        labelled = [doc for doc in ordered if doc.tlp_label == label]
        items = [_feed_item(doc, signed=key is not None) for doc in labelled]
        feed = rolie.feed(urls, label, publisher.name, items)
        files[feed_name(label)] = _compact_json(feed)
        products = sorted({name for doc in labelled for name in doc.products})
        files[category_name(label)] = _json(rolie.categories(products))
    files[SERVICE] = _json(rolie.service(urls, publisher.name, labels))
    last_updated = max((doc.current_release_date for doc in ordered), default=NO_CHANGE_YET)
    metadata = provider_metadata(
        urls,
        publisher,
        labels=labels,
        fingerprint=key.fingerprint if key else None,
        last_updated=last_updated,
    )
    files[PROVIDER_METADATA] = _json(metadata)
    if key is not None:
        files[key_file(key.fingerprint)] = DistributedFile(key.armored, PUBLIC_KEY)
    for folder, page in listing.listings(urls, list(files)).items():
        files[folder] = DistributedFile(page, HTML)
    return Distribution(
        files=MappingProxyType(files),
        documents=tuple(ordered),
        fingerprint=key.fingerprint if key else None,
        withheld=withheld,
    )


def _feed_item(doc: DistributedDocument, *, signed: bool) -> rolie.FeedItem:
    return rolie.FeedItem(
        tracking_id=doc.tracking_id,
        title=doc.title,
        path=doc.path,
        initial_release_date=doc.initial_release_date,
        current_release_date=doc.current_release_date,
        signed=signed,
    )


def _json(document: dict[str, Any]) -> DistributedFile:
    return DistributedFile(dump_json(document).encode("utf-8"), JSON)


def _compact_json(document: dict[str, Any]) -> DistributedFile:
    """One line, keys sorted: the feed grows with every document, and Python's JSON
    encoder is several times faster without indentation."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return DistributedFile(f"{text}\n".encode(), JSON)


def _tlp_label(document: dict[str, Any]) -> str:
    distribution = document["document"].get("distribution") or {}
    label = (distribution.get("tlp") or {}).get("label")
    return str(label) if label else "UNLABELED"


def _product_names(bulletin: Bulletin, catalog: Catalog) -> tuple[str, ...]:
    names: set[str] = set()
    for ref in bulletin.affected:
        try:
            names.add(catalog.product(ref.product).name)
        except NotFound:
            continue
    return tuple(sorted(names))
