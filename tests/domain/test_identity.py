"""Product identity in the domain: CPE 2.3 names, purls, hashes, SBOM URLs, components,
and ``vers`` ranges; every malformed value refused naming its field."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings

from herald import demo
from herald.domain import (
    ComponentKind,
    FileHash,
    HashAlgorithm,
    ProductComponent,
    ProductIdentity,
    ValidationError,
    parse_version_range,
)
from herald.domain.catalog import Component, Release, check_product
from herald.domain.catalog_editing import with_component, with_identity, with_release
from herald.domain.components import shipped_versions
from herald.domain.identity import (
    canonical_purl,
    cpe_from_uri,
    parse_file_hash,
    parse_identity,
)
from tests import strategies

CSAF_SCHEMA = Path("/work/shared/standards/csaf/schemas/2.0/json_schema/csaf_json_schema.json")


def _refused(field: str, says: str, **fields: object) -> None:
    with pytest.raises(ValidationError) as raised:
        ProductIdentity(**fields)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert says in raised.value.reason


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"cpe": "cpe:2.3:a:x"}, "cpe", "'cpe:2.3:a:x' is not a CPE 2.3 name"),
        ({"cpe": "cpe:/a:citrix:xenserver:8.4"}, "cpe", "starts with 'cpe:2.3:'"),
        ({"cpe": "cpe:2.3:q:a:b:*:*:*:*:*:*:*:*"}, "cpe", "the part (a, o or h)"),
        ({"cpe": " cpe:2.3:a:a:b:*:*:*:*:*:*:*:*"}, "cpe", "blanks"),
        ({"cpe": "cpe:2.3:a:a:b:*:*:*:*:*:*:*:*\n"}, "cpe", "blanks"),
        ({"purls": ("pkg:rpm/a", "nope")}, "purls[1]", "'nope' is not a package URL"),
        ({"purls": ("pkg:PyPI/Django",)}, "purls[0]", "write 'pkg:pypi/django'"),
        ({"purls": ("pkg:rpm/a", "pkg:rpm/a")}, "purls[1]", "appears twice"),
        ({"sbom_urls": ("http://example.com/s",)}, "sbom_urls[0]", "https://"),
        ({"sbom_urls": ("javascript:alert(1)",)}, "sbom_urls[0]", "https://"),
        ({"model_numbers": ("",)}, "model_numbers[0]", "must not be empty"),
        ({"skus": ("a\u202eb",)}, "skus[0]", "control characters"),
        ({"serial_numbers": ("S", "S")}, "serial_numbers[1]", "appears twice"),
        ({"purls": tuple(f"pkg:rpm/p{n}" for n in range(51))}, "purls", "at most 50"),
    ],
)
def test_a_malformed_identifier_is_refused_naming_its_field(
    fields: dict[str, object], field: str, says: str
) -> None:
    _refused(field, says, **fields)


@pytest.mark.parametrize(
    ("algorithm", "value", "field", "says"),
    [
        (HashAlgorithm.SHA256, "ab" * 31, "value", "64 hexadecimal digits"),
        (HashAlgorithm.SHA512, "zz" * 64, "value", "not a sha512 hash"),
        (HashAlgorithm.SHA384, "AB" * 48, "value", "lower-case"),
        ("md5", "ab" * 16, "algorithm", "one of sha256"),
    ],
)
def test_a_malformed_hash_is_refused(algorithm: str, value: str, field: str, says: str) -> None:
    with pytest.raises(ValidationError) as raised:
        FileHash(algorithm, value, "x.iso")  # type: ignore[arg-type]
    assert raised.value.field == field and says in raised.value.reason


def test_hashes_in_an_identity_are_named_by_position() -> None:
    good = FileHash(HashAlgorithm.SHA256, "ab" * 32, "x.iso")
    with pytest.raises(ValidationError) as raised:
        ProductIdentity(hashes=(good, replace(good, value="cd" * 32)))
    assert raised.value.field == "hashes[1]"
    assert "'x.iso' has a sha256 hash already" in raised.value.reason


def test_text_fields_become_an_identity() -> None:
    identity = parse_identity(
        " cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:* ",
        ["pkg:generic/xenserver@8.4", "  ", ""],
        [f"SHA256:{'AB' * 32} XenServer 8.4.iso"],
    )
    assert identity.cpe == "cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*"
    assert identity.purls == ("pkg:generic/xenserver@8.4",)
    assert identity.hashes == (FileHash(HashAlgorithm.SHA256, "ab" * 32, "XenServer 8.4.iso"),)
    with pytest.raises(ValidationError) as raised:
        parse_identity(hashes=["sha256:abcd"])
    assert raised.value.field == "hashes[0]" and "algorithm:value file_name" in raised.value.reason
    with pytest.raises(ValidationError) as raised:
        parse_file_hash("sha1:abcd x.iso")
    assert "one of sha256" in raised.value.reason


def test_a_cpe_2_2_uri_becomes_the_cpe_2_3_name_it_stands_for() -> None:
    assert cpe_from_uri("cpe:/o:redhat:rhel_aus:7.6::server") == (
        "cpe:2.3:o:redhat:rhel_aus:7.6:*:server:*:*:*:*:*"
    )
    with pytest.raises(ValidationError):
        cpe_from_uri("cpe:2.3:a:a:b:*:*:*:*:*:*:*:*")


@pytest.mark.skipif(not CSAF_SCHEMA.is_file(), reason="the shared standards are absent")
@settings(max_examples=300, deadline=None)
@given(cpe=strategies.cpes)
def test_every_cpe_herald_accepts_matches_the_csaf_pattern(cpe: str) -> None:
    schema = json.loads(CSAF_SCHEMA.read_text(encoding="utf-8"))
    helper = schema["$defs"]["full_product_name_t"]["properties"]["product_identification_helper"]
    assert re.search(helper["properties"]["cpe"]["pattern"], cpe)
    assert ProductIdentity(cpe=cpe).cpe == cpe


@settings(max_examples=200, deadline=None)
@given(purl=strategies.purls)
def test_a_canonical_purl_stays_canonical(purl: str) -> None:
    assert canonical_purl(purl) == purl
    assert ProductIdentity(purls=(purl,)).purls == (purl,)


# --- components --------------------------------------------------------------------------


def test_the_demo_declares_the_components_its_releases_ship() -> None:
    product = demo.catalog().products[0]
    check_product(product)
    assert [c.id for c in product.components] == ["xen-hypervisor", "xapi"]
    assert shipped_versions(product, "8.4", "xen-hypervisor") == ("4.17.5-20",)


def test_component_ids_are_unique_and_releases_ship_declared_ones() -> None:
    product = demo.catalog().products[0]
    twice = replace(product, components=(*product.components, product.components[0]))
    with pytest.raises(ValidationError) as raised:
        check_product(twice)
    assert raised.value.field == "components[2].id"

    release = Release("8.4.x", demo.REFERENCE_DAY, (Component("qemu", "8.0"),))
    with pytest.raises(ValidationError) as raised:
        with_release(product, "8.4", "Normal", release)
    assert raised.value.field == "components"
    assert "'qemu' is not a component of XenServer" in raised.value.reason

    qemu = ProductComponent("qemu", "QEMU", ComponentKind.APPLICATION)
    with_qemu = with_release(with_component(product, qemu), "8.4", "Normal", release)
    check_product(with_qemu)
    assert with_qemu.version("8.4").channel("Normal").release("8.4.x").components[0].name == "qemu"


def test_a_product_without_components_keeps_free_component_names() -> None:
    product = replace(demo.catalog().products[0], components=())
    release = Release("8.4.x", demo.REFERENCE_DAY, (Component("anything", "1"),))
    check_product(with_release(product, "8.4", "Normal", release))


def test_identity_is_set_on_a_version_or_a_release() -> None:
    product = demo.catalog().products[0]
    given_identity = ProductIdentity(purls=("pkg:generic/xenserver@8.4.1",))
    on_release = with_identity(product, given_identity, "8.4", "Normal", "8.4.2026-03-24")
    assert on_release.version("8.4").channel("Normal").releases[0].identity == given_identity
    assert on_release.version("8.4").identity == product.version("8.4").identity
    with pytest.raises(ValidationError) as raised:
        with_identity(product, given_identity, "8.4", "Normal")
    assert raised.value.field == "release"


# --- vers ranges -------------------------------------------------------------------------


def test_a_vers_range_contains_the_versions_it_says() -> None:
    affected = parse_version_range(" vers:rpm/>=4.17.5-1|<4.17.5-20 ")
    assert str(affected) == "vers:rpm/>=4.17.5-1|<4.17.5-20"
    assert affected.scheme == "rpm"
    assert affected.contains("4.17.5-3")
    assert not affected.contains("4.17.5-20")
    assert parse_version_range("vers:generic/>=1.2|<1.4").contains("1.3")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "must not be empty"),
        ("rpm/>=1", "starts with 'vers:'"),
        ("vers:nope/1.0", "unknown versioning scheme: 'nope'"),
        ("vers:generic/", "no version range constraints"),
        ("vers:pypi/>=not a version", "not a valid pypi version"),
    ],
)
def test_a_malformed_vers_range_is_refused_naming_the_field(text: str, says: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_version_range(text, "components[0].versions")
    assert raised.value.field == "components[0].versions"
    assert says in raised.value.reason
