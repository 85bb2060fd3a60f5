"""The informative tests of CSAF 2.0 section 6.3: failures are notes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from herald.adapters.csaf_validation.checks import CheckList, Problem
from herald.adapters.csaf_validation.index import DocumentIndex
from herald.adapters.csaf_validation.report import Level

INFORMATIVE = CheckList(Level.NOTE)
test = INFORMATIVE


@test("6.3.1", "Use of CVSS v2 as the only Scoring System")
def only_cvss_v2(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        for score in vulnerability.scores:
            if score.cvss_v2 is not None and score.cvss_v3 is None:
                yield score.path, "CVSS v2 is the only score; CVSS v3.1 is recommended"


@test("6.3.2", "Use of CVSS v3.0")
def cvss_v30(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        for score in vulnerability.scores:
            cvss = score.cvss_v3
            if cvss is None:
                continue
            vector = cvss.get("vectorString")
            if cvss.get("version") == "3.0" or (
                isinstance(vector, str) and vector.startswith("CVSS:3.0/")
            ):
                yield f"{score.path}/cvss_v3", "CVSS v3.0 is used; upgrading to v3.1 is recommended"


@test("6.3.3", "Missing CVE")
def missing_cve(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        if "cve" not in vulnerability.data:
            yield vulnerability.path, "The vulnerability has no CVE"


@test("6.3.4", "Missing CWE")
def missing_cwe(index: DocumentIndex) -> Iterator[Problem]:
    for vulnerability in index.vulnerabilities:
        if "cwe" not in vulnerability.data:
            yield vulnerability.path, "The vulnerability has no CWE"


@test("6.3.5", "Use of Short Hash")
def short_hash(index: DocumentIndex) -> Iterator[Problem]:
    for hashes in index.hash_lists:
        for path, entry in hashes.file_hashes:
            value = entry.get("value")
            if isinstance(value, str) and len(value) < 64:
                yield f"{path}/value", f"The hash value has only {len(value)} characters"


_NETWORK = "needs the network to resolve URLs; herald's validator never connects anywhere"
INFORMATIVE.skipped("6.3.6", "Use of non-self referencing URLs Failing to Resolve", _NETWORK)
INFORMATIVE.skipped("6.3.7", "Use of self referencing URLs Failing to Resolve", _NETWORK)
INFORMATIVE.skipped(
    "6.3.8",
    "Spell check",
    "needs a spell checker with a dictionary for the document language, which herald does not ship",
)

_ORDER = ("vendor", "product_name", "product_version")


@test("6.3.9", "Branch Categories")
def branch_categories(index: DocumentIndex) -> Iterator[Problem]:
    for branch in index.branches:
        if "product" not in branch.data:
            continue
        position = 0
        for category in branch.ancestor_categories:
            if position < len(_ORDER) and category == _ORDER[position]:
                position += 1
        if position < len(_ORDER):
            yield (
                f"{branch.path}/product",
                f"The product lacks an ancestor branch of category {_ORDER[position]} "
                "(vendor, product_name, product_version in that order)",
            )


@test("6.3.10", "Usage of Product Version Range")
def version_range_used(index: DocumentIndex) -> Iterator[Problem]:
    for branch in index.branches:
        if branch.category == "product_version_range":
            yield f"{branch.path}/category", "The branch category product_version_range is used"


_V_PREFIX = re.compile(r"[vV][0-9].*", re.DOTALL)


@test("6.3.11", "Usage of V as Version Indicator")
def v_prefix(index: DocumentIndex) -> Iterator[Problem]:
    for branch in index.branches:
        if branch.category == "product_version" and branch.name and _V_PREFIX.match(branch.name):
            yield f"{branch.path}/name", f"The version {branch.name!r} starts with 'v'"
