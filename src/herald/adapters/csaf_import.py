"""Reading another vendor's CSAF 2.0 advisory as a herald draft, and saying what was lost.

``plan_import`` maps a parsed document onto the stored catalog and publisher:

- products: every product in ``/product_tree/branches`` whose path has a
  ``product_name`` and a ``product_version`` becomes a version of a herald product
  (matched by name, or created); a ``product_family`` below the version names an update
  channel and a ``patch_level`` below that a release (the shape herald exports);
- affected: the versions of the products in ``known_affected`` (and ``first_affected``,
  ``last_affected``);
- fixes: a ``fixed``/``first_fixed``/``recommended`` release on a channel of an
  affected version is that channel's fix; any other remediation becomes the mitigation
  text of the channels still without a fix, or, for a version without channels, the
  "What Customers Should Do" text;
- severity from ``aggregate_severity`` (or an ``impact`` threat, or the CVSS rating)
  when the publisher's scale has it; CVSS v3.1 and v4.0 vectors; the problem from the
  vulnerabilities' descriptions.

Everything else (status categories herald has no word for, other notes, references,
relationships, CVSS v2.0/v3.0, the revision history...) is named in the report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from herald.domain.bulletin import BulletinContent, Fix
from herald.domain.catalog import (
    Catalog,
    ChannelRef,
    Lifecycle,
    Product,
    ProductVersion,
    Release,
    UpdateChannel,
    VersionRef,
)
from herald.domain.errors import ValidationError
from herald.domain.ids import CveId, ProductId, cve_sort_key, parse_cve_id
from herald.domain.publisher import Publisher, SectionKind
from herald.domain.scoring import CvssScore, parse_cvss
from herald.services.csaf_import import DraftImport

MAX_BYTES = 20_000_000
"""Larger files are refused before parsing."""
AFFECTED = ("known_affected", "first_affected", "last_affected")
FIXED = ("fixed", "first_fixed", "recommended")
UNMAPPED_STATUS = ("known_not_affected", "under_investigation")
PROBLEM_NOTES = ("description", "summary", "details")
_SLUG = re.compile(r"[^a-z0-9]+")


def read_document(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; ``ValidationError`` naming the file otherwise."""
    if path.stat().st_size > MAX_BYTES:
        raise ValidationError("", f"{path}: larger than {MAX_BYTES} bytes")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ValidationError("", f"{path}: not UTF-8 text ({error.reason})") from error
    except json.JSONDecodeError as error:
        raise ValidationError(
            "", f"{path}:{error.lineno}:{error.colno}: not JSON ({error.msg})"
        ) from error
    if not isinstance(data, dict):
        raise ValidationError("", f"{path}: not a CSAF document (no JSON object)")
    return data


@dataclass(frozen=True)
class _Leaf:
    """A product of the tree, located by the branch categories on its path."""

    product_id: str
    product: str | None
    version: str | None
    channel: str | None
    release: str | None


@dataclass
class _Plan:
    catalog: Catalog
    publisher: Publisher
    report: list[str] = field(default_factory=list)
    products: dict[str, Product] = field(default_factory=dict)
    """Products changed or created, by herald product id."""

    def note(self, line: str) -> None:
        if line not in self.report:
            self.report.append(line)


