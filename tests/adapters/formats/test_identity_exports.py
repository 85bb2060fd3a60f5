"""The catalog's identifiers in the OSV and CVE JSON 5 exports."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from herald import demo
from herald.adapters.formats.cve5 import cve_cna_container
from herald.adapters.formats.osv import osv_record
from herald.adapters.formats.packages import package_of
from herald.domain import Catalog, Product, ProductIdentity

from .test_csaf_schemas import cve_errors, osv_errors

BASE = "https://bulletins.example.com"
CPE = "cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*"


def _catalog(identity: ProductIdentity) -> Catalog:
    product = demo.catalog().products[0]
    versions = tuple(
        replace(v, identity=identity) if v.name == "8.4" else v for v in product.versions
    )
    return Catalog((Product(**{**product.__dict__, "versions": versions}),))


def _osv(identity: ProductIdentity) -> dict[str, Any]:
    return osv_record(demo.reference_bulletin(), _catalog(identity), demo.publisher(), BASE)


def _cve(identity: ProductIdentity) -> dict[str, Any]:
    bulletin = demo.reference_bulletin()
    return cve_cna_container(bulletin, bulletin.cves[0], _catalog(identity), demo.publisher(), BASE)


def test_osv_names_the_package_of_a_registered_ecosystem() -> None:
    record = _osv(ProductIdentity(cpe=CPE, purls=("pkg:pypi/xenserver-tools@8.4",)))

    (affected,) = record["affected"]
    assert affected["package"] == {
        "ecosystem": "PyPI",
        "name": "xenserver-tools",
        "purl": "pkg:pypi/xenserver-tools",
    }
    assert affected["database_specific"]["cpe"] == CPE
    assert affected["database_specific"]["purls"] == ["pkg:pypi/xenserver-tools@8.4"]
    assert osv_errors(record) == []


def test_osv_names_no_package_for_an_rpm_purl() -> None:
    record = _osv(ProductIdentity(purls=("pkg:rpm/xenserver/xenserver-release@8.4",)))

    (affected,) = record["affected"]
    assert "package" not in affected
    assert affected["database_specific"]["purls"] == ["pkg:rpm/xenserver/xenserver-release@8.4"]
    assert osv_errors(record) == []


def test_cve_lists_the_cpe_and_the_package_collection() -> None:
    container = _cve(ProductIdentity(cpe=CPE, purls=("pkg:npm/%40xenserver/tools@8.4.0",)))

    (affected,) = container["affected"]
    assert affected["cpes"] == [CPE]
    assert affected["collectionURL"] == "https://registry.npmjs.org"
    assert affected["packageName"] == "@xenserver/tools"
    assert affected["vendor"] == "Cloud Software Group, Inc."
    assert cve_errors(container) == []


def test_cve_has_no_identifiers_where_the_catalog_has_none() -> None:
    container = _cve(ProductIdentity())

    (affected,) = container["affected"]
    assert not {"cpes", "collectionURL", "packageName"} & set(affected)
    assert cve_errors(container) == []


@pytest.mark.parametrize(
    ("purl", "ecosystem", "name"),
    [
        ("pkg:maven/org.example/tool@1.0", "Maven", "org.example:tool"),
        ("pkg:golang/example.com/x/tool@v1.2.3", "Go", "example.com/x/tool"),
        ("pkg:cargo/tool@1.0.0", "crates.io", "tool"),
        ("pkg:github/xenserver/tool@v1", None, "xenserver/tool"),
    ],
)
def test_purls_map_to_their_registries(purl: str, ecosystem: str | None, name: str) -> None:
    package = package_of(purl)

    assert package is not None
    assert (package.ecosystem, package.name) == (ecosystem, name)
    assert "@" not in package.purl.removeprefix("pkg:npm/%40")


def test_purls_of_no_registry_name_no_package() -> None:
    assert package_of("pkg:rpm/xenserver/xen-hypervisor@4.17") is None
    assert package_of("pkg:generic/xenserver@8.4") is None
    assert package_of("pkg:pypi/a/b") is None  # PyPI has no namespaces
