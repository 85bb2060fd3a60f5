"""A small valid CSAF 2.0 security advisory to change in tests."""

from __future__ import annotations

import json
from typing import Any

_ADVISORY: dict[str, Any] = {
    "document": {
        "category": "csaf_security_advisory",
        "csaf_version": "2.0",
        "distribution": {"tlp": {"label": "WHITE"}},
        "lang": "en",
        "notes": [{"category": "summary", "text": "A fix for one vulnerability."}],
        "publisher": {
            "category": "vendor",
            "name": "Example Company",
            "namespace": "https://example.com",
        },
        "references": [
            {
                "category": "self",
                "summary": "Canonical URL",
                "url": "https://example.com/csaf/exa-2026-0001.json",
            }
        ],
        "title": "Example advisory",
        "tracking": {
            "current_release_date": "2026-01-02T10:00:00.000Z",
            "id": "EXA-2026-0001",
            "initial_release_date": "2026-01-01T10:00:00.000Z",
            "revision_history": [
                {"date": "2026-01-01T10:00:00.000Z", "number": "1", "summary": "Initial."},
                {"date": "2026-01-02T10:00:00.000Z", "number": "2", "summary": "Update."},
            ],
            "status": "final",
            "version": "2",
        },
    },
    "product_tree": {
        "branches": [
            {
                "category": "vendor",
                "name": "Example",
                "branches": [
                    {
                        "category": "product_name",
                        "name": "Product A",
                        "branches": [
                            {
                                "category": "product_version",
                                "name": version,
                                "product": {
                                    "name": f"Example Product A {version}",
                                    "product_id": product_id,
                                    "product_identification_helper": {
                                        "purl": f"pkg:generic/example/product-a@{version}"
                                    },
                                },
                            }
                            for version, product_id in (("1.0", "CSAFPID-1"), ("1.1", "CSAFPID-2"))
                        ],
                    }
                ],
            }
        ]
    },
    "vulnerabilities": [
        {
            "cve": "CVE-2026-0001",
            "cwe": {"id": "CWE-20", "name": "Improper Input Validation"},
            "notes": [{"category": "description", "text": "A flaw."}],
            "product_status": {"known_affected": ["CSAFPID-1"], "fixed": ["CSAFPID-2"]},
            "remediations": [
                {"category": "vendor_fix", "details": "Update.", "product_ids": ["CSAFPID-1"]}
            ],
            "scores": [
                {
                    "products": ["CSAFPID-1"],
                    "cvss_v3": {
                        "version": "3.1",
                        "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                        "baseScore": 9.8,
                        "baseSeverity": "CRITICAL",
                    },
                }
            ],
        }
    ],
}


def advisory() -> dict[str, Any]:
    """A fresh copy of a valid advisory (no errors or warnings; keys sorted, as 6.2.13 asks)."""
    copied: dict[str, Any] = json.loads(json.dumps(_ADVISORY, sort_keys=True))
    return copied
