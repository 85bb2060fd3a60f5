"""``provider-metadata.json`` (CSAF 2.0 requirement 7, schema ``provider_json_schema.json``).

The role is ``csaf_trusted_provider`` when documents are signed (requirements 18 to 20
met), ``csaf_provider`` otherwise. Both distribution forms are declared: the folder
(``directory_url``, requirements 11 to 14) and the ROLIE feeds and documents
(requirements 15 to 17). ``last_updated`` is the latest ``current_release_date`` of
the documents, so the file's bytes change only when the distribution does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from herald.adapters.csaf_distribution.layout import (
    SERVICE,
    DistributionUrls,
    category_name,
    feed_name,
    key_file,
)
from herald.domain.publisher import Publisher

METADATA_VERSION = "2.0"


def provider_metadata(
    urls: DistributionUrls,
    publisher: Publisher,
    *,
    labels: Sequence[str],
    fingerprint: str | None,
    last_updated: str,
) -> dict[str, Any]:
    """The provider metadata of herald's distribution at ``urls``."""
    metadata: dict[str, Any] = {
        "canonical_url": urls.provider_metadata,
        "distributions": [
            {
                "directory_url": urls.folder,
                "rolie": {
                    "categories": [urls.of(category_name(label)) for label in labels],
                    "feeds": [
                        {
                            "summary": _sentence(f"All TLP:{label} advisories of {publisher.name}"),
                            "tlp_label": label,
                            "url": urls.of(feed_name(label)),
                        }
                        for label in labels
                    ],
                    "services": [urls.of(SERVICE)],
                },
            }
        ],
        "last_updated": last_updated,
        "list_on_CSAF_aggregators": True,
        "metadata_version": METADATA_VERSION,
        "mirror_on_CSAF_aggregators": True,
        "publisher": {
            "category": "vendor",
            "name": publisher.name,
            "namespace": publisher.namespace_url,
        },
        "role": "csaf_trusted_provider" if fingerprint else "csaf_provider",
    }
    if fingerprint:
        metadata["public_openpgp_keys"] = [
            {"fingerprint": fingerprint, "url": urls.of(key_file(fingerprint))}
        ]
    return metadata


def _sentence(text: str) -> str:
    return text if text.endswith(".") else f"{text}."
