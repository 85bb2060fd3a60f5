"""The parts of the document herald keeps no place for: notes, references, history, TLP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from herald.adapters.csaf_import.state import Plan, items
from herald.adapters.csaf_import.vulnerabilities import PROBLEM_NOTES


def report_document_parts(
    head: Mapping[str, Any], document: Mapping[str, Any], tracking: Mapping[str, Any], plan: Plan
) -> None:
    """Name in the report each part of ``/document`` that the draft does not carry."""
    for note in items(head, "notes"):
        if isinstance(note, Mapping):
            category, title = note.get("category"), note.get("title")
            if category == "legal_disclaimer":
                plan.note(f"document note {title!r} (legal_disclaimer): the publisher's applies")
            elif category not in PROBLEM_NOTES:
                plan.note(f"document note {title!r} ({category}): not imported")
    if head.get("references"):
        plan.note(f"document references ({len(items(head, 'references'))}): not imported")
    history = items(tracking, "revision_history")
    plan.note(
        f"revision history ({len(history)} entries, version {tracking.get('version')}): "
        "a draft has no change log; not imported"
    )
    distribution = head.get("distribution")
    tlp = distribution.get("tlp", {}) if isinstance(distribution, Mapping) else {}
    label = tlp.get("label") if isinstance(tlp, Mapping) else None
    if label not in (None, "WHITE", "CLEAR"):
        plan.note(f"TLP:{label}: herald publishes to everyone; review before publishing")
    if head.get("category") != "csaf_security_advisory":
        plan.note(f"document category {head.get('category')!r} read as a security advisory")
    if document.get("product_tree") is None:
        plan.note("no product tree: nothing is affected")
