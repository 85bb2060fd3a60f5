"""The product identification helpers of herald's CSAF product tree."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from herald import demo
from herald.adapters.csaf_validation import Level, Preset, validate_document
from herald.adapters.formats.csaf import csaf_document
from herald.adapters.formats.csaf_versions import CsafVersion
from herald.domain import Catalog, FileHash, HashAlgorithm, Product, ProductIdentity

from .test_csaf_schemas import csaf_errors

BASE = "https://bulletins.example.com"
IDENTITY = ProductIdentity(
    cpe="cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*",
    purls=("pkg:generic/xenserver@8.4", "pkg:rpm/xenserver/xenserver-release@8.4.0"),
    hashes=(
        FileHash(HashAlgorithm.SHA256, "ab" * 32, "XenServer-8.4.iso"),
        FileHash(HashAlgorithm.SHA512, "cd" * 64, "XenServer-8.4.iso"),
        FileHash(HashAlgorithm.SHA256, "ef" * 32, "tools.iso"),
    ),
    model_numbers=("XS-84",),
    skus=("XS-84-STD",),
    serial_numbers=("SN-1",),
    sbom_urls=("https://downloads.example.com/xenserver-8.4.spdx.json",),
)


def _catalog(identity: ProductIdentity, release_identity: ProductIdentity) -> Catalog:
    product = demo.catalog().products[0]
    version = product.version("8.4")
    normal = version.channel("Normal")
    release = replace(normal.releases[0], identity=release_identity)
    channels = tuple(
        replace(c, releases=(release,)) if c.name == "Normal" else c for c in version.channels
    )
    changed = replace(version, identity=identity, channels=channels)
    return Catalog(
        (
            Product(
                **{
                    **product.__dict__,
                    "versions": tuple(changed if v.name == "8.4" else v for v in product.versions),
                }
            ),
        )
    )


def _products(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(branches: list[dict[str, Any]]) -> None:
        for branch in branches:
            if "product" in branch:
                found[branch["product"]["product_id"]] = branch["product"]
            walk(branch.get("branches", []))

    walk(document["product_tree"]["branches"])
    return found


def _document(catalog: Catalog, version: CsafVersion) -> dict[str, Any]:
    return csaf_document(
        demo.reference_bulletin(), catalog, demo.publisher(), BASE, version=version
    )


def test_every_product_of_the_reference_has_a_helper() -> None:
    products = _products(_document(demo.catalog(), CsafVersion.V2_0))

    channel = products["CSAFPID-xenserver-8.4-normal"]["product_identification_helper"]
    assert channel == {  # a channel product carries its version's identifiers
        "cpe": "cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*",
        "x_generic_uris": [
            {
                "namespace": f"{BASE}/api/v1/products",
                "uri": f"{BASE}/api/v1/products/xenserver/versions/8.4/channels/Normal/releases",
            }
        ],
    }
    release = products["CSAFPID-xenserver-8.4-normal-8.4.2026-03-24"]
    assert release["product_identification_helper"] == {
        "x_generic_uris": [
            {
                "namespace": f"{BASE}/api/v1/products",
                "uri": f"{BASE}/api/v1/products/xenserver/versions/8.4/channels/Normal/releases"
                "#8.4.2026-03-24",
            }
        ]
    }


def test_csaf_2_0_has_one_purl_and_the_others_as_generic_uris() -> None:
    catalog = _catalog(IDENTITY, ProductIdentity(purls=("pkg:generic/xenserver@8.4.1",)))
    document = _document(catalog, CsafVersion.V2_0)

    helper = _products(document)["CSAFPID-xenserver-8.4-normal"]["product_identification_helper"]

    assert helper["purl"] == "pkg:generic/xenserver@8.4"
    assert "purls" not in helper
    assert helper["x_generic_uris"][0] == {
        "namespace": "https://github.com/package-url/purl-spec",
        "uri": "pkg:rpm/xenserver/xenserver-release@8.4.0",
    }
    assert helper["hashes"] == [
        {
            "file_hashes": [
                {"algorithm": "sha256", "value": "ab" * 32},
                {"algorithm": "sha512", "value": "cd" * 64},
            ],
            "filename": "XenServer-8.4.iso",
        },
        {"file_hashes": [{"algorithm": "sha256", "value": "ef" * 32}], "filename": "tools.iso"},
    ]
    assert helper["model_numbers"] == ["XS-84"]
    assert helper["skus"] == ["XS-84-STD"]
    assert helper["serial_numbers"] == ["SN-1"]
    assert helper["sbom_urls"] == ["https://downloads.example.com/xenserver-8.4.spdx.json"]
    release = _products(document)["CSAFPID-xenserver-8.4-normal-8.4.2026-03-24"]
    assert release["product_identification_helper"]["purl"] == "pkg:generic/xenserver@8.4.1"
    assert csaf_errors(document, "2.0") == []
    report = validate_document(document, Preset.FULL)
    assert not [f.line() for f in report.findings if f.level is Level.ERROR]
    assert "6.2.16" not in {f.test_id for f in report.findings}


def test_csaf_2_1_lists_every_purl() -> None:
    document = _document(_catalog(IDENTITY, ProductIdentity()), CsafVersion.V2_1)

    helper = _products(document)["CSAFPID-xenserver-8.4-normal"]["product_identification_helper"]

    assert helper["purls"] == list(IDENTITY.purls)
    assert "purl" not in helper
    assert [uri["namespace"] for uri in helper["x_generic_uris"]] == [f"{BASE}/api/v1/products"]
    assert csaf_errors(document, "2.1") == []


@pytest.mark.parametrize("version", list(CsafVersion))
def test_an_identity_with_only_a_hash_is_valid(version: CsafVersion) -> None:
    only_hash = ProductIdentity(hashes=IDENTITY.hashes[:1])
    document = _document(_catalog(only_hash, only_hash), version)

    assert csaf_errors(document, version.value) == []
