"""What a CSAF vulnerability says of each product: status, remediations, flags, threats.

Built from the bulletin's statements (``stream_products``) and the product ids of the
tree (``csaf_products``); every vulnerability of a bulletin says the same of its products.

- ``product_status``: channels and versions affected → ``known_affected``; releases with
  the fix → ``fixed``, the first of each channel also ``first_fixed``, the newest
  ``recommended``; versions stated not affected → ``known_not_affected``; versions under
  investigation → ``under_investigation``. No product is in two of the groups test 6.1.6
  keeps apart (``recommended`` is in none of them).
- ``remediations``: one per category of each affected product's remedy (``vendor_fix``
  with the release's date, its URL and ``restart_required``; ``mitigation``;
  ``workaround``; ``none_available``; ``no_fix_planned``), ``no_fix_planned`` for an
  affected end-of-life version, and ``none_available`` for a version under
  investigation (test 6.2.2 wants a remediation for it).
- ``flags``: a not-affected version's justification; ``threats``: its impact
  statement (``impact``), and the severity of the affected products.
"""

from __future__ import annotations

from typing import Any

from herald.adapters.formats.csaf_common import midnight, utc_text
from herald.adapters.formats.csaf_products import ProductTree
from herald.adapters.formats.stream_products import (
    Statement,
    Statements,
    Verdict,
    no_fix_sentence,
    where,
)
from herald.domain.bulletin import Bulletin, Fix, RemedyCategory
from herald.domain.catalog import Catalog, ChannelRef, Lifecycle, VersionRef
from herald.domain.errors import NotFound
from herald.domain.publisher import Publisher


def affected_ids(statements: Statements, tree: ProductTree) -> list[str]:
    """The ids of the affected products (what scores and severity apply to)."""
    return [tree.id_of(s.product) for s in statements.with_verdict(Verdict.AFFECTED)]


def product_status(statements: Statements, tree: ProductTree) -> dict[str, list[str]]:
    """The ``product_status`` object: each group that has products, in catalog order."""
    groups: dict[str, list[str]] = {
        "known_affected": affected_ids(statements, tree),
        "first_fixed": [],
        "fixed": [],
        "recommended": [],
        "known_not_affected": [],
        "under_investigation": [],
    }
    for statement in statements.items:
        pid = tree.id_of(statement.product)
        match statement.verdict:
            case Verdict.FIXED:
                groups["fixed"].append(pid)
                stream = statement.stream
                if stream is not None and statement.product.release == stream.first_fixed:
                    groups["first_fixed"].append(pid)
                if stream is not None and statement.product.release == stream.recommended:
                    groups["recommended"].append(pid)
            case Verdict.NOT_AFFECTED:
                groups["known_not_affected"].append(pid)
            case Verdict.UNDER_INVESTIGATION:
                groups["under_investigation"].append(pid)
            case Verdict.AFFECTED:
                pass
    return {key: ids for key, ids in groups.items() if ids}


def remediations(
    statements: Statements,
    tree: ProductTree,
    catalog: Catalog,
    publisher: Publisher,
    not_covered_notes: tuple[str, ...],
) -> list[dict[str, Any]]:
    """One remediation per category of every affected or investigated product's remedy."""
    items: list[dict[str, Any]] = []
    for statement in statements.items:
        pid = tree.id_of(statement.product)
        url = update_url((statement.product.version,), catalog, publisher)
        if statement.verdict is Verdict.UNDER_INVESTIGATION:
            text = f"{where(statement)} is under investigation; no remedy is available yet."
            items.append(_item(RemedyCategory.NONE_AVAILABLE, text, pid))
        elif statement.verdict is Verdict.AFFECTED and statement.unsupported is not None:
            items.append(_unsupported(statement, pid, not_covered_notes))
        elif statement.verdict is Verdict.AFFECTED and statement.remedy is None:
            text = f"No update is available for {where(statement)} yet."
            items.append(_item(RemedyCategory.NONE_AVAILABLE, text, pid))
        elif statement.verdict is Verdict.AFFECTED and statement.remedy is not None:
            items.extend(_remedy_items(statement, statement.remedy, pid, url, catalog))
    return items


