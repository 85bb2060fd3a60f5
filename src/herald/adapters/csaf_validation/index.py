"""One pass over a CSAF document that collects what the tests look at.

Every test reads this index instead of walking the document again: product ids
defined and referenced (with their JSON pointers), groups, branches, hashes,
revision history, and per vulnerability its product status, scores, remediations,
threats, flags and involvements. The document is untrusted and may not match the
schema, so every access checks the type and skips what does not fit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

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


def escape(key: str) -> str:
    """A key as a JSON pointer token."""
    return key.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class Ref:
    """An id (product or group) at a place in the document."""

    value: str
    path: str


class Ids:
    """An array of product or group ids at a path; ``Ref``s are made only when asked for."""

    __slots__ = ("items", "path", "scalar")

    def __init__(self, items: list[Any], path: str, *, scalar: bool = False) -> None:
        self.items = items
        """The array as written (items that are not strings are ignored)."""
        self.path = path
        """JSON pointer of the array (of the single value when ``scalar``)."""
        self.scalar = scalar
        """One value at ``path`` rather than an array (a relationship's references)."""

    def _path(self, position: int) -> str:
        return self.path if self.scalar else f"{self.path}/{position}"

    def values(self) -> set[str]:
        return {item for item in self.items if isinstance(item, str)}

    def __iter__(self) -> Iterator[Ref]:
        for position, item in enumerate(self.items):
            if isinstance(item, str):
                yield Ref(item, self._path(position))

    def __bool__(self) -> bool:
        return bool(self.items)

    def not_in(self, known: set[str] | dict[str, Any]) -> Iterator[Ref]:
        """The ids missing from ``known``, with their paths."""
        for position, item in enumerate(self.items):
            if isinstance(item, str) and item not in known:
                yield Ref(item, self._path(position))


_NO_IDS = Ids([], "")


@dataclass(slots=True)
class FullProductName:
    """A ``full_product_name_t``: in a branch, in ``full_product_names`` or a relationship."""

    path: str
    data: dict[str, Any]
    product_id: str | None
    helper: dict[str, Any] | None = None
    """Its ``product_identification_helper`` when that is an object."""


@dataclass(slots=True)
class Branch:
    """One item of a ``branches`` array, with the categories of its ancestors."""

    path: str
    data: dict[str, Any]
    category: str | None
    name: str | None
    ancestor_categories: tuple[str | None, ...]
    """Categories from the root branch down to and including this one."""


@dataclass(slots=True)
class Group:
    """A product group: its id and members."""

    path: str
    group_id: str | None
    product_ids: Ids


@dataclass(slots=True)
class Relationship:
    path: str
    product_id: str | None
    """The id its ``full_product_name`` defines."""
    product_reference: Ref | None
    relates_to: Ref | None


@dataclass(slots=True)
class ProductBinding:
    """A remediation, threat or flag: the products and groups it names."""

    path: str
    data: dict[str, Any]
    product_ids: Ids
    group_ids: Ids
    has_product_ids: bool
    has_group_ids: bool


@dataclass(slots=True)
class Score:
    path: str
    products: Ids
    cvss_v2: dict[str, Any] | None
    cvss_v3: dict[str, Any] | None


@dataclass(slots=True)
class Vulnerability:
    path: str
    data: dict[str, Any]
    status: dict[str, Ids]
    """Product status group name → its product ids (only groups that are present)."""
    has_product_status: bool
    scores: list[Score] = field(default_factory=list)
    remediations: list[ProductBinding] = field(default_factory=list)
    threats: list[ProductBinding] = field(default_factory=list)
    flags: list[ProductBinding] = field(default_factory=list)
    involvements: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass(slots=True)
class Revision:
    path: str
    number: str | None
    date: str | None
    index: int


class HashList:
    """One item of ``product_identification_helper/hashes``; pointers are made when asked for."""

    __slots__ = ("entries", "path")

    def __init__(self, path: str, entries: list[Any]) -> None:
        self.path = path
        """JSON pointer of the item."""
        self.entries = entries
        """Its ``file_hashes`` array as written (items that are not objects are ignored)."""

    @property
    def file_hashes(self) -> list[tuple[str, dict[str, Any]]]:
        """(JSON pointer, object) of each item of ``file_hashes``."""
        return [
            (f"{self.path}/file_hashes/{number}", entry)
            for number, entry in enumerate(self.entries)
            if isinstance(entry, dict)
        ]

    def algorithms(self) -> list[Any]:
        """The ``algorithm`` of each hash object, as written (None where absent)."""
        return [entry.get("algorithm") for entry in self.entries if isinstance(entry, dict)]


@dataclass(slots=True)
class DocumentIndex:
    """What the tests need, collected once."""

    document: Any
    meta: dict[str, Any]
    """``/document`` (empty when absent or not an object)."""
    tracking: dict[str, Any]
    category: str | None
    lang: str | None
    source_lang: str | None
    publisher_category: str | None
    status: str | None
    version: str | None
    revisions: list[Revision]
    has_product_tree: bool
    has_vulnerabilities: bool
    products: list[FullProductName] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    hashes: list[tuple[str, list[Any]]] = field(default_factory=list)
    """(JSON pointer of a product, its ``product_identification_helper/hashes`` array)."""
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    product_references: list[Ids] = field(default_factory=list)
    """Every product id used outside a definition (the paths of test 6.1.1, and flags)."""
    group_references: list[Ids] = field(default_factory=list)
    """Every group id used outside a group definition (6.1.4)."""
    schema_valid: bool = False
    """Set by the validator when the document passed the CSAF schema, so tests may rely on it."""
    cache: dict[str, Any] = field(default_factory=dict)
    """Values several tests derive from the index (group members, sorted revisions)."""

    @property
    def hash_lists(self) -> list[HashList]:
        """Every item of every product's ``hashes`` that is an object (built once, if asked)."""
        cached: list[HashList] | None = self.cache.get("hash_lists")
        if cached is not None:
            return cached
        lists: list[HashList] = []
        for path, items in self.hashes:
            for position, item in enumerate(items):
                if isinstance(item, dict):
                    entries = item.get("file_hashes")
                    lists.append(
                        HashList(
                            f"{path}/product_identification_helper/hashes/{position}",
                            entries if isinstance(entries, list) else [],
                        )
                    )
        self.cache["hash_lists"] = lists
        return lists

    def group_members(self) -> dict[str, set[str]]:
        """Group id → its product ids (computed once per index)."""
        cached: dict[str, set[str]] | None = self.cache.get("group_members")
        if cached is not None:
            return cached
        members: dict[str, set[str]] = {}
        for group in self.groups:
            if group.group_id is not None:
                members.setdefault(group.group_id, set()).update(group.product_ids.values())
        self.cache["group_members"] = members
        return members


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
