"""The optional tests of CSAF 2.0 section 6.2: failures are warnings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from herald.adapters.csaf_validation.checks import CheckList, Problem, parse_datetime
from herald.adapters.csaf_validation.cvss_scores import compute_v2, compute_v3, effective_vector
from herald.adapters.csaf_validation.index import DocumentIndex, Ids, escape
from herald.adapters.csaf_validation.language_tags import uses_private_subtags
from herald.adapters.csaf_validation.mandatory import _covered
from herald.adapters.csaf_validation.report import Level
from herald.adapters.csaf_validation.schema import compiled_schemas
from herald.adapters.csaf_validation.versions import parse_version

OPTIONAL = CheckList(Level.WARNING)
test = OPTIONAL

_AFFECTED = ("first_affected", "known_affected", "last_affected")
_NONE = Ids([], "")


@test("6.2.1", "Unused Definition of Product ID")
def unused_product(index: DocumentIndex) -> Iterator[Problem]:
    if index.category == "csaf_informational_advisory":
        return
    used: set[str] = set()
    for ids in index.product_references:
        used.update(ids.values())
    for product in index.products:
        if product.product_id is not None and product.product_id not in used:
            yield f"{product.path}/product_id", f"Product id {product.product_id} is never used"


@test("6.2.2", "Missing Remediation")
def missing_remediation(index: DocumentIndex) -> Iterator[Problem]:
    members = index.group_members()
    for vulnerability in index.vulnerabilities:
        covered = _covered(vulnerability.remediations, members)
        for key in (*_AFFECTED, "under_investigation"):
            for ref in vulnerability.status.get(key, _NONE).not_in(covered):
                yield ref.path, f"Product id {ref.value} ({key}) has no remediation"


@test("6.2.3", "Missing Score")
def missing_score(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        scored: set[str] = set()
        for score in vulnerability.scores:
            scored.update(score.products.values())
        for key in _AFFECTED:
            for ref in vulnerability.status.get(key, _NONE).not_in(scored):
                yield ref.path, f"Product id {ref.value} ({key}) has no score"


@test("6.2.4", "Build Metadata in Revision History")
def build_metadata(index: DocumentIndex) -> Iterator[Problem]:
    for revision in index.revisions:
        version = parse_version(revision.number)
        if version is not None and version.build is not None:
            yield f"{revision.path}/number", f"Revision {version.text} has build metadata"


def _revision_moments(index: DocumentIndex) -> list[Any]:
    moments = [parse_datetime(revision.date) for revision in index.revisions if revision.date]
    return [moment for moment in moments if moment is not None]


@test("6.2.5", "Older Initial Release Date than Revision History")
def older_initial_release(index: DocumentIndex) -> Iterator[Problem]:
    initial = index.tracking.get("initial_release_date")
    moments = _revision_moments(index)
    moment = parse_datetime(initial) if isinstance(initial, str) else None
    if moment is not None and moments and moment < min(moments):
        yield (
            "/document/tracking/initial_release_date",
            f"The initial release date {initial} is older than the oldest revision",
        )


@test("6.2.6", "Older Current Release Date than Revision History")
def older_current_release(index: DocumentIndex) -> Iterator[Problem]:
    current = index.tracking.get("current_release_date")
    moments = _revision_moments(index)
    moment = parse_datetime(current) if isinstance(current, str) else None
    if moment is not None and moments and moment < max(moments):
        yield (
            "/document/tracking/current_release_date",
            f"The current release date {current} is older than the newest revision",
        )


@test("6.2.7", "Missing Date in Involvements")
def involvement_without_date(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        for path, involvement in vulnerability.involvements:
            if "date" not in involvement:
                yield path, "The involvement has no date"


def _only_algorithm(index: DocumentIndex, algorithm: str) -> Iterator[Problem]:
    for hashes in index.hash_lists:
        algorithms = {
            value if isinstance(value, str) else None
            for value in (entry.get("algorithm") for _, entry in hashes.file_hashes)
        }
        if algorithms == {algorithm}:
            yield f"{hashes.path}/file_hashes", f"{algorithm} is the only hash algorithm"


@test("6.2.8", "Use of MD5 as the only Hash Algorithm")
def only_md5(index: DocumentIndex) -> Iterator[Problem]:
    return _only_algorithm(index, "md5")


@test("6.2.9", "Use of SHA-1 as the only Hash Algorithm")
def only_sha1(index: DocumentIndex) -> Iterator[Problem]:
    return _only_algorithm(index, "sha1")


@test("6.2.10", "Missing TLP label")
def missing_tlp(index: DocumentIndex) -> Iterator[Problem]:
    distribution = index.meta.get("distribution")
    tlp = distribution.get("tlp") if isinstance(distribution, dict) else None
    label = tlp.get("label") if isinstance(tlp, dict) else None
    if label not in ("AMBER", "GREEN", "RED", "WHITE"):
        yield "/document/distribution/tlp/label", "The document has no TLP label"


def expected_file_name(tracking_id: str) -> str:
    """The file name CSAF 2.0 section 5.1 gives a document with this tracking id."""
    return re.sub(r"[^+\-a-z0-9]+", "_", tracking_id.lower()) + ".json"


@test("6.2.11", "Missing Canonical URL")
def missing_canonical_url(index: DocumentIndex) -> Iterator[Problem]:
    tracking_id = index.tracking.get("id")
    references = index.meta.get("references")
    name = expected_file_name(tracking_id) if isinstance(tracking_id, str) else None
    for reference in references if isinstance(references, list) else []:
        if not isinstance(reference, dict) or reference.get("category") != "self":
            continue
        url = reference.get("url")
        if (
            name is not None
            and isinstance(url, str)
            and url.startswith("https://")
            and url.endswith("/" + name)
        ):
            return
    yield "/document/references", "No self reference is a canonical https URL of the document"


@test("6.2.12", "Missing Document Language")
def missing_language(index: DocumentIndex) -> Iterator[Problem]:
    if not index.lang:
        yield "/document/lang", "The document language is not given"


@test("6.2.13", "Sorting")
def sorting(index: DocumentIndex) -> Iterator[Problem]:
    stack: list[tuple[Any, str]] = [(index.document, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            keys = list(value)
            for before, after in pairwise(keys):
                if after < before:
                    yield f"{path}/{escape(after)}", f"The key {after!r} comes after {before!r}"
                    break
            stack.extend((item, f"{path}/{escape(key)}") for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, f"{path}/{position}") for position, item in enumerate(value))


@test("6.2.14", "Use of Private Language")
def private_language(index: DocumentIndex) -> Iterator[Problem]:
    for key, value in (("lang", index.lang), ("source_lang", index.source_lang)):
        if value is not None and uses_private_subtags(value):
            yield f"/document/{key}", f"The language tag {value!r} uses private-use subtags"


@test("6.2.15", "Use of Default Language")
def default_language(index: DocumentIndex) -> Iterator[Problem]:
    for key, value in (("lang", index.lang), ("source_lang", index.source_lang)):
        if value is not None and value.lower() == "i-default":
            yield f"/document/{key}", "The language tag is i-default"


@test("6.2.16", "Missing Product Identification Helper")
def missing_identification_helper(index: DocumentIndex) -> Iterator[Problem]:
    for product in index.products:
        if "product_identification_helper" not in product.data:
            yield product.path, f"Product {product.product_id} has no product identification helper"


_CVE = re.compile(r"CVE-[0-9]{4}-[0-9]{4,}")


@test("6.2.17", "CVE in field IDs")
def cve_in_ids(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        ids = vulnerability.data.get("ids")
        for position, item in enumerate(ids if isinstance(ids, list) else []):
            text = item.get("text") if isinstance(item, dict) else None
            if isinstance(text, str) and _CVE.fullmatch(text):
                yield f"{vulnerability.path}/ids/{position}", f"{text} belongs in cve, not ids"


_VERS = re.compile(r"vers:[a-z\.\-\+][a-z0-9\.\-\+]*/.+", re.DOTALL)


@test("6.2.18", "Product Version Range without vers")
def range_without_vers(index: DocumentIndex) -> Iterator[Problem]:
    for branch in index.branches:
        if (
            branch.category == "product_version_range"
            and branch.name is not None
            and not _VERS.match(branch.name)
        ):
            yield f"{branch.path}/name", f"The range {branch.name!r} is not a vers range"


def _environmental(cvss: dict[str, Any] | None, *, v3: bool) -> float | None:
    if cvss is None:
        return None
    given = cvss.get("environmentalScore")
    if isinstance(given, int | float) and not isinstance(given, bool) and given == 0:
        return 0.0
    vector = effective_vector(cvss, v3=v3)
    if vector is None:
        return None
    if v3:
        version = cvss.get("version")
        computed = compute_v3(vector, str(version)) if version in ("3.0", "3.1") else None
    else:
        computed = compute_v2(vector)
    return computed.environmental_score if computed is not None else None


@test("6.2.19", "CVSS for Fixed Products")
def cvss_for_fixed(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        fixed = {
            ref.value
            for key in ("first_fixed", "fixed")
            for ref in vulnerability.status.get(key, [])
        }
        if not fixed:
            continue
        for score in vulnerability.scores:
            hit = sorted(fixed.intersection(score.products.values()))
            if not hit:
                continue
            for key, cvss, v3 in (
                ("cvss_v2", score.cvss_v2, False),
                ("cvss_v3", score.cvss_v3, True),
            ):
                environmental = _environmental(cvss, v3=v3)
                if cvss is not None and environmental != 0:
                    yield (
                        f"{score.path}/{key}",
                        f"The environmental score should be 0: {hit[0]} is fixed",
                    )


@test("6.2.20", "Additional Properties")
def additional_properties(index: DocumentIndex) -> Iterator[Problem]:
    """Violations of the strict schema that the schema itself does not already report."""
    schemas = compiled_schemas()
    strict = schemas.strict_errors(index.document)
    if not strict:
        return
    known = set(schemas.csaf_errors(index.document))
    for error in strict:
        if error not in known:
            yield error.path, error.message
