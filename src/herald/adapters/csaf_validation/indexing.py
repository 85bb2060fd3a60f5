"""One pass over a CSAF document that builds its ``DocumentIndex`` (``index.py``).

The document is untrusted and may not match the schema, so every access checks the
type and skips what does not fit.
"""

from __future__ import annotations

from typing import Any

from herald.adapters.csaf_validation.index import (
    Branch,
    DocumentIndex,
    FullProductName,
    Group,
    Ids,
    ProductBinding,
    Ref,
    Relationship,
    Revision,
    Score,
    Vulnerability,
)

PRODUCT_STATUS_KEYS = (
    "first_affected",
    "first_fixed",
    "fixed",
    "known_affected",
    "known_not_affected",
    "last_affected",
    "recommended",
    "under_investigation",
)


def _dict(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_NO_IDS = Ids([], "")


def _ids(value: Any, path: str) -> Ids:
    return Ids(value, path) if isinstance(value, list) else _NO_IDS


def build_index(document: Any) -> DocumentIndex:
    """Walk the document once."""
    root = _dict(document) or {}
    meta = _dict(root.get("document")) or {}
    tracking = _dict(meta.get("tracking")) or {}
    publisher = _dict(meta.get("publisher")) or {}
    revisions = [
        Revision(
            f"/document/tracking/revision_history/{position}",
            _str(item.get("number")),
            _str(item.get("date")),
            position,
        )
        for position, item in enumerate(_list(tracking.get("revision_history")))
        if isinstance(item, dict)
    ]
    index = DocumentIndex(
        document=document,
        meta=meta,
        tracking=tracking,
        category=_str(meta.get("category")),
        lang=_str(meta.get("lang")),
        source_lang=_str(meta.get("source_lang")),
        publisher_category=_str(publisher.get("category")),
        status=_str(tracking.get("status")),
        version=_str(tracking.get("version")),
        revisions=revisions,
        has_product_tree="product_tree" in root,
        has_vulnerabilities="vulnerabilities" in root,
    )
    tree = _dict(root.get("product_tree"))
    if tree is not None:
        _index_tree(index, tree)
    for position, item in enumerate(_list(root.get("vulnerabilities"))):
        if isinstance(item, dict):
            index.vulnerabilities.append(
                _index_vulnerability(index, item, f"/vulnerabilities/{position}")
            )
    return index


def _add_product(index: DocumentIndex, data: Any, path: str) -> None:
    if not isinstance(data, dict):
        return
    product_id = data.get("product_id")
    helper = data.get("product_identification_helper")
    if not isinstance(helper, dict):
        index.products.append(
            FullProductName(path, data, product_id if isinstance(product_id, str) else None)
        )
        return
    index.products.append(
        FullProductName(path, data, product_id if isinstance(product_id, str) else None, helper)
    )
    hashes = helper.get("hashes")
    if isinstance(hashes, list):
        index.hashes.append((path, hashes))


def _index_tree(index: DocumentIndex, tree: dict[str, Any]) -> None:
    stack: list[tuple[Any, str, tuple[str | None, ...]]] = [
        (tree.get("branches"), "/product_tree/branches", ())
    ]
    append_branch = index.branches.append
    while stack:
        branches, path, ancestors = stack.pop()
        if not isinstance(branches, list):
            continue
        for position, branch in enumerate(branches):
            if not isinstance(branch, dict):
                continue
            here = f"{path}/{position}"
            category = branch.get("category")
            if not isinstance(category, str):
                category = None
            name = branch.get("name")
            chain = (*ancestors, category)
            append_branch(
                Branch(here, branch, category, name if isinstance(name, str) else None, chain)
            )
            if "product" in branch:
                _add_product(index, branch["product"], f"{here}/product")
            if "branches" in branch:
                stack.append((branch["branches"], f"{here}/branches", chain))
    for position, item in enumerate(_list(tree.get("full_product_names"))):
        _add_product(index, item, f"/product_tree/full_product_names/{position}")
    for position, item in enumerate(_list(tree.get("product_groups"))):
        group = _dict(item)
        if group is None:
            continue
        path = f"/product_tree/product_groups/{position}"
        members = _ids(group.get("product_ids"), f"{path}/product_ids")
        index.groups.append(Group(path, _str(group.get("group_id")), members))
        index.product_references.append(members)
    for position, item in enumerate(_list(tree.get("relationships"))):
        relation = _dict(item)
        if relation is None:
            continue
        path = f"/product_tree/relationships/{position}"
        product = _dict(relation.get("full_product_name"))
        if product is not None:
            _add_product(index, product, f"{path}/full_product_name")
        reference = _str(relation.get("product_reference"))
        relates_to = _str(relation.get("relates_to_product_reference"))
        entry = Relationship(
            path,
            _str(product.get("product_id")) if product is not None else None,
            Ref(reference, f"{path}/product_reference") if reference is not None else None,
            (
                Ref(relates_to, f"{path}/relates_to_product_reference")
                if relates_to is not None
                else None
            ),
        )
        index.relationships.append(entry)
        index.product_references.extend(
            Ids([ref.value], ref.path, scalar=True)
            for ref in (entry.product_reference, entry.relates_to)
            if ref is not None
        )


def _bindings(index: DocumentIndex, value: Any, path: str) -> list[ProductBinding]:
    bindings: list[ProductBinding] = []
    if not isinstance(value, list):
        return bindings
    for position, data in enumerate(value):
        if not isinstance(data, dict):
            continue
        here = f"{path}/{position}"
        products = data.get("product_ids")
        groups = data.get("group_ids")
        product_ids = (
            Ids(products, f"{here}/product_ids") if isinstance(products, list) else _NO_IDS
        )
        group_ids = Ids(groups, f"{here}/group_ids") if isinstance(groups, list) else _NO_IDS
        if product_ids.items:
            index.product_references.append(product_ids)
        if group_ids.items:
            index.group_references.append(group_ids)
        bindings.append(
            ProductBinding(
                here, data, product_ids, group_ids, "product_ids" in data, "group_ids" in data
            )
        )
    return bindings


def _index_vulnerability(index: DocumentIndex, data: dict[str, Any], path: str) -> Vulnerability:
    status_data = data.get("product_status")
    status: dict[str, Ids] = {}
    if isinstance(status_data, dict):
        for key in PRODUCT_STATUS_KEYS:
            if key in status_data:
                listed = status_data[key]
                refs = (
                    Ids(listed, f"{path}/product_status/{key}")
                    if isinstance(listed, list)
                    else _NO_IDS
                )
                status[key] = refs
                index.product_references.append(refs)
    vulnerability = Vulnerability(path, data, status, "product_status" in data)
    scores = data.get("scores")
    if isinstance(scores, list):
        for position, score in enumerate(scores):
            if not isinstance(score, dict):
                continue
            here = f"{path}/scores/{position}"
            listed = score.get("products")
            products = Ids(listed, f"{here}/products") if isinstance(listed, list) else _NO_IDS
            index.product_references.append(products)
            v2, v3 = score.get("cvss_v2"), score.get("cvss_v3")
            vulnerability.scores.append(
                Score(
                    here,
                    products,
                    v2 if isinstance(v2, dict) else None,
                    v3 if isinstance(v3, dict) else None,
                )
            )
    vulnerability.remediations = _bindings(index, data.get("remediations"), f"{path}/remediations")
    vulnerability.threats = _bindings(index, data.get("threats"), f"{path}/threats")
    vulnerability.flags = _bindings(index, data.get("flags"), f"{path}/flags")
    vulnerability.involvements = [
        (f"{path}/involvements/{position}", item)
        for position, item in enumerate(_list(data.get("involvements")))
        if isinstance(item, dict)
    ]
    return vulnerability
