"""The index of a CSAF document: what the tests look at, collected once.

Every test reads this index instead of walking the document again: product ids
defined and referenced (with their JSON pointers), groups, branches, hashes,
revision history, and per vulnerability its product status, scores, remediations,
threats, flags and involvements. ``indexing.py`` builds it in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


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
