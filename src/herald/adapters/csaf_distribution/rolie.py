"""ROLIE documents (RFC 8322, JSON form) of the CSAF distribution: feed, service, categories.

CSAF 2.0 requirement 15: "All CSAF documents with the same TLP level MUST be listed in
a single ROLIE feed", each entry linking its hash files (``rel`` ``hash``) and its
signature (``rel`` ``signature``). Each feed names its TLP label as a category with the
scheme ``https://www.first.org/tlp/``, as the standard's service-document example does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from herald.adapters.csaf_distribution.layout import JSON, DistributionUrls, feed_name

INFORMATION_TYPE = "urn:ietf:params:rolie:category:information-type"
TLP_SCHEME = "https://www.first.org/tlp/"
CSAF_SCHEMA = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"


@dataclass(frozen=True)
class FeedItem:
    """One distributed document as a feed entry."""

    tracking_id: str
    title: str
    path: str
    """Relative to the distribution folder: ``2026/ctx696397.json``."""
    initial_release_date: str
    current_release_date: str
    signed: bool


def feed(
    urls: DistributionUrls, tlp_label: str, publisher_name: str, items: Sequence[FeedItem]
) -> dict[str, Any]:
    """The ROLIE feed of the documents labelled ``tlp_label``, latest change first.

    ``feed.id`` is ``csaf-feed-tlp-white`` (letters, digits, ``+-_.`` only, as the
    CSAF TC's auxiliary ROLIE feed schema wants); the first category is the CSAF
    information type, and the first link of the feed and of every entry is ``self``.
    """
    url = urls.of(feed_name(tlp_label))
    ordered = sorted(items, key=lambda item: (item.current_release_date, item.path), reverse=True)
    updated = ordered[0].current_release_date if ordered else EPOCH
    return {
        "feed": {
            "id": "csaf-" + feed_name(tlp_label).removesuffix(".json"),
            "title": f"{publisher_name} CSAF feed (TLP:{tlp_label})",
            "link": [{"rel": "self", "href": url}],
            "category": _categories(tlp_label),
            "updated": updated,
            "entry": [_entry(urls, item) for item in ordered],
        }
    }


def service(urls: DistributionUrls, publisher_name: str, labels: Sequence[str]) -> dict[str, Any]:
    """The ROLIE service document listing every feed (requirement 16)."""
    return {
        "service": {
            "workspace": [
                {
                    "title": "Public CSAF feeds",
                    "collection": [
                        {
                            "title": f"{publisher_name} CSAF feed (TLP:{label})",
                            "href": urls.of(feed_name(label)),
                            "categories": {"category": _categories(label)},
                        }
                        for label in labels
                    ],
                }
            ]
        }
    }


def categories(product_names: Sequence[str]) -> dict[str, Any]:
    """The ROLIE category document naming the products of the distributed documents."""
    return {"categories": {"category": [{"term": name} for name in product_names]}}


EPOCH = "1970-01-01T00:00:00Z"
"""``updated`` of a feed with no entry (nothing has changed yet)."""


def _categories(tlp_label: str) -> list[dict[str, str]]:
    return [
        {"scheme": INFORMATION_TYPE, "term": "csaf"},
        {"scheme": TLP_SCHEME, "term": tlp_label},
    ]


def _entry(urls: DistributionUrls, item: FeedItem) -> dict[str, Any]:
    document = urls.of(item.path)
    links = [
        {"rel": "self", "href": document},
        {"rel": "hash", "href": f"{document}.sha256"},
        {"rel": "hash", "href": f"{document}.sha512"},
    ]
    if item.signed:
        links.append({"rel": "signature", "href": f"{document}.asc"})
    return {
        "id": item.tracking_id,
        "title": item.title,
        "link": links,
        "published": item.initial_release_date,
        "updated": item.current_release_date,
        "summary": {"content": item.title},
        "content": {"type": JSON, "src": document},
        "format": {"schema": CSAF_SCHEMA, "version": "2.0"},
    }
