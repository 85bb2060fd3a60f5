"""Generate realistic CSAF 2.0 security advisories, some with one planted error each.

A document has a product tree of a few dozen products (vendor → product name →
product version branches, with purls and SHA-256 hashes, a product group), several
vulnerabilities with CVE, CWE, notes, product status, CVSS v3.1 scores computed from
their vectors, remediations, threats, flags, involvements and references. A planted
error breaks exactly one rule, named in ``PLANTED``; the benchmark records which.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cvss

CWES = [
    (
        "CWE-79",
        "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    ),
    (
        "CWE-89",
        "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    ),
    ("CWE-20", "Improper Input Validation"),
    ("CWE-22", "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')"),
    ("CWE-125", "Out-of-bounds Read"),
    ("CWE-787", "Out-of-bounds Write"),
    ("CWE-416", "Use After Free"),
    ("CWE-352", "Cross-Site Request Forgery (CSRF)"),
    ("CWE-400", "Uncontrolled Resource Consumption"),
    ("CWE-287", "Improper Authentication"),
]
METRICS = {
    "AV": "NALP",
    "AC": "LH",
    "PR": "NLH",
    "UI": "NR",
    "S": "UC",
    "C": "HLN",
    "I": "HLN",
    "A": "HLN",
}
NOTICE = (
    "The information is provided as is without warranty of any kind. "
    "Customers should apply the updates listed in this advisory."
)


def _vector(rng: random.Random) -> dict[str, Any]:
    parts = [f"{metric}:{rng.choice(values)}" for metric, values in METRICS.items()]
    vector = "CVSS:3.1/" + "/".join(parts)
    scored = cvss.CVSS3(vector)
    base = scored.scores()[0]
    return {
        "version": "3.1",
        "vectorString": vector,
        "baseScore": base,
        "baseSeverity": scored.severities()[0].upper(),
    }


def _product(
    vendor: str, name: str, version: str, product_id: str, rng: random.Random
) -> dict[str, Any]:
    slug = name.lower().replace(" ", "-")
    return {
        "name": f"{vendor} {name} {version}",
        "product_id": product_id,
        "product_identification_helper": {
            "purl": f"pkg:generic/{vendor.lower()}/{slug}@{version}",
            "hashes": [
                {
                    "filename": f"{slug}-{version}.tar.gz",
                    "file_hashes": [
                        {"algorithm": "sha256", "value": f"{rng.getrandbits(256):064x}"}
                    ],
                }
            ],
        },
    }


def advisory(number: int, rng: random.Random) -> dict[str, Any]:
    """One valid advisory of realistic size."""
    vendor = "Example"
    tracking_id = f"EXA-{2020 + number % 6}-{number:05d}"
    product_ids: list[str] = []
    name_branches = []
    for product_number in range(rng.randint(4, 6)):
        name = f"Product {chr(65 + product_number)}"
        versions = []
        for minor in range(rng.randint(6, 10)):
            product_id = f"CSAFPID-{len(product_ids) + 1:04d}"
            product_ids.append(product_id)
            version = f"{product_number + 1}.{minor}.{rng.randint(0, 9)}"
            versions.append(
                {
                    "category": "product_version",
                    "name": version,
                    "product": _product(vendor, name, version, product_id, rng),
                }
            )
        name_branches.append({"category": "product_name", "name": name, "branches": versions})
    revisions = rng.randint(1, 4)
    revision_history = [
        {
            "date": f"2024-0{index + 1}-1{index}T10:00:00.000Z",
            "number": str(index + 1),
            "summary": "Initial version." if index == 0 else f"Update number {index + 1}.",
        }
        for index in range(revisions)
    ]
    vulnerabilities = []
    for vulnerability_number in range(rng.randint(3, 7)):
        affected = sorted(rng.sample(product_ids, rng.randint(3, 8)))
        rest = [product_id for product_id in product_ids if product_id not in affected]
        fixed = sorted(rng.sample(rest, min(len(rest), rng.randint(2, 6))))
        not_affected = sorted(product_id for product_id in rest if product_id not in fixed)[
            : rng.randint(1, 5)
        ]
        cwe_id, cwe_name = rng.choice(CWES)
        vulnerabilities.append(
            {
                "cve": f"CVE-{2020 + number % 6}-{number * 10 + vulnerability_number:05d}",
                "cwe": {"id": cwe_id, "name": cwe_name},
                "title": f"Vulnerability {vulnerability_number + 1} in the example products",
                "notes": [
                    {
                        "category": "description",
                        "text": "An attacker could exploit this weakness remotely. " * 4,
                        "title": "Vulnerability description",
                    }
                ],
                "discovery_date": "2023-12-01T08:00:00.000Z",
                "involvements": [
                    {"party": "vendor", "status": "completed", "date": "2024-01-05T00:00:00.000Z"}
                ],
                "product_status": {
                    "known_affected": affected,
                    "fixed": fixed,
                    "known_not_affected": not_affected,
                },
                "scores": [{"products": affected, "cvss_v3": _vector(rng)}],
                "remediations": [
                    {
                        "category": "vendor_fix",
                        "details": "Update to a fixed version.",
                        "product_ids": affected,
                        "url": f"https://example.com/downloads/{tracking_id.lower()}",
                    },
                    {
                        "category": "mitigation",
                        "details": "Restrict network access to the management interface.",
                        "group_ids": ["CSAFGID-0001"],
                    },
                ],
                "threats": [
                    {
                        "category": "impact",
                        "details": "Complete compromise of the appliance.",
                        "product_ids": affected[:2],
                    }
                ],
                "flags": [{"label": "component_not_present", "product_ids": not_affected}],
                "references": [
                    {
                        "category": "external",
                        "summary": "CVE record",
                        "url": f"https://www.cve.org/CVERecord?id=CVE-{number}",
                    }
                ],
            }
        )
    return {
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "distribution": {"tlp": {"label": "WHITE", "url": "https://www.first.org/tlp/"}},
            "lang": "en",
            "notes": [
                {"category": "summary", "text": "Several vulnerabilities were fixed. " * 3},
                {"category": "legal_disclaimer", "text": NOTICE, "title": "Terms of use"},
            ],
            "publisher": {
                "category": "vendor",
                "name": "Example Company",
                "namespace": "https://example.com",
                "contact_details": "security@example.com",
            },
            "references": [
                {
                    "category": "self",
                    "summary": "Canonical URL",
                    "url": f"https://example.com/csaf/{tracking_id.lower()}.json",
                },
                {
                    "category": "external",
                    "summary": "Advisory page",
                    "url": f"https://example.com/advisories/{tracking_id}",
                },
            ],
            "title": f"Security update for Example products ({tracking_id})",
            "tracking": {
                "current_release_date": revision_history[-1]["date"],
                "generator": {"engine": {"name": "herald-bench", "version": "1"}},
                "id": tracking_id,
                "initial_release_date": revision_history[0]["date"],
                "revision_history": revision_history,
                "status": "final",
                "version": str(revisions),
            },
        },
        "product_tree": {
            "branches": [{"category": "vendor", "name": vendor, "branches": name_branches}],
            "product_groups": [
                {
                    "group_id": "CSAFGID-0001",
                    "product_ids": product_ids[:2],
                    "summary": "Appliances",
                }
            ],
        },
        "vulnerabilities": vulnerabilities,
    }


def _first_product(document: dict[str, Any]) -> dict[str, Any]:
    product: dict[str, Any] = document["product_tree"]["branches"][0]["branches"][0]["branches"][0][
        "product"
    ]
    return product


def _plant_missing_product(document: dict[str, Any]) -> None:
    document["vulnerabilities"][0]["product_status"]["known_affected"].append("CSAFPID-9999")


def _plant_duplicate_product(document: dict[str, Any]) -> None:
    branches = document["product_tree"]["branches"][0]["branches"][0]["branches"]
    branches[1]["product"]["product_id"] = branches[0]["product"]["product_id"]


def _plant_contradiction(document: dict[str, Any]) -> None:
    status = document["vulnerabilities"][0]["product_status"]
    status["fixed"].append(status["known_affected"][0])


def _plant_wrong_score(document: dict[str, Any]) -> None:
    score = document["vulnerabilities"][0]["scores"][0]["cvss_v3"]
    score["baseScore"] = 10.0 if score["baseScore"] != 10.0 else 9.0


def _plant_wrong_cwe_name(document: dict[str, Any]) -> None:
    document["vulnerabilities"][0]["cwe"]["name"] = "Improper Input Handling"


def _plant_bad_language(document: dict[str, Any]) -> None:
    document["document"]["lang"] = "EZ"


def _plant_bad_purl(document: dict[str, Any]) -> None:
    _first_product(document)["product_identification_helper"]["purl"] = "generic/example@1.0"


def _plant_version_mismatch(document: dict[str, Any]) -> None:
    tracking = document["document"]["tracking"]
    tracking["version"] = str(int(tracking["version"]) + 1)


def _plant_duplicate_cve(document: dict[str, Any]) -> None:
    document["vulnerabilities"][1]["cve"] = document["vulnerabilities"][0]["cve"]


def _plant_schema_error(document: dict[str, Any]) -> None:
    document["document"]["tracking"]["initial_release_date"] = "yesterday"


def _plant_missing_title(document: dict[str, Any]) -> None:
    del document["document"]["title"]


def _plant_remediation_without_products(document: dict[str, Any]) -> None:
    del document["vulnerabilities"][0]["remediations"][1]["group_ids"]


def _plant_version_range(document: dict[str, Any]) -> None:
    branch = document["product_tree"]["branches"][0]["branches"][0]["branches"][0]
    branch["name"] = "prior to " + branch["name"]


def _plant_flag_without_products(document: dict[str, Any]) -> None:
    del document["vulnerabilities"][0]["flags"][0]["product_ids"]


def _plant_missing_group(document: dict[str, Any]) -> None:
    document["vulnerabilities"][0]["remediations"][1]["group_ids"] = ["CSAFGID-0404"]


def _plant_prohibited_category(document: dict[str, Any]) -> None:
    document["document"]["category"] = "Security Advisory"


PLANTED: dict[str, Callable[[dict[str, Any]], None]] = {
    "6.1.1": _plant_missing_product,
    "6.1.2": _plant_duplicate_product,
    "6.1.4": _plant_missing_group,
    "6.1.6": _plant_contradiction,
    "6.1.9": _plant_wrong_score,
    "6.1.11": _plant_wrong_cwe_name,
    "6.1.12": _plant_bad_language,
    "6.1.13": _plant_bad_purl,
    "6.1.16": _plant_version_mismatch,
    "6.1.23": _plant_duplicate_cve,
    "6.1.26": _plant_prohibited_category,
    "6.1.29": _plant_remediation_without_products,
    "6.1.31": _plant_version_range,
    "6.1.32": _plant_flag_without_products,
    "schema (date-time)": _plant_schema_error,
    "schema (required)": _plant_missing_title,
}
"""Which rule each kind of planted error breaks."""


def generate(
    folder: Path, count: int, *, seed: int = 2024, error_share: float = 0.2
) -> dict[str, str]:
    """Write ``count`` advisories into ``folder``; file name → planted error ('' if none)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    kinds = sorted(PLANTED)
    planted: dict[str, str] = {}
    for number in range(count):
        document = advisory(number, rng)
        kind = rng.choice(kinds) if rng.random() < error_share else ""
        if kind:
            PLANTED[kind](document)
        name = f"advisory-{number:05d}.json"
        (folder / name).write_text(json.dumps(document, indent=2), encoding="utf-8")
        planted[name] = kind
    return planted
