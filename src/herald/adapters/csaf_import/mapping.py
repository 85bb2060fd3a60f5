"""``plan_import``: a parsed CSAF 2.0 document as a herald draft and catalog changes.

- products: see ``products`` (branches with a product name and version; channels and
  releases below them);
- affected: the versions of the products in ``known_affected`` (and
  ``first_affected``, ``last_affected``);
- fixes: see ``fixes``;
- severity from ``aggregate_severity`` (or an ``impact`` threat, or the CVSS rating)
  when the publisher's scale has it; CVSS v3.1 vectors; the problem from the
  vulnerabilities' descriptions; each vulnerability's ``cwe`` as its CVE's weakness,
  when the CWE catalogue herald ships has it (``vulnerabilities``).

Everything else (status categories herald has no word for, other notes, references,
relationships, CVSS v2.0/v3.0, the revision history...) is named in the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from herald.adapters.csaf_import.document_parts import report_document_parts
from herald.adapters.csaf_import.fixes import customer_action, fixes
from herald.adapters.csaf_import.products import affected_versions, leaves
from herald.adapters.csaf_import.state import Plan, items, required_object, required_text
from herald.adapters.csaf_import.vulnerabilities import problem, read_vulnerabilities, severity
from herald.domain.bulletin import BulletinContent
from herald.domain.catalog import Catalog
from herald.domain.errors import ValidationError
from herald.domain.ids import cve_sort_key
from herald.domain.publisher import Publisher
from herald.services.csaf_import import DraftImport


def plan_import(
    document: Mapping[str, Any],
    catalog: Catalog,
    publisher: Publisher,
    *,
    validation: Sequence[str] = (),
) -> DraftImport:
    """The draft and catalog changes ``document`` maps to, and the report of what did not.

    ``validation`` lists the failed tests of a document imported despite them
    (``--force``); they open the report.
    """
    head = required_object(document, "document")
    version = head.get("csaf_version")
    if version != "2.0":
        raise ValidationError("document.csaf_version", f"{version!r} is not CSAF 2.0")
    tracking = required_object(head, "tracking", "document.")
    title = required_text(head, "title", "document.")
    plan = Plan(catalog, publisher)
    for line in validation:
        plan.note(line)
    found_leaves = leaves(document.get("product_tree"), plan)
    found = read_vulnerabilities(items(document, "vulnerabilities"), plan)
    aggregate = head.get("aggregate_severity")
    if isinstance(aggregate, Mapping) and isinstance(aggregate.get("text"), str):
        found.ratings.insert(0, aggregate["text"])
    by_id = {leaf.product_id: leaf for leaf in found_leaves}
    affected = affected_versions(found.affected_ids, by_id, plan)
    found_fixes = fixes(affected, found.fixed_ids, by_id, found.remediations, tracking, plan)
    sections = customer_action(affected, found_fixes, found.remediations, found.fixed_ids, plan)
    problem_text = problem(found.problems, head, plan)
    report_document_parts(head, document, tracking, plan)
    content = BulletinContent(
        title=title,
        severity=severity(found.ratings, publisher, plan),
        cves=tuple(sorted(found.cves, key=cve_sort_key)),
        cvss=tuple(found.scores[v] for v in sorted(found.scores)),
        weaknesses=MappingProxyType({cve: tuple(ids) for cve, ids in found.weaknesses.items()}),
        problem=problem_text,
        affected=tuple(affected),
        fixes=tuple(found_fixes),
        sections=MappingProxyType(sections),
    )
    tracking_id = str(tracking.get("id", ""))
    article_id = tracking_id if publisher.article_ids.regex.fullmatch(tracking_id) else None
    if article_id is None:
        plan.note(
            f"tracking.id {tracking_id!r} is not an article id here "
            f"({publisher.article_ids.describe()}); the next free id is used"
        )
    return DraftImport(
        content=content,
        products=tuple(plan.products.values()),
        article_id=article_id,
        report=tuple(plan.report),
    )
