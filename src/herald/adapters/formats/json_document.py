"""The JSON rendering: the bulletin as readers see it, as one stable JSON object.

The fields, their order and their meaning are documented in ``docs/renderings.md``;
``FORMAT_VERSION`` changes when a field is renamed, removed or changes meaning.
"""

from __future__ import annotations

import json
from typing import Any

from herald.domain.document import BulletinDocument, FixLine

FORMAT = "herald.bulletin"
FORMAT_VERSION = 1


def document_to_dict(document: BulletinDocument) -> dict[str, Any]:
    """The JSON object as a dict, keys in their documented order."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "article_id": document.article_id,
        "title": document.title,
        "status": document.status.value,
        "revision": document.revision,
        "updated_on": document.updated_on.isoformat(),
        "severity": document.severity,
        "cves": list(document.cves),
        "cvss": [
            {
                "version": score.version.value,
                "score": score.base_score,
                "severity": score.base_severity,
                "vector": score.vector,
            }
            for score in document.cvss
        ],
        "problem": document.problem,
        "identifier_intro": document.identifier_intro,
        "affected_statement": document.affected_statement,
        "not_covered_notes": list(document.not_covered_notes),
        "fixes": [_fix(fix) for fix in document.fixes],
        "sections": [
            {"kind": section.kind.value, "heading": section.heading, "body": section.body}
            for section in document.sections
        ],
        "changelog": [
            {"date": entry.on.isoformat(), "summary": entry.summary} for entry in document.changelog
        ],
        "disclaimer": document.disclaimer,
        "publisher": {"name": document.publisher_name, "brand": document.brand},
    }


def render_json(document: BulletinDocument) -> str:
    """The JSON object, pretty-printed (two-space indent, UTF-8 text), ending with a newline."""
    return json.dumps(document_to_dict(document), indent=2, ensure_ascii=False) + "\n"


def _fix(fix: FixLine) -> dict[str, Any]:
    return {
        "product": fix.product,
        "version": fix.version,
        "channel": fix.channel,
        "release": fix.release,
        "mitigation": fix.mitigation,
    }
