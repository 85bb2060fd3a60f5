"""The mandatory tests of CSAF 2.0 section 6.1: a failure makes the document invalid."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from herald.adapters.csaf_validation.checks import (
    CheckList,
    Problem,
    dated_revisions,
    parse_datetime,
)
from herald.adapters.csaf_validation.cvss_scores import (
    V2_PROPERTIES,
    V3_PROPERTIES,
    Computed,
    compute_v2,
    compute_v3,
    vector_metrics,
)
from herald.adapters.csaf_validation.index import DocumentIndex, Ids, ProductBinding, Vulnerability
from herald.adapters.csaf_validation.language_tags import language_tag_problem
from herald.adapters.csaf_validation.purl import PLAIN_PURL, purl_problem
from herald.adapters.csaf_validation.report import Level
from herald.adapters.csaf_validation.schema import compiled_schemas
from herald.adapters.csaf_validation.versions import Version, parse_version
from herald.domain.weaknesses import CWE_VERSION, weakness_names

MANDATORY = CheckList(Level.ERROR)
test = MANDATORY

PROFILE_CATEGORIES = (
    "csaf_base",
    "csaf_security_incident_response",
    "csaf_informational_advisory",
    "csaf_security_advisory",
    "csaf_vex",
)
_OTHER_PROFILES = {
    "csaf_security_incident_response": "Security incident response",
    "csaf_informational_advisory": "Informational Advisory",
    "csaf_security_advisory": "Security Advisory",
    "csaf_vex": "VEX",
}
VEX_JUSTIFICATIONS = frozenset(
    {
        "component_not_present",
        "inline_mitigations_already_exist",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "vulnerable_code_not_in_execute_path",
        "vulnerable_code_not_present",
    }
)


def _distinct(values: list[object]) -> bool:
    """True when no value repeats (False for unhashable values: let the slow path look)."""
    try:
        return len(set(values)) == len(values)
    except TypeError:
        return False


def _all_in(items: list[object], known: set[str] | set[str | None]) -> bool:
    """True when every item is in ``known`` (one set operation; False for unhashable items)."""
    try:
        return known.issuperset(items)
    except TypeError:
        return False


@test("6.1.1", "Missing Definition of Product ID")
def missing_product_definition(index: DocumentIndex) -> Iterator[Problem]:
    defined = {product.product_id for product in index.products if product.product_id}
    for ids in index.product_references:
        if _all_in(ids.items, defined):
            continue
        for ref in ids.not_in(defined):
            yield ref.path, f"Missing definition of product id {ref.value}"


@test("6.1.2", "Multiple Definition of Product ID")
def multiple_product_definition(index: DocumentIndex) -> Iterator[Problem]:
    ids = [product.product_id for product in index.products if product.product_id is not None]
    if len(set(ids)) == len(ids):
        return
    first: dict[str, str] = {}
    for product in index.products:
        if product.product_id is None:
            continue
        if product.product_id in first:
            yield (
                f"{product.path}/product_id",
                f"Product id {product.product_id} is already defined at "
                f"{first[product.product_id]}",
            )
        else:
            first[product.product_id] = f"{product.path}/product_id"


@test("6.1.3", "Circular Definition of Product ID")
def circular_product_definition(index: DocumentIndex) -> Iterator[Problem]:
    edges: dict[str, set[str]] = {}
    for relation in index.relationships:
        if relation.product_id is None:
            continue
        targets = edges.setdefault(relation.product_id, set())
        targets.update(
            ref.value for ref in (relation.product_reference, relation.relates_to) if ref
        )
    for relation in index.relationships:
        start = relation.product_id
        if start is None or start not in edges:
            continue
        seen: set[str] = set()
        pending = list(edges[start])
        while pending:
            current = pending.pop()
            if current == start:
                yield (
                    f"{relation.path}/full_product_name/product_id",
                    f"Product id {start} is defined in terms of itself",
                )
                break
            if current not in seen:
                seen.add(current)
                pending.extend(edges.get(current, ()))


@test("6.1.4", "Missing Definition of Product Group ID")
def missing_group_definition(index: DocumentIndex) -> Iterator[Problem]:
    defined = {group.group_id for group in index.groups if group.group_id}
    for ids in index.group_references:
        if not ids.items or _all_in(ids.items, defined):
            continue
        for ref in ids.not_in(defined):
            yield ref.path, f"Missing definition of product group id {ref.value}"


@test("6.1.5", "Multiple Definition of Product Group ID")
def multiple_group_definition(index: DocumentIndex) -> Iterator[Problem]:
    first: dict[str, str] = {}
    for group in index.groups:
        if group.group_id is None:
            continue
        if group.group_id in first:
            yield (
                f"{group.path}/group_id",
                f"Product group id {group.group_id} is already defined at {first[group.group_id]}",
            )
        else:
            first[group.group_id] = f"{group.path}/group_id"


_CONTRADICTION_GROUPS = {
    "first_affected": "Affected",
    "known_affected": "Affected",
    "last_affected": "Affected",
    "known_not_affected": "Not affected",
    "first_fixed": "Fixed",
    "fixed": "Fixed",
    "under_investigation": "Under investigation",
}


def _disjoint_groups(status: dict[str, Ids]) -> bool:
    """True when no id is in two of the groups (affected, not affected, fixed, investigated)."""
    members: dict[str, set[object]] = {}
    try:
        for key, ids in status.items():
            group = _CONTRADICTION_GROUPS.get(key)
            if group is not None:
                members.setdefault(group, set()).update(ids.items)
    except TypeError:  # an unhashable item: the loop below looks at each one
        return False
    if len(members) < 2:
        return True
    sets = list(members.values())
    return sum(map(len, sets)) == len(set().union(*sets))


@test("6.1.6", "Contradicting Product Status")
def contradicting_status(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        if _disjoint_groups(vulnerability.status):
            continue
        group_of: dict[str, str] = {}
        for key, ids in vulnerability.status.items():
            group = _CONTRADICTION_GROUPS.get(key)
            if group is None:
                continue
            for position, product_id in enumerate(ids.items):
                if not isinstance(product_id, str):
                    continue
                earlier = group_of.setdefault(product_id, group)
                if earlier != group:
                    yield (
                        f"{ids.path}/{position}",
                        f"Product id {product_id} is both {earlier!r} and {group!r}",
                    )


def _one_score_per_version(vulnerability: Vulnerability) -> bool:
    """True when no product is listed twice for one CVSS version (the common case)."""
    products: dict[str, list[object]] = {}
    for score in vulnerability.scores:
        for cvss in (score.cvss_v2, score.cvss_v3):
            version = cvss.get("version") if cvss is not None else None
            if isinstance(version, str):
                products.setdefault(version, []).extend(score.products.items)
    return all(_distinct(listed) for listed in products.values())


@test("6.1.7", "Multiple Scores with same Version per Product")
def multiple_scores(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        if _one_score_per_version(vulnerability):
            continue
        seen: set[tuple[str, str]] = set()
        for score in vulnerability.scores:
            versions = [
                cvss["version"]
                for cvss in (score.cvss_v2, score.cvss_v3)
                if cvss is not None and isinstance(cvss.get("version"), str)
            ]
            for position, product_id in enumerate(score.products.items):
                if not isinstance(product_id, str):
                    continue
                for version in versions:
                    if (product_id, version) in seen:
                        yield (
                            f"{score.products.path}/{position}",
                            f"Product id {product_id} has more than one CVSS v{version} score",
                        )
                    seen.add((product_id, version))


@test("6.1.8", "Invalid CVSS")
def invalid_cvss(index: DocumentIndex) -> Iterator[Problem]:
    """Implied by the CSAF schema, which ``$ref``s the same FIRST schemas: run only if it failed."""
    if index.schema_valid:
        return
    schemas = compiled_schemas()
    for vulnerability in index.vulnerabilities:
        for score in vulnerability.scores:
            for key, cvss, allowed in (
                ("cvss_v2", score.cvss_v2, ("2.0",)),
                ("cvss_v3", score.cvss_v3, ("3.0", "3.1")),
            ):
                if cvss is None:
                    continue
                version = cvss.get("version")
                path = f"{score.path}/{key}"
                if not isinstance(version, str) or version not in allowed:
                    yield f"{path}/version", f"Unknown CVSS version {version!r} in {key}"
                    continue
                for error in schemas.cvss_errors(version, cvss) or ():
                    yield f"{path}{error.path}", f"CVSS v{version}: {error.message}"


def _same(given: object, expected: float) -> bool:
    return (
        isinstance(given, int | float)
        and not isinstance(given, bool)
        and abs(given - expected) < 1e-9
    )


@test("6.1.9", "Invalid CVSS computation")
def invalid_cvss_computation(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        for score in vulnerability.scores:
            if score.cvss_v2 is not None:
                yield from _computation(
                    score.cvss_v2, f"{score.path}/cvss_v2", _v2_computed(score.cvss_v2)
                )
            if score.cvss_v3 is not None:
                yield from _computation(
                    score.cvss_v3, f"{score.path}/cvss_v3", _v3_computed(score.cvss_v3)
                )


def _v2_computed(cvss: dict[str, object]) -> Computed | None:
    vector = cvss.get("vectorString")
    return compute_v2(vector) if isinstance(vector, str) else None


def _v3_computed(cvss: dict[str, object]) -> Computed | None:
    vector, version = cvss.get("vectorString"), cvss.get("version")
    if not isinstance(vector, str) or version not in ("3.0", "3.1"):
        return None
    return compute_v3(vector, str(version))


def _computation(
    cvss: dict[str, object], path: str, computed: Computed | None
) -> Iterator[Problem]:
    if computed is None:
        return
    for name, expected in (
        ("baseScore", computed.base_score),
        ("temporalScore", computed.temporal_score),
        ("environmentalScore", computed.environmental_score),
    ):
        if name in cvss and not _same(cvss[name], expected):
            yield f"{path}/{name}", f"{name} is {cvss[name]!r}; the vector gives {expected}"
    for name, expected_severity in (
        ("baseSeverity", computed.base_severity),
        ("temporalSeverity", computed.temporal_severity),
        ("environmentalSeverity", computed.environmental_severity),
    ):
        if expected_severity is not None and name in cvss and cvss[name] != expected_severity:
            yield (
                f"{path}/{name}",
                f"{name} is {cvss[name]!r}; the vector gives {expected_severity}",
            )


@test("6.1.10", "Inconsistent CVSS")
def inconsistent_cvss(index: DocumentIndex) -> Iterator[Problem]:
    """Compares the properties of the metrics the vector writes; an absent metric is no claim."""
    for vulnerability in index.vulnerabilities:
        for score in vulnerability.scores:
            for key, cvss, v3 in (
                ("cvss_v2", score.cvss_v2, False),
                ("cvss_v3", score.cvss_v3, True),
            ):
                if cvss is None or not isinstance(cvss.get("vectorString"), str):
                    continue
                for name, expected in _claims(cvss["vectorString"], v3):
                    given = cvss.get(name)
                    if isinstance(given, str) and given != expected:
                        yield (
                            f"{score.path}/{key}/{name}",
                            f"{name} is {given!r} but the vector says {expected!r}",
                        )


@lru_cache(maxsize=4096)
def _claims(vector: str, v3: bool) -> tuple[tuple[str, str], ...]:
    """(JSON property, value) for each metric the vector writes with a known value."""
    metrics = vector_metrics(vector, v3=v3)
    if metrics is None:
        return ()
    properties = V3_PROPERTIES if v3 else V2_PROPERTIES
    claims = []
    for metric, value in metrics.items():
        name, values = properties.get(metric, ("", {}))
        expected = values.get(value)
        if expected is not None:
            claims.append((name, expected))
    return tuple(claims)


@test("6.1.11", "CWE")
def cwe(index: DocumentIndex) -> Iterator[Problem]:
    names = weakness_names()
    for vulnerability in index.vulnerabilities:
        value = vulnerability.data.get("cwe")
        if not isinstance(value, dict):
            continue
        cwe_id, name = value.get("id"), value.get("name")
        if not isinstance(cwe_id, str):
            continue
        path = f"{vulnerability.path}/cwe"
        if cwe_id not in names:
            yield f"{path}/id", f"{cwe_id} is not a weakness in CWE {CWE_VERSION}"
        elif isinstance(name, str) and name != names[cwe_id]:
            yield f"{path}/name", f"The name of {cwe_id} is {names[cwe_id]!r}, not {name!r}"


@test("6.1.12", "Language")
def language(index: DocumentIndex) -> Iterator[Problem]:
    for key, value in (("lang", index.lang), ("source_lang", index.source_lang)):
        if value is not None:
            problem = language_tag_problem(value)
            if problem is not None:
                yield f"/document/{key}", problem


@test("6.1.13", "PURL")
def purl(index: DocumentIndex) -> Iterator[Problem]:
    for product in index.products:
        helper = product.helper
        if helper is None or not isinstance(helper.get("purl"), str):
            continue
        if PLAIN_PURL.fullmatch(helper["purl"]) is not None:
            continue
        problem = purl_problem(helper["purl"])
        if problem is not None:
            yield f"{product.path}/product_identification_helper/purl", f"Invalid purl: {problem}"


def _precedence(version: Version | None) -> tuple[object, ...]:
    return version.precedence_key() if version is not None else ()


@test("6.1.14", "Sorted Revision History")
def sorted_revision_history(index: DocumentIndex) -> Iterator[Problem]:
    dated = dated_revisions(index)
    if dated is None:
        return
    previous: Version | None = None
    for _, revision in dated:
        current = parse_version(revision.number)
        if current is None:
            return
        if previous is not None and current.precedence_key() < previous.precedence_key():
            yield (
                f"{revision.path}/number",
                f"Version {current.text} is dated after version {previous.text}",
            )
        if previous is None or current.precedence_key() > previous.precedence_key():
            previous = current


@test("6.1.15", "Translator")
def translator(index: DocumentIndex) -> Iterator[Problem]:
    if index.publisher_category == "translator" and not index.source_lang:
        yield "/document/source_lang", "A translator's document needs a source language"


def _latest_number(index: DocumentIndex) -> str | None:
    dated = dated_revisions(index)
    if not dated:
        return None
    latest = max(dated, key=lambda pair: (pair[0], _precedence(parse_version(pair[1].number))))
    return latest[1].number


@test("6.1.16", "Latest Document Version")
def latest_document_version(index: DocumentIndex) -> Iterator[Problem]:
    latest = _latest_number(index)
    if latest is None or index.version is None:
        return
    draft = index.status == "draft"

    def normal(text: str) -> str:
        version = parse_version(text)
        if version is None:
            return text
        return version.without_prerelease_and_build() if draft else version.without_build()

    if normal(latest) != normal(index.version):
        yield (
            "/document/tracking/version",
            f"The version is {index.version} but the latest revision is {latest}",
        )


def _zero_or_prerelease(version: Version) -> bool:
    return version.major == 0 or bool(version.prerelease)


@test("6.1.17", "Document Status Draft")
def document_status_draft(index: DocumentIndex) -> Iterator[Problem]:
    version = parse_version(index.version)
    if version is not None and index.status not in (None, "draft") and _zero_or_prerelease(version):
        yield (
            "/document/tracking/status",
            f"Version {version.text} needs the status 'draft', not {index.status!r}",
        )


@test("6.1.18", "Released Revision History")
def released_revision_history(index: DocumentIndex) -> Iterator[Problem]:
    if index.status not in ("final", "interim"):
        return
    for revision in index.revisions:
        version = parse_version(revision.number)
        if version is not None and version.major == 0:
            yield (
                f"{revision.path}/number",
                f"A {index.status} document has the pre-release revision {version.text}",
            )


@test("6.1.19", "Revision History Entries for Pre-release Versions")
def prerelease_revisions(index: DocumentIndex) -> Iterator[Problem]:
    for revision in index.revisions:
        version = parse_version(revision.number)
        if version is not None and version.prerelease:
            yield f"{revision.path}/number", f"Revision {version.text} is a pre-release"


@test("6.1.20", "Non-draft Document Version")
def non_draft_version(index: DocumentIndex) -> Iterator[Problem]:
    version = parse_version(index.version)
    if version is not None and version.prerelease and index.status in ("final", "interim"):
        yield (
            "/document/tracking/version",
            f"A {index.status} document has the pre-release version {version.text}",
        )


@test("6.1.21", "Missing Item in Revision History")
def missing_revision(index: DocumentIndex) -> Iterator[Problem]:
    dated = dated_revisions(index)
    if not dated:
        return
    majors: list[int] = []
    for _, revision in dated:
        version = parse_version(revision.number)
        if version is None:
            return
        majors.append(version.major)
    path = "/document/tracking/revision_history"
    if majors[0] not in (0, 1):
        yield path, f"The oldest revision has version {majors[0]}; it must be 0 or 1"
    present = set(majors)
    for missing in range(min(present), max(present)):
        if missing not in present:
            yield path, f"The revision history has no version {missing}"


@test("6.1.22", "Multiple Definition in Revision History")
def duplicate_revision(index: DocumentIndex) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for revision in index.revisions:
        if revision.number is None:
            continue
        if revision.number in seen:
            yield (
                f"{revision.path}/number",
                f"Version {revision.number} is already listed at {seen[revision.number]}",
            )
        else:
            seen[revision.number] = f"{revision.path}/number"


@test("6.1.23", "Multiple Use of Same CVE")
def duplicate_cve(index: DocumentIndex) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for vulnerability in index.vulnerabilities:
        cve = vulnerability.data.get("cve")
        if not isinstance(cve, str):
            continue
        if cve in seen:
            yield f"{vulnerability.path}/cve", f"{cve} is already used at {seen[cve]}"
        else:
            seen[cve] = f"{vulnerability.path}/cve"


@test("6.1.24", "Multiple Definition in Involvements")
def duplicate_involvement(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        seen: set[tuple[str, object]] = set()
        for path, involvement in vulnerability.involvements:
            party, date = involvement.get("party"), involvement.get("date")
            if not isinstance(party, str) or not isinstance(date, str):
                continue
            moment: object = parse_datetime(date) or date
            if (party, moment) in seen:
                yield path, f"The party {party!r} is listed twice for {date}"
            seen.add((party, moment))


def _several_hashes(index: DocumentIndex) -> bool:
    """False when no item of a ``hashes`` array lists two ``file_hashes``, the common case."""
    for _, items in index.hashes:
        for item in items:
            if isinstance(item, dict):
                entries = item.get("file_hashes")
                if isinstance(entries, list) and len(entries) > 1:
                    return True
    return False


@test("6.1.25", "Multiple Use of Same Hash Algorithm")
def duplicate_hash_algorithm(index: DocumentIndex) -> Iterator[Problem]:
    if not _several_hashes(index):
        return
    for hashes in index.hash_lists:
        algorithms = hashes.algorithms()
        if len(algorithms) < 2 or _distinct(algorithms):
            continue
        seen: set[str] = set()
        for path, entry in hashes.file_hashes:
            algorithm = entry.get("algorithm")
            if not isinstance(algorithm, str):
                continue
            if algorithm in seen:
                yield f"{path}/algorithm", f"The hash algorithm {algorithm} is used twice"
            seen.add(algorithm)


def _squash(text: str) -> str:
    return re.sub(r"[-\s_]", "", text).lower()


_PROHIBITED = {
    _squash(text)
    for category, name in _OTHER_PROFILES.items()
    for text in (category, category.removeprefix("csaf_"), name)
}


@test("6.1.26", "Prohibited Document Category Name")
def prohibited_category(index: DocumentIndex) -> Iterator[Problem]:
    category = index.category
    if category is None or category in PROFILE_CATEGORIES:
        return
    if _squash(category) in _PROHIBITED:
        yield "/document/category", f"{category!r} is the name of a profile other than CSAF Base"
    elif category.lower().startswith("csaf_"):
        yield "/document/category", f"{category!r} starts with the reserved prefix 'csaf_'"


def _profile(index: DocumentIndex, *categories: str) -> bool:
    return index.category in categories


@test("6.1.27.1", "Document Notes")
def document_notes(index: DocumentIndex) -> Iterator[Problem]:
    if not _profile(index, "csaf_informational_advisory", "csaf_security_incident_response"):
        return
    wanted = {"description", "details", "general", "summary"}
    notes = index.meta.get("notes")
    if not any(
        isinstance(note, dict)
        and isinstance(note.get("category"), str)
        and note["category"] in wanted
        for note in (notes if isinstance(notes, list) else [])
    ):
        yield (
            "/document/notes",
            "No document note has the category description, details, general or summary",
        )


@test("6.1.27.2", "Document References")
def document_references(index: DocumentIndex) -> Iterator[Problem]:
    if not _profile(index, "csaf_informational_advisory", "csaf_security_incident_response"):
        return
    references = index.meta.get("references")
    if not any(
        isinstance(reference, dict) and reference.get("category", "external") == "external"
        for reference in (references if isinstance(references, list) else [])
    ):
        yield "/document/references", "No document reference points to an external source"


@test("6.1.27.3", "Vulnerabilities")
def no_vulnerabilities(index: DocumentIndex) -> Iterator[Problem]:
    if _profile(index, "csaf_informational_advisory") and index.has_vulnerabilities:
        yield "/vulnerabilities", "An informational advisory has no vulnerabilities element"


@test("6.1.27.4", "Product Tree")
def product_tree(index: DocumentIndex) -> Iterator[Problem]:
    if _profile(index, "csaf_security_advisory", "csaf_vex") and not index.has_product_tree:
        yield "", f"A {index.category} document needs a product_tree"


@test("6.1.27.5", "Vulnerability Notes")
def vulnerability_notes(index: DocumentIndex) -> Iterator[Problem]:
    if not _profile(index, "csaf_security_advisory", "csaf_vex"):
        return
    for vulnerability in index.vulnerabilities:
        if "notes" not in vulnerability.data:
            yield vulnerability.path, "The vulnerability has no notes"


@test("6.1.27.6", "Product Status")
def product_status(index: DocumentIndex) -> Iterator[Problem]:
    if not _profile(index, "csaf_security_advisory"):
        return
    for vulnerability in index.vulnerabilities:
        if not vulnerability.has_product_status:
            yield vulnerability.path, "The vulnerability has no product_status"


@test("6.1.27.7", "VEX Product Status")
def vex_product_status(index: DocumentIndex) -> Iterator[Problem]:
    if not _profile(index, "csaf_vex"):
        return
    wanted = ("fixed", "known_affected", "known_not_affected", "under_investigation")
    for vulnerability in index.vulnerabilities:
        if not any(key in vulnerability.status for key in wanted):
            yield (
                f"{vulnerability.path}/product_status",
                "None of fixed, known_affected, known_not_affected, under_investigation is given",
            )


@test("6.1.27.8", "Vulnerability ID")
def vulnerability_id(index: DocumentIndex) -> Iterator[Problem]:
    if not _profile(index, "csaf_vex"):
        return
    for vulnerability in index.vulnerabilities:
        if "cve" not in vulnerability.data and "ids" not in vulnerability.data:
            yield vulnerability.path, "The vulnerability has neither cve nor ids"


def _covered(bindings: Iterable[ProductBinding], members: dict[str, set[str]]) -> set[str]:
    covered: set[str] = set()
    for binding in bindings:
        covered.update(binding.product_ids.values())
        for group_id in binding.group_ids.values():
            covered.update(members.get(group_id, ()))
    return covered


@test("6.1.27.9", "Impact Statement")
def impact_statement(index: DocumentIndex) -> Iterator[Problem]:
    if not _profile(index, "csaf_vex"):
        return
    members = index.group_members()
    for vulnerability in index.vulnerabilities:
        refs = vulnerability.status.get("known_not_affected")
        if not refs:
            continue
        impacts = [
            threat for threat in vulnerability.threats if threat.data.get("category") == "impact"
        ]
        covered = _covered([*vulnerability.flags, *impacts], members)
        for ref in refs.not_in(covered):
            yield ref.path, f"No impact statement for {ref.value}"


@test("6.1.27.10", "Action Statement")
def action_statement(index: DocumentIndex) -> Iterator[Problem]:
    if not _profile(index, "csaf_vex"):
        return
    members = index.group_members()
    for vulnerability in index.vulnerabilities:
        refs = vulnerability.status.get("known_affected")
        if not refs:
            continue
        covered = _covered(vulnerability.remediations, members)
        for ref in refs.not_in(covered):
            yield ref.path, f"No action statement (remediation) for {ref.value}"


@test("6.1.27.11", "Vulnerabilities")
def has_vulnerabilities(index: DocumentIndex) -> Iterator[Problem]:
    if _profile(index, "csaf_security_advisory", "csaf_vex") and not index.has_vulnerabilities:
        yield "", f"A {index.category} document needs vulnerabilities"


@test("6.1.28", "Translation")
def translation(index: DocumentIndex) -> Iterator[Problem]:
    if (
        index.lang is not None
        and index.source_lang is not None
        and index.lang.lower() == index.source_lang.lower()
    ):
        yield "/document/source_lang", f"The source language is the document language {index.lang}"


@test("6.1.29", "Remediation without Product Reference")
def remediation_without_products(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        for remediation in vulnerability.remediations:
            if not remediation.has_product_ids and not remediation.has_group_ids:
                yield remediation.path, "The remediation names neither product_ids nor group_ids"


@test("6.1.30", "Mixed Integer and Semantic Versioning")
def mixed_versioning(index: DocumentIndex) -> Iterator[Problem]:
    items = [(f"{revision.path}/number", revision.number) for revision in index.revisions]
    items.append(("/document/tracking/version", index.version))
    scheme: bool | None = None
    for path, text in items:
        version = parse_version(text)
        if version is None:
            continue
        if scheme is None:
            scheme = version.integer
        elif version.integer != scheme:
            kind = "integer" if version.integer else "semantic"
            yield path, f"{version.text} uses {kind} versioning unlike the versions before it"


_RANGE_OPERATORS = ("<", ">")
"""``<=`` and ``>=`` contain these."""
_RANGE_WORDS = frozenset({"after", "all", "before", "earlier", "later", "prior", "versions"})
_RANGE_HINT = re.compile(r"[<>]|(?<!\S)(?:" + "|".join(sorted(_RANGE_WORDS)) + r")(?!\S)")
"""Finds what the loop below would (``str.split`` and ``\\s`` agree on whitespace)."""


@test("6.1.31", "Version Range in Product Version")
def version_range_in_version(index: DocumentIndex) -> Iterator[Problem]:
    """The listed words count as whole words: the suite's valid 6.1.31-12 is ``after-eight``."""
    names = [
        branch.name
        for branch in index.branches
        if branch.category == "product_version" and branch.name is not None
    ]
    if _RANGE_HINT.search("\n".join(names).lower()) is None:  # a match never spans a name
        return
    for branch in index.branches:
        if branch.category != "product_version" or branch.name is None:
            continue
        lowered = branch.name.lower()
        if _RANGE_HINT.search(lowered) is None:
            continue
        found = [operator for operator in _RANGE_OPERATORS if operator in lowered]
        found += [word for word in lowered.split() if word in _RANGE_WORDS]
        if found:
            yield (
                f"{branch.path}/name",
                f"The product version {branch.name!r} looks like a range (contains {found[0]!r})",
            )


