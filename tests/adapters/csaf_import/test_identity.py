"""A CSAF advisory's product identification helpers become the identity of the catalog
entries the import creates (real vendor advisories and herald's own export)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from herald import demo
from herald.adapters.csaf_import import plan_import
from herald.adapters.formats.csaf import csaf_document
from herald.domain import Catalog, FileHash, HashAlgorithm, ProductIdentity
from herald.domain.catalog import Product

EXAMPLES = Path("/work/shared/standards/csaf/examples/2.0/csaf")

pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="the shared standards are absent")


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def _stored(products: tuple[Product, ...], name: str) -> Product:
    return next(p for p in products if p.name == name)


def test_cpe_2_2_uris_of_a_vendor_advisory_become_cpe_2_3_names() -> None:
    planned = plan_import(_load("bsi-2022-0001.json"), Catalog(), demo.publisher())

    product = _stored(planned.products, "CVRF-CSAF-Converter")
    identities = {v.name: v.identity for v in product.versions}
    assert identities["1.0.0-alpha"] == ProductIdentity(
        cpe="cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha:*:*:*:*:*:*:*"
    )
    assert len(identities) == 5 and all(i.cpe for i in identities.values())
    assert any(
        "the CPE 2.2 URI 'cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha' is kept as "
        "'cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha:*:*:*:*:*:*:*'" in line
        for line in planned.report
    )


def test_herald_s_own_export_brings_its_identifiers_back() -> None:
    document = csaf_document(
        demo.reference_bulletin(), demo.catalog(), demo.publisher(), "https://b.example.com"
    )

    planned = plan_import(document, Catalog(), demo.publisher())

    product = _stored(planned.products, "XenServer")
    assert product.version("8.4").identity.cpe == "cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*"
    assert product.version("8.4").hidden  # created for the draft: hidden until published


def test_each_identifier_is_kept_or_reported_on_its_own() -> None:
    document = csaf_document(
        demo.reference_bulletin(), demo.catalog(), demo.publisher(), "https://b.example.com"
    )
    changed = copy.deepcopy(document)
    version = changed["product_tree"]["branches"][0]["branches"][0]["branches"][0]
    leaf = version["branches"][0]["product"]  # the Early Access channel of 8.4
    leaf["product_identification_helper"] = {
        "cpe": "cpe:2.3:a:broken",
        "purl": "pkg:PyPI/XenServer-Tools@8.4",
        "hashes": [
            {
                "filename": "XenServer-8.4.iso",
                "file_hashes": [
                    {"algorithm": "md5", "value": "0" * 32},
                    {"algorithm": "SHA256", "value": "AB" * 32},
                ],
            }
        ],
        "sbom_urls": ["http://insecure.example.com/sbom.json", "https://x.example.com/s.json"],
        "model_numbers": ["XS-84"],
    }

    planned = plan_import(changed, Catalog(), demo.publisher())

    identity = _stored(planned.products, "XenServer").version("8.4").identity
    assert identity == ProductIdentity(
        purls=("pkg:pypi/xenserver-tools@8.4",),
        hashes=(FileHash(HashAlgorithm.SHA256, "ab" * 32, "XenServer-8.4.iso"),),
        model_numbers=("XS-84",),
        sbom_urls=("https://x.example.com/s.json",),
    )
    report = "\n".join(planned.report)
    channel = "CSAFPID-xenserver-8.4-early-access"
    assert f"{channel}: product_identification_helper.cpe: 'cpe:2.3:a:broken'" in report
    assert "the md5 hash of 'XenServer-8.4.iso' is left out" in report
    assert "sbom_urls: 'http://insecure.example.com/sbom.json' is not an https:// URL" in report
    assert (
        "CSAFPID-xenserver-8.4-normal-8.4.2026-03-24: product_identification_helper"
        ".x_generic_uris: not imported" in report
    )
    assert f"{channel}: product_identification_helper.x_generic_uris" not in report