def plan_import(document: Mapping[str, Any], catalog: Catalog, publisher: Publisher) -> DraftImport:
    """The draft and catalog changes ``document`` maps to, and the report of what did not."""
    head = _object(document, "document")
    version = head.get("csaf_version")
    if version != "2.0":
        raise ValidationError("document.csaf_version", f"{version!r} is not CSAF 2.0")
    tracking = _object(head, "tracking", "document.")
    title = _text(head, "title", "document.")
    plan = _Plan(catalog, publisher)
    leaves = _leaves(document.get("product_tree"), plan)
    vulnerabilities = _list(document, "vulnerabilities")
    cves: list[CveId] = []
    affected_ids: list[str] = []
    fixed_ids: list[str] = []
    remediations: list[Mapping[str, Any]] = []
    problems: list[tuple[str, str]] = []
    scores: dict[str, CvssScore] = {}
    ratings: list[str] = []
    for index, vulnerability in enumerate(vulnerabilities):
        where = f"vulnerabilities[{index}]"
        if not isinstance(vulnerability, Mapping):
            plan.note(f"{where}: not an object; dropped")
            continue
        cve = _cve(vulnerability, where, plan)
        if cve is not None and cve not in cves:
            cves.append(cve)
        status = vulnerability.get("product_status") or {}
        for category, products in status.items() if isinstance(status, Mapping) else ():
            ids = [p for p in products if isinstance(p, str)] if isinstance(products, list) else []
            if category in AFFECTED:
                affected_ids.extend(ids)
                if category != "known_affected":
                    plan.note(f"product_status.{category}: read as affected")
            elif category in FIXED:
                fixed_ids.extend(ids)
            elif category in UNMAPPED_STATUS:
                plan.note(
                    f"product_status.{category} ({len(ids)} products): herald has no such "
                    "status; not imported"
                )
        remediations.extend(
            r for r in _list(vulnerability, "remediations") if isinstance(r, Mapping)
        )
        text = _vulnerability_problem(vulnerability, where, plan)
        if text:
            problems.append((str(cve or where), text))
        _scores(vulnerability, where, scores, ratings, plan)
        for key in ("threats", "flags", "involvements", "acknowledgments", "references", "ids"):
            if key in vulnerability and key != "threats":
                plan.note(f"vulnerabilities[].{key}: not imported")
        for threat in _list(vulnerability, "threats"):
            if isinstance(threat, Mapping) and threat.get("category") == "impact":
                ratings.append(str(threat.get("details", "")))
            elif isinstance(threat, Mapping):
                plan.note(f"threats ({threat.get('category')}): not imported")
    aggregate = head.get("aggregate_severity")
    if isinstance(aggregate, Mapping) and isinstance(aggregate.get("text"), str):
        ratings.insert(0, aggregate["text"])
    by_id = {leaf.product_id: leaf for leaf in leaves}
    affected = _affected_versions(affected_ids, by_id, plan)
    fixes = _fixes(affected, fixed_ids, by_id, remediations, tracking, plan)
    sections = _sections(affected, fixes, remediations, fixed_ids, plan)
    problem = _problem(problems, head, plan)
    _report_document_parts(head, document, tracking, plan)
    content = BulletinContent(
        title=title,
        severity=_severity(ratings, publisher, plan),
        cves=tuple(sorted(cves, key=cve_sort_key)),
        cvss=tuple(scores[v] for v in sorted(scores)),
        problem=problem,
        affected=tuple(affected),
        fixes=tuple(fixes),
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


# --- product tree ----------------------------------------------------------------------


def _leaves(tree: object, plan: _Plan) -> list[_Leaf]:
    if not isinstance(tree, Mapping):
        return []
    leaves: list[_Leaf] = []
    for path, product in _walk(tree.get("branches"), ()):
        categories = dict(path)
        product_id = product.get("product_id")
        if not isinstance(product_id, str):
            continue
        leaves.append(
            _Leaf(
                product_id,
                categories.get("product_name"),
                categories.get("product_version") or categories.get("product_version_range"),
                categories.get("product_family") if "product_version" in categories else None,
                categories.get("patch_level") or categories.get("service_pack"),
            )
        )
        if "product_version_range" in categories and "product_version" not in categories:
            plan.note(
                f"{product_id}: the version range {categories['product_version_range']!r} "
                "is kept as a version name"
            )
    for product in _list(tree, "full_product_names"):
        if isinstance(product, Mapping):
            plan.note(f"{product.get('product_id')}: a product outside the branches; not imported")
    if tree.get("relationships"):
        plan.note(
            f"product_tree.relationships ({len(_list(tree, 'relationships'))}): products "
            "combined from others are not imported"
        )
    if tree.get("product_groups"):
        plan.note("product_tree.product_groups: not imported (their products are)")
    return leaves


def _walk(
    branches: object, path: tuple[tuple[str, str], ...]
) -> Iterator[tuple[tuple[tuple[str, str], ...], Mapping[str, Any]]]:
    if not isinstance(branches, list):
        return
    for branch in branches:
        if not isinstance(branch, Mapping):
            continue
        here = (*path, (str(branch.get("category")), str(branch.get("name"))))
        if isinstance(branch.get("product"), Mapping):
            yield here, branch["product"]
        yield from _walk(branch.get("branches"), here)


def _affected_versions(
    product_ids: list[str], leaves: Mapping[str, _Leaf], plan: _Plan
) -> list[VersionRef]:
    affected: list[VersionRef] = []
    for product_id in dict.fromkeys(product_ids):
        leaf = leaves.get(product_id)
        if leaf is None or leaf.product is None or leaf.version is None:
            plan.note(f"{product_id}: no product name and version in the product tree; dropped")
            continue
        ref = _version_ref(plan, leaf.product, leaf.version)
        if ref not in affected:
            affected.append(ref)
    return affected


def _version_ref(plan: _Plan, product_name: str, version_name: str) -> VersionRef:
    """The version, added to the catalog (as supported) when it is new."""
    product = _product(plan, product_name)
    if not any(v.name == version_name for v in product.versions):
        version = ProductVersion(version_name, Lifecycle.SUPPORTED)
        product = replace(product, versions=(*product.versions, version))
        plan.note(f"new version {product.name} {version_name} (marked supported)")
        _store(plan, product)
    return VersionRef(product.id, version_name)


def _product(plan: _Plan, name: str) -> Product:
    for product in plan.catalog.products:
        if product.name == name:
            return product
    slug = _SLUG.sub("-", name.lower()).strip("-")[:60].strip("-") or "product"
    taken = {p.id for p in plan.catalog.products}
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    product = Product(ProductId(candidate), name)
    plan.note(f"new product {name} (id {candidate})")
    _store(plan, product)
    return product


def _store(plan: _Plan, product: Product) -> None:
    plan.products[product.id] = product
    plan.catalog = plan.catalog.with_product(product)


def _fixes(
    affected: list[VersionRef],
    fixed_ids: list[str],
    leaves: Mapping[str, _Leaf],
    remediations: list[Mapping[str, Any]],
    tracking: Mapping[str, Any],
    plan: _Plan,
) -> list[Fix]:
    fixes: dict[ChannelRef, Fix] = {}
    for product_id in dict.fromkeys(fixed_ids):
        leaf = leaves.get(product_id)
        if leaf is None or leaf.product is None or leaf.version is None:
            plan.note(f"{product_id}: a fixed product without name and version; dropped")
            continue
        ref = VersionRef(_product(plan, leaf.product).id, leaf.version)
        if ref not in affected or leaf.channel is None or leaf.release is None:
            plan.note(
                f"{product_id}: fixed, but not a release on a channel of an affected version; "
                "not imported as a fix"
            )
            continue
        channel = ChannelRef(ref.product, ref.version, leaf.channel)
        if channel in fixes:
            plan.note(f"{product_id}: a second fixed release on {channel}; the first is kept")
            continue
        released = _release_day(leaf.release, remediations, tracking)
        _ensure_release(plan, channel, leaf.release, released)
        fixes[channel] = Fix(channel, release=leaf.release)
    texts = _remedy_texts(remediations, fixed_ids, list(fixes.values()), plan)
    for ref in affected:
        for channel in plan.catalog.channels_of(ref):
            if channel not in fixes and texts:
                fixes[channel] = Fix(channel, mitigation="\n\n".join(texts))
    return list(fixes.values())


def _ensure_release(plan: _Plan, channel: ChannelRef, name: str, released_on: date) -> None:
    product = plan.catalog.product(channel.product)
    versions = []
    for version in product.versions:
        if version.name == channel.version:
            channels = list(version.channels)
            found = next((c for c in channels if c.name == channel.channel), None)
            if found is None:
                channels.append(UpdateChannel(channel.channel, (Release(name, released_on),)))
                plan.note(f"new channel {channel}")
            elif not any(r.name == name for r in found.releases):
                updated = UpdateChannel(found.name, (*found.releases, Release(name, released_on)))
                channels = [updated if c.name == found.name else c for c in channels]
            else:
                versions.append(version)
                continue
            plan.note(f"new release {name} on {channel} ({released_on.isoformat()})")
            version = replace(version, channels=tuple(channels))
        versions.append(version)
    updated_product = replace(product, versions=tuple(versions))
    if updated_product != product:
        _store(plan, updated_product)


def _release_day(
    release: str, remediations: list[Mapping[str, Any]], tracking: Mapping[str, Any]
) -> date:
    """The day of the vendor fix naming ``release``, else the document's first release."""
    for remediation in remediations:
        if remediation.get("category") == "vendor_fix" and release in str(
            remediation.get("details", "")
        ):
            day = _day(remediation.get("date"))
            if day is not None:
                return day
    return _day(tracking.get("initial_release_date")) or date(1970, 1, 1)


def _remedy_texts(
    remediations: list[Mapping[str, Any]], fixed_ids: list[str], fixes: list[Fix], plan: _Plan
) -> list[str]:
    """Remediation details that no mapped fix already says (they become mitigation text).

    A vendor fix is already said when it names a fixed release product, or a release
    that became a fix.
    """
    releases = [fix.release for fix in fixes if fix.release]
    texts = []
    for remediation in remediations:
        category = remediation.get("category")
        details = str(remediation.get("details", "")).strip()
        if category in ("none_available", "no_fix_planned"):
            plan.note(f"remediation {category}: herald has no such remedy; not imported")
            continue
        if category == "vendor_fix":
            named = remediation.get("product_ids") or []
            if any(pid in fixed_ids for pid in named) and releases:
                continue
            if any(release in details for release in releases):
                continue
        if details and details not in texts:
            texts.append(details)
    return texts


def _sections(
    affected: list[VersionRef],
    fixes: list[Fix],
    remediations: list[Mapping[str, Any]],
    fixed_ids: list[str],
    plan: _Plan,
) -> dict[SectionKind, str]:
    """The remediation texts as "What Customers Should Do" when no channel could carry them."""
    remedied = {fix.channel.version_ref for fix in fixes}
    if all(ref in remedied for ref in affected):
        return {}
    texts = _remedy_texts(remediations, fixed_ids, fixes, _Plan(plan.catalog, plan.publisher))
    if not texts:
        return {}
    plan.note("remediations without a channel: kept as the text of 'What Customers Should Do'")
    return {SectionKind.CUSTOMER_ACTION: "\n\n".join(texts).replace("{", "(").replace("}", ")")}


# --- vulnerabilities ---------------------------------------------------------------------


def _cve(vulnerability: Mapping[str, Any], where: str, plan: _Plan) -> CveId | None:
    text = vulnerability.get("cve")
    if not isinstance(text, str):
        plan.note(f"{where}: no CVE id; its vulnerability is not imported")
        return None
    try:
        return parse_cve_id(text, f"{where}.cve")
    except ValidationError:
        plan.note(f"{where}: {text!r} is not a CVE id; dropped")
        return None


def _vulnerability_problem(vulnerability: Mapping[str, Any], where: str, plan: _Plan) -> str:
    kept = []
    for note in _list(vulnerability, "notes"):
        if not isinstance(note, Mapping):
            continue
        if note.get("category") in PROBLEM_NOTES and str(note.get("text", "")).strip():
            kept.append(str(note["text"]).strip())
        else:
            plan.note(f"vulnerability notes ({note.get('category')}): not imported")
    return "\n\n".join(kept)


def _scores(
    vulnerability: Mapping[str, Any],
    where: str,
    scores: dict[str, CvssScore],
    ratings: list[str],
    plan: _Plan,
) -> None:
    for item in _list(vulnerability, "scores"):
        if not isinstance(item, Mapping):
            continue
        if "cvss_v2" in item:
            plan.note("CVSS v2.0 scores: herald keeps v3.1 and v4.0 only; dropped")
        v3 = item.get("cvss_v3")
        if not isinstance(v3, Mapping):
            continue
        vector = str(v3.get("vectorString", ""))
        if not vector.startswith("CVSS:3.1/"):
            plan.note(f"CVSS {v3.get('version')} scores: herald keeps v3.1 and v4.0 only; dropped")
            continue
        try:
            score = parse_cvss(vector, f"{where}.scores")
        except ValidationError:
            plan.note(f"{where}: invalid CVSS vector {vector!r}; dropped")
            continue
        ratings.append(score.base_severity)
        kept = scores.get(score.version.value)
        if kept is None or score.base_score > kept.base_score:
            if kept is not None:
                plan.note("several CVSS v3.1 scores: herald keeps one per bulletin, the highest")
            scores[score.version.value] = score


def _severity(ratings: list[str], publisher: Publisher, plan: _Plan) -> str | None:
    scale = {name.lower(): name for name in publisher.severities}
    for rating in ratings:
        words = rating.replace(":", " ").split()
        for word in (rating, *words):
            if word.strip().lower() in scale:
                return scale[word.strip().lower()]
    if ratings:
        plan.note(f"severity {ratings[0]!r} is not on the publisher's scale; left empty")
    return None


def _problem(problems: list[tuple[str, str]], head: Mapping[str, Any], plan: _Plan) -> str:
    if len(problems) == 1:
        return problems[0][1]
    if problems:
        return "\n\n".join(f"**{label}**: {text}" for label, text in problems)
    for note in _list(head, "notes"):
        if isinstance(note, Mapping) and note.get("category") in PROBLEM_NOTES:
            plan.note(f"the problem is taken from the document note {note.get('title')!r}")
            return str(note.get("text", ""))
    return ""


def _report_document_parts(
    head: Mapping[str, Any], document: Mapping[str, Any], tracking: Mapping[str, Any], plan: _Plan
) -> None:
    for note in _list(head, "notes"):
        if isinstance(note, Mapping):
            category, title = note.get("category"), note.get("title")
            if category == "legal_disclaimer":
                plan.note(f"document note {title!r} (legal_disclaimer): the publisher's applies")
            elif category not in PROBLEM_NOTES:
                plan.note(f"document note {title!r} ({category}): not imported")
    if head.get("references"):
        plan.note(f"document references ({len(_list(head, 'references'))}): not imported")
    history = _list(tracking, "revision_history")
    plan.note(
        f"revision history ({len(history)} entries, version {tracking.get('version')}): "
        "a draft has no change log; not imported"
    )
    tlp = (
        head.get("distribution", {}).get("tlp", {})
        if isinstance(head.get("distribution"), Mapping)
        else {}
    )
    label = tlp.get("label") if isinstance(tlp, Mapping) else None
    if label not in (None, "WHITE", "CLEAR"):
        plan.note(f"TLP:{label}: herald publishes to everyone; review before publishing")
    if head.get("category") != "csaf_security_advisory":
        plan.note(f"document category {head.get('category')!r} read as a security advisory")
    if document.get("product_tree") is None:
        plan.note("no product tree: nothing is affected")


# --- small readers -------------------------------------------------------------------


def _object(parent: Mapping[str, Any], key: str, prefix: str = "") -> Mapping[str, Any]:
    value = parent.get(key)
    if not isinstance(value, Mapping):
        raise ValidationError(f"{prefix}{key}", "missing or not an object (is this a CSAF file?)")
    return value


def _text(parent: Mapping[str, Any], key: str, prefix: str = "") -> str:
    value = parent.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{prefix}{key}", "missing or empty")
    return value.strip()


def _list(parent: Mapping[str, Any], key: str) -> list[Any]:
    value = parent.get(key)
    return value if isinstance(value, list) else []


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