def _item(category: RemedyCategory, details: str, pid: str) -> dict[str, Any]:
    return {"category": category.value, "details": details, "product_ids": [pid]}


def _unsupported(statement: Statement, pid: str, notes: tuple[str, ...]) -> dict[str, Any]:
    note = next((text for text in notes if where(statement) in text), "")
    unsupported = statement.unsupported
    if unsupported is not None and unsupported.lifecycle is Lifecycle.END_OF_LIFE:
        text = note or f"{where(statement)} has reached its end of life."
        return _item(RemedyCategory.NO_FIX_PLANNED, text, pid)
    return _item(
        RemedyCategory.NONE_AVAILABLE,
        note or f"No update is available for {where(statement)} yet.",
        pid,
    )


def _remedy_items(
    statement: Statement, remedy: Fix, pid: str, url: str, catalog: Catalog
) -> list[dict[str, Any]]:
    items = []
    for category in remedy.categories:
        match category:
            case RemedyCategory.VENDOR_FIX:
                text = f"update to {remedy.release} or later."
            case RemedyCategory.MITIGATION:
                text = remedy.mitigation or ""
            case RemedyCategory.WORKAROUND:
                text = remedy.workaround or ""
            case RemedyCategory.NONE_AVAILABLE | RemedyCategory.NO_FIX_PLANNED:
                text = no_fix_sentence(remedy) or ""
        item = _item(category, f"{where(statement)}: {text}", pid)
        if category is not RemedyCategory.NO_FIX_PLANNED or remedy.url:
            item["url"] = remedy.url or url
        if category is RemedyCategory.VENDOR_FIX:
            _add_release_facts(item, remedy, statement.product.channel_ref, catalog)
        items.append(item)
    return items


def _add_release_facts(
    item: dict[str, Any], remedy: Fix, channel: ChannelRef | None, catalog: Catalog
) -> None:
    """The fixed release's day (``date``) and what applying it restarts."""
    if remedy.restart is not None:
        item["restart_required"] = {"category": remedy.restart.value}
    if channel is None or remedy.release is None:
        return
    try:
        released = catalog.channel(channel).release(remedy.release).released_on
    except NotFound:
        return
    item["date"] = utc_text(midnight(released))


def flags(statements: Statements, tree: ProductTree) -> list[dict[str, Any]]:
    """One flag per justification, naming the versions stated not affected for it."""
    by_label: dict[str, list[str]] = {}
    for statement in statements.with_verdict(Verdict.NOT_AFFECTED):
        if statement.not_affected is not None:
            label = statement.not_affected.justification.value
            by_label.setdefault(label, []).append(tree.id_of(statement.product))
    return [{"label": label, "product_ids": ids} for label, ids in by_label.items()]


def threats(bulletin: Bulletin, statements: Statements, tree: ProductTree) -> list[dict[str, Any]]:
    """The impact statement of each not-affected version, and the bulletin's severity for
    the affected products."""
    found: list[dict[str, Any]] = []
    affected = affected_ids(statements, tree)
    if bulletin.severity and affected:
        found.append(
            {
                "category": "impact",
                "details": f"Severity: {bulletin.severity}",
                "product_ids": affected,
            }
        )
    by_impact: dict[str, list[str]] = {}
    for statement in statements.with_verdict(Verdict.NOT_AFFECTED):
        if statement.not_affected is not None:
            impact = statement.not_affected.impact
            by_impact.setdefault(impact, []).append(tree.id_of(statement.product))
    found.extend(
        {"category": "impact", "details": impact, "product_ids": ids}
        for impact, ids in by_impact.items()
    )
    return found


def update_url(affected: tuple[VersionRef, ...], catalog: Catalog, publisher: Publisher) -> str:
    """The product's update instructions when one product is named, else the publisher's."""
    products = {ref.product for ref in affected}
    if len(products) == 1:
        product = catalog.product(next(iter(products)))
        return product.update_instructions_url or publisher.update_instructions_url
    return publisher.update_instructions_url