@test("6.1.32", "Flag without Product Reference")
def flag_without_products(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        for flag in vulnerability.flags:
            if not flag.has_product_ids and not flag.has_group_ids:
                yield flag.path, "The flag names neither product_ids nor group_ids"


def _flags_disjoint(flags: list[ProductBinding], members: dict[str, set[str]]) -> bool:
    """True when no product is named by two flags with a VEX justification (the common case)."""
    named: list[set[str]] = []
    for flag in flags:
        label = flag.data.get("label")
        if isinstance(label, str) and label in VEX_JUSTIFICATIONS:
            products = flag.product_ids.values()
            for group_id in flag.group_ids.values():
                products.update(members.get(group_id, ()))
            named.append(products)
    return len(named) < 2 or sum(map(len, named)) == len(set().union(*named))


@test("6.1.33", "Multiple Flags with VEX Justification Codes per Product")
def multiple_flags(index: DocumentIndex) -> Iterator[Problem]:
    members = index.group_members()
    for vulnerability in index.vulnerabilities:
        if _flags_disjoint(vulnerability.flags, members):
            continue
        flagged: dict[str, str] = {}
        for flag in vulnerability.flags:
            label = flag.data.get("label")
            if not isinstance(label, str) or label not in VEX_JUSTIFICATIONS:
                continue
            products: dict[str, None] = {ref.value: None for ref in flag.product_ids}
            for group_id in flag.group_ids.values():
                products.update(dict.fromkeys(sorted(members.get(group_id, ()))))
            for product in products:
                if product in flagged:
                    yield (
                        flag.path,
                        f"Product id {product} already has a VEX justification flag at "
                        f"{flagged[product]}",
                    )
                else:
                    flagged[product] = flag.path
