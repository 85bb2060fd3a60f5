"""Offline validators for the shared CSAF 2.0/2.1, OSV and CVE JSON 5 schemas.

The CSAF schemas refer to the FIRST CVSS schemas by URL without the ``?date`` suffix
their own ids carry (and the v2.0/v3.0 ones are draft-04 with ``id``), so each CVSS file
is registered under the URL the CSAF schema uses. Other test modules import
``csaf_errors``, ``osv_errors`` and ``cve_errors`` from here; the tests below check the
validators themselves against the standard's own examples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from jsonschema import (  # type: ignore[import-untyped]  # no stubs; pyproject is not ours
    Draft4Validator,
    Draft7Validator,
    Draft202012Validator,
    FormatChecker,
)
from jsonschema.protocols import Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT7, DRAFT202012

from herald import demo
from herald.domain import (
    ArticleId,
    Bulletin,
    BulletinContent,
    Catalog,
    ChangeLogEntry,
    ChannelRef,
    CveId,
    Fix,
    Lifecycle,
    Product,
    ProductId,
    ProductVersion,
    Publisher,
    Release,
    UpdateChannel,
    VersionRef,
)
from herald.domain.workflow import amend, new_draft, publish, withdraw
from tests.strategies import SCORES, cwe_ids, identities

STANDARDS = Path("/work/shared/standards")
CSAF = STANDARDS / "csaf"
EXAMPLES = sorted((CSAF / "examples/2.0/csaf").rglob("*.json"))

pytestmark = pytest.mark.skipif(not STANDARDS.is_dir(), reason="the shared standards are absent")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _cvss_resources(folder: Path) -> list[tuple[str, Resource[Any]]]:
    found = []
    for name, spec in (
        ("cvss-v2.0", DRAFT4),
        ("cvss-v3.0", DRAFT4),
        ("cvss-v3.1", DRAFT7),
        ("cvss-v4.0", DRAFT202012),
    ):
        path = folder / f"{name}.json"
        if path.exists():
            resource = Resource.from_contents(_load(path), default_specification=spec)
            found.append((f"https://www.first.org/cvss/{name}.json", resource))
    meta = folder / "meta.json"
    if meta.exists():
        found.append(
            (
                "https://www.first.org/cvss/meta.json",
                Resource.from_contents(_load(meta), DRAFT202012),
            )
        )
    return found


@cache
def csaf_validator(version: str = "2.0") -> Validator:
    if version == "2.0":
        schema = _load(CSAF / "schemas/2.0/json_schema/csaf_json_schema.json")
        resources = _cvss_resources(CSAF / "schemas/2.0/referenced_schema/first")
    else:
        schema = _load(CSAF / "schemas/2.1/json_schema/csaf.json")
        resources = _cvss_resources(CSAF / "schemas/2.1/referenced_schema/first")
        ssvc = CSAF / "schemas/2.1/referenced_schema/certcc/SelectionList_2_0_0.schema.json"
        resources.append(
            (
                "https://certcc.github.io/SSVC/data/schema/v2/SelectionList_2_0_0.schema.json",
                Resource.from_contents(_load(ssvc), DRAFT202012),
            )
        )
        meta = CSAF / "schemas/2.1/json_schema/meta.json"
        resources.append((schema["$schema"], Resource.from_contents(_load(meta), DRAFT202012)))
        schema = {**schema, "$schema": "https://json-schema.org/draft/2020-12/schema"}
    registry: Registry[Any] = Registry().with_resources(resources)
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


@cache
def _osv_validator() -> Validator:
    schema = _load(STANDARDS / "osv/schema.json")
    return Draft202012Validator(schema, format_checker=FormatChecker())


@cache
def _cve_validator() -> Validator:
    schema = _load(STANDARDS / "cve/CVE_JSON_cnaPublishedContainer_5.1.1.json")
    if schema.get("$schema", "").startswith("http://json-schema.org/draft-04"):
        return Draft4Validator(schema, format_checker=FormatChecker())
    return Draft7Validator(schema, format_checker=FormatChecker())


def _messages(validator: Validator, document: object) -> list[str]:
    return sorted(
        f"{'/'.join(str(part) for part in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    )


def csaf_errors(document: object, version: str = "2.0") -> list[str]:
    """Every schema error of a CSAF document (empty when valid)."""
    return _messages(csaf_validator(version), document)


def osv_errors(document: object) -> list[str]:
    return _messages(_osv_validator(), document)


def cve_errors(document: object) -> list[str]:
    return _messages(_cve_validator(), document)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_the_standards_examples_pass_the_csaf_validator(path: Path) -> None:
    assert csaf_errors(_load(path)) == []


def test_the_csaf_validator_rejects_a_broken_document() -> None:
    document = _load(EXAMPLES[0])
    document["document"]["tracking"]["status"] = "published"
    assert any("tracking/status" in error for error in csaf_errors(document))


def test_the_validators_reject_a_bad_cvss_object() -> None:
    document = _load(CSAF / "examples/2.0/csaf/cisco-sa-20180328-smi2.json")
    scored = [v for v in document["vulnerabilities"] if "scores" in v]
    scored[0]["scores"][0]["cvss_v3"]["baseSeverity"] = "Medium"
    assert csaf_errors(document) != []


# --- generated public bulletins, shared by the CSAF, OSV and CVE tests -----------------


@dataclass(frozen=True)
class Case:
    """A public bulletin with the catalog and publisher it was built against."""

    bulletin: Bulletin
    catalog: Catalog
    publisher: Publisher


_NAMES = st.sampled_from(
    ["8.4", "9", "Early Access", "Normal", "LTSR", "8.4.2026-03-19", "v2 (beta)", "ünï cødé", "a/b"]
)
_DAY = date(2026, 3, 24)


def _unique(strategy: st.SearchStrategy[str], low: int, high: int) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, min_size=low, max_size=high, unique=True)


@st.composite
def _product(draw: st.DrawFn, product_id: str) -> Product:
    versions = []
    for index, version_name in enumerate(draw(_unique(_NAMES, 1, 3))):
        lifecycle = Lifecycle.SUPPORTED if index == 0 else draw(st.sampled_from(Lifecycle))
        channels = []
        for channel_name in draw(_unique(_NAMES, 1, 3)):
            names = draw(_unique(_NAMES, 1, 3))
            releases = tuple(
                Release(name, _DAY - timedelta(days=10 - offset), identity=draw(identities))
                for offset, name in enumerate(names)
            )
            channels.append(UpdateChannel(channel_name, releases))
        versions.append(
            ProductVersion(
                version_name, lifecycle, channels=tuple(channels), identity=draw(identities)
            )
        )
    return Product(ProductId(product_id), f"Product {product_id}", tuple(versions))


@st.composite
def public_cases(draw: st.DrawFn) -> Case:
    """Published (perhaps amended, perhaps withdrawn) bulletins over varied catalogs; some
    CVEs have weaknesses."""
    product_ids = draw(_unique(st.sampled_from(["xenserver", "xcp-ng", "tools"]), 1, 2))
    catalog = Catalog(tuple(draw(_product(pid)) for pid in product_ids))
    publisher = demo.publisher()
    supported = [
        VersionRef(product.id, version.name)
        for product in catalog.products
        for version in product.versions
        if version.lifecycle is Lifecycle.SUPPORTED
    ]
    others = [
        VersionRef(product.id, version.name)
        for product in catalog.products
        for version in product.versions
        if version.lifecycle is Lifecycle.END_OF_LIFE
    ]
    affected = draw(st.lists(st.sampled_from(supported), min_size=1, unique=True))
    if others:
        affected += draw(st.lists(st.sampled_from(others), max_size=1))
    fixes = []
    for ref in affected:
        if not catalog.version(ref).lifecycle.covered:
            continue
        for channel in catalog.version(ref).channels:
            channel_ref = ChannelRef(ref.product, ref.version, channel.name)
            if draw(st.booleans()):
                release = draw(st.sampled_from(channel.releases)).name
                fixes.append(Fix(channel_ref, release=release))
            else:
                fixes.append(Fix(channel_ref, mitigation="Turn *the thing* off."))
    cves = draw(
        st.lists(st.integers(1000, 99999), min_size=1, max_size=3, unique=True).map(
            lambda numbers: tuple(CveId(f"CVE-2026-{n}") for n in numbers)
        )
    )
    scores = draw(st.lists(st.sampled_from(SCORES), max_size=2, unique_by=lambda s: s.version))
    weaknesses = draw(
        st.dictionaries(
            st.sampled_from(cves),
            st.lists(cwe_ids, min_size=1, max_size=3, unique=True).map(tuple),
            max_size=len(cves),
        )
    )
    content = BulletinContent(
        title=draw(st.sampled_from(["Security update", "ünïcødé: <b>x</b> & y"])),
        severity=draw(st.sampled_from(publisher.severities)),
        cves=cves,
        cvss=tuple(scores),
        weaknesses=weaknesses,
        problem=draw(st.sampled_from(["A *problem*.", "Line one.\n\nLine two."])),
        affected=tuple(affected),
        fixes=tuple(fixes),
    )
    at = datetime(2026, 3, 24, 16, 0, tzinfo=UTC)
    bulletin = new_draft(ArticleId("CTX100200"), content, catalog, publisher, at)
    bulletin = publish(bulletin, catalog, publisher, _DAY, at)
    for number in range(draw(st.integers(0, 2))):
        later = at + timedelta(days=draw(st.integers(0, 2)), hours=number + 1)
        amended = replace(content, title=f"{content.title} (revision {number + 2})")
        entry = ChangeLogEntry(max(later.date(), bulletin.changelog[-1].on), f"Change {number}")
        bulletin = amend(bulletin, amended, entry, catalog, publisher, later)
        content, at = amended, later
    if draw(st.booleans()):
        later = at + timedelta(hours=3)
        entry = ChangeLogEntry(max(later.date(), bulletin.changelog[-1].on), "Withdrawn: wrong.")
        bulletin = withdraw(bulletin, entry, later)
    return Case(bulletin, catalog, publisher)
