"""The ``product_identification_helper`` of each product in the CSAF product tree.

A version's helper holds its identity from the catalog (CPE, purls, hashes, model
numbers, SKUs, serial numbers, SBOM URLs); a fixed release's holds its own identity.
Every product also carries one ``x_generic_uris`` entry, herald's catalog URL for it
(namespace: the catalog API), so each product has a helper (CSAF 2.0 test 6.2.16) and
tools can look the entry up even where the vendor gave no CPE or purl.

herald does not invent a CPE for a release (e.g. the version's CPE with the release as
its ``update``): CPE names are assigned in NVD's dictionary, and a made-up one matches
no inventory. CSAF 2.0 has room for one ``purl``; further purls go in
``x_generic_uris`` under the purl specification's namespace. CSAF 2.1 lists them all in
``purls``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from herald.adapters.formats.csaf_versions import CsafVersion
from herald.domain.identity import HashAlgorithm, ProductIdentity

PURL_NAMESPACE = "https://github.com/package-url/purl-spec"
"""The namespace of a purl written as a generic URI (CSAF 2.0's second and later purls)."""


class CatalogUris:
    """herald's URLs of catalog entries: its JSON API under the site's base URL."""

    def __init__(self, base_url: str) -> None:
        self.namespace = f"{base_url.rstrip('/')}/api/v1/products"
        """The namespace of every catalog URI."""

    def version(self, product: str, version: str) -> str:
        return f"{self.namespace}/{_segment(product)}/versions/{_segment(version)}"

    def channel(self, product: str, version: str, channel: str) -> str:
        """The channel's list of releases (the API has no page of a channel alone)."""
        return f"{self.version(product, version)}/channels/{_segment(channel)}/releases"

    def release(self, product: str, version: str, channel: str, release: str) -> str:
        """The channel's list of releases, the release named in the fragment."""
        releases = f"{self.version(product, version)}/channels/{_segment(channel)}/releases"
        return f"{releases}#{_segment(release)}"


def identification_helper(
    identity: ProductIdentity, catalog_uri: str, uris: CatalogUris, version: CsafVersion
) -> dict[str, Any]:
    """The helper of one product: its identifiers, then herald's URI for it."""
    helper: dict[str, Any] = {}
    generic: list[dict[str, str]] = []
    if identity.cpe is not None:
        helper["cpe"] = identity.cpe
    if identity.hashes:
        helper["hashes"] = _hashes(identity)
    if identity.model_numbers:
        helper["model_numbers"] = list(identity.model_numbers)
    if identity.purls:
        if version is CsafVersion.V2_1:
            helper["purls"] = list(identity.purls)
        else:
            helper["purl"] = identity.purls[0]
            generic += [{"namespace": PURL_NAMESPACE, "uri": p} for p in identity.purls[1:]]
    if identity.sbom_urls:
        helper["sbom_urls"] = list(identity.sbom_urls)
    if identity.serial_numbers:
        helper["serial_numbers"] = list(identity.serial_numbers)
    if identity.skus:
        helper["skus"] = list(identity.skus)
    helper["x_generic_uris"] = [*generic, {"namespace": uris.namespace, "uri": catalog_uri}]
    return helper


def _hashes(identity: ProductIdentity) -> list[dict[str, Any]]:
    """One entry per file, its hashes in the order given."""
    by_file: dict[str, list[dict[str, str]]] = {}
    for file_hash in identity.hashes:
        by_file.setdefault(file_hash.file_name, []).append(
            {
                "algorithm": HashAlgorithm(file_hash.algorithm).value,
                "value": file_hash.value.lower(),
            }
        )
    return [{"file_hashes": hashes, "filename": name} for name, hashes in by_file.items()]


def _segment(text: str) -> str:
    return quote(text, safe="")
