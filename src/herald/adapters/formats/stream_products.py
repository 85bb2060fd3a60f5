"""What the status exports (CSAF, OpenVEX, CycloneDX VEX) say of which product.

``domain.product_status.derive_status`` gives every supported stream (an update channel
of a version, or a version without channels) one status. The exports need *products*
to attach statuses to, and they share these, built here once:

- a **version** product (``XenServer 8.4``) for what the bulletin says of a version as a
  whole: not affected, under investigation, affected when the version has no channels,
  and an affected version that bulletins do not cover (end of life, preview);
- a **channel** product (``XenServer 8.4 Normal``): the channel's releases without the
  fix. It is affected, whether the channel has a fixed release or not;
- a **release** product (``XenServer 8.4 Normal 8.4.2026-03-24``) for each release with
  the fix: the first fixed one and every later one.

``statements`` lists one ``Statement`` per product with its verdict, in catalog order.
An unsupported version is never stated not affected: only an affected one is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from herald.domain.bulletin import Bulletin, Fix, NoFix
from herald.domain.catalog import Catalog, ChannelRef, Lifecycle, VersionRef
from herald.domain.product_status import (
    ProductStatus,
    StatusTable,
    StreamStatus,
    UnsupportedVersion,
    derive_status,
)
from herald.domain.statements import NotAffected

_NOT_SLUG = re.compile(r"[^a-z0-9.]+")


class Level(StrEnum):
    """What a product stands for."""

    VERSION = "version"
    CHANNEL = "channel"
    RELEASE = "release"


class Verdict(StrEnum):
    """What a statement says of its product (the CSAF product status groups)."""

    AFFECTED = "affected"
    FIXED = "fixed"
    NOT_AFFECTED = "not_affected"
    UNDER_INVESTIGATION = "under_investigation"


@dataclass(frozen=True)
class StreamProduct:
    """One product the exports give a status: a version, a channel, or one release."""

    level: Level
    version: VersionRef
    channel: str | None
    release: str | None
    product_name: str
    """The catalog's name of the product, e.g. "XenServer"."""
    slug: str
    """Unique in the document, readable: ``xenserver-8.4-normal``."""

    @property
    def name(self) -> str:
        """The full name: "XenServer 8.4 Normal 8.4.2026-03-24"."""
        parts = [self.product_name, self.version.version, self.channel, self.release]
        return " ".join(part for part in parts if part)

    @property
    def channel_ref(self) -> ChannelRef | None:
        if self.channel is None:
            return None
        return ChannelRef(self.version.product, self.version.version, self.channel)


@dataclass(frozen=True)
class Statement:
    """What the bulletin says of one product."""

    product: StreamProduct
    verdict: Verdict
    stream: StreamStatus | None = None
    """The stream it comes from (a supported version); None for an unsupported one."""
    unsupported: UnsupportedVersion | None = None
    """The unsupported version it names, affected (end of life or preview)."""

    @property
    def remedy(self) -> Fix | None:
        return self.stream.remedy if self.stream is not None else None

    @property
    def not_affected(self) -> NotAffected | None:
        return self.stream.not_affected if self.stream is not None else None


@dataclass(frozen=True)
class Statements:
    """Every statement of a bulletin, and the status table they come from."""

    table: StatusTable
    items: tuple[Statement, ...]

    @property
    def products(self) -> tuple[StreamProduct, ...]:
        return tuple(statement.product for statement in self.items)

    def with_verdict(self, verdict: Verdict) -> tuple[Statement, ...]:
        return tuple(s for s in self.items if s.verdict is verdict)

    def channel_product(self, ref: ChannelRef) -> StreamProduct | None:
        """The channel product of ``ref`` (the releases without the fix), if named."""
        for statement in self.items:
            product = statement.product
            if product.level is Level.CHANNEL and product.channel_ref == ref:
                return product
        return None

    def releases_of(self, stream: StreamStatus) -> tuple[StreamProduct, ...]:
        """The release products of a fixed stream, oldest first."""
        return tuple(
            s.product for s in self.items if s.stream is stream and s.product.level is Level.RELEASE
        )


def statements(bulletin: Bulletin, catalog: Catalog) -> Statements:
    """The statements of ``bulletin`` over ``catalog`` (the catalog readers see)."""
    table = derive_status(bulletin.content(), catalog)
    slugs = _Slugs()
    found: list[Statement] = []
    seen_versions: set[VersionRef] = set()
    for ref in _versions_in_order(table, catalog):
        name = catalog.product(ref.product).name
        for stream in (s for s in table.streams if s.version == ref):
            found.extend(_stream_statements(stream, name, slugs, seen_versions))
        for unsupported in (u for u in table.unsupported if u.version == ref):
            if unsupported.stated_affected:
                product = _product(Level.VERSION, ref, None, None, name, slugs)
                found.append(Statement(product, Verdict.AFFECTED, unsupported=unsupported))
    return Statements(table, tuple(found))


def _versions_in_order(table: StatusTable, catalog: Catalog) -> list[VersionRef]:
    named = {s.version for s in table.streams} | {u.version for u in table.unsupported}
    ordered: list[VersionRef] = []
    for product_id in dict.fromkeys(ref.product for ref in named):
        for version in catalog.product(product_id).versions:
            ref = VersionRef(product_id, version.name)
            if ref in named:
                ordered.append(ref)
    return ordered


def _stream_statements(
    stream: StreamStatus, name: str, slugs: _Slugs, seen_versions: set[VersionRef]
) -> list[Statement]:
    ref = stream.version
    match stream.status:
        case ProductStatus.FIXED | ProductStatus.KNOWN_AFFECTED if stream.channel is not None:
            channel = _product(Level.CHANNEL, ref, stream.channel, None, name, slugs)
            found = [Statement(channel, Verdict.AFFECTED, stream)]
            for release in stream.fixed_releases:
                product = _product(Level.RELEASE, ref, stream.channel, release, name, slugs)
                found.append(Statement(product, Verdict.FIXED, stream))
            return found
        case ProductStatus.KNOWN_AFFECTED:
            verdict = Verdict.AFFECTED
        case ProductStatus.KNOWN_NOT_AFFECTED:
            verdict = Verdict.NOT_AFFECTED
        case _:
            verdict = Verdict.UNDER_INVESTIGATION
    if ref in seen_versions:  # every channel of the version says the same
        return []
    seen_versions.add(ref)
    return [Statement(_product(Level.VERSION, ref, None, None, name, slugs), verdict, stream)]


def _product(
    level: Level,
    ref: VersionRef,
    channel: str | None,
    release: str | None,
    name: str,
    slugs: _Slugs,
) -> StreamProduct:
    parts = [ref.product, ref.version, *(part for part in (channel, release) if part)]
    return StreamProduct(level, ref, channel, release, name, slugs.allocate(parts))


class _Slugs:
    """Readable, unique slugs: the lower-case path joined by ``-``."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def allocate(self, parts: list[str]) -> str:
        slug = "-".join(_NOT_SLUG.sub("-", part.lower()).strip("-") or "x" for part in parts)
        candidate, number = slug, 1
        while candidate in self._taken:
            number += 1
            candidate = f"{slug}-{number}"
        self._taken.add(candidate)
        return candidate


# --- the words every export uses ---------------------------------------------------


def where(statement: Statement) -> str:
    """ "XenServer 8.4, Normal channel" or "XenServer 8.4"."""
    product = statement.product
    base = f"{product.product_name} {product.version.version}"
    return f"{base}, {product.channel} channel" if product.channel else base


def fix_sentence(remedy: Fix) -> str | None:
    """ "Update to 8.4.2026-03-24 or later." when the remedy has a fixed release."""
    return None if remedy.release is None else f"Update to {remedy.release} or later."


def no_fix_sentence(remedy: Fix) -> str | None:
    """Why there is no fixed release, in the author's words or herald's."""
    if remedy.no_fix is None:
        return None
    if remedy.no_fix_reason:
        return remedy.no_fix_reason
    if remedy.no_fix is NoFix.NO_FIX_PLANNED:
        return "No update that fixes this issue is planned."
    return "No update that fixes this issue is available yet."


def action_statement(statement: Statement, notes: tuple[str, ...] = ()) -> str:
    """What to do about an affected product, in one paragraph (OpenVEX, CycloneDX)."""
    unsupported = statement.unsupported
    if unsupported is not None:
        note = next((text for text in notes if where(statement) in text), "")
        if note:
            return note
        if unsupported.lifecycle is Lifecycle.END_OF_LIFE:
            return f"{where(statement)} has reached its end of life; no update is planned."
        return f"{where(statement)} is {unsupported.label}; bulletins do not cover it."
    remedy = statement.remedy
    if remedy is None:
        return f"No update that fixes this issue is available yet for {where(statement)}."
    parts = [fix_sentence(remedy), no_fix_sentence(remedy)]
    if remedy.mitigation:
        parts.append(f"Mitigation: {remedy.mitigation}")
    if remedy.workaround:
        parts.append(f"Workaround: {remedy.workaround}")
    return " ".join(part.strip() for part in parts if part)


def status_sentences(found: Statements) -> tuple[str, ...]:
    """What the bulletin says of the versions not affected or under investigation:
    "XenServer 8.4 is not affected (component not present)."."""
    sentences = []
    for statement in found.items:
        stated = statement.not_affected
        if statement.verdict is Verdict.NOT_AFFECTED and stated is not None:
            reason = stated.justification.label.lower()
            sentences.append(f"{where(statement)} is not affected ({reason}).")
        elif statement.verdict is Verdict.UNDER_INVESTIGATION:
            sentences.append(f"{where(statement)} is under investigation.")
    return tuple(sentences)


# --- how the VEX exports identify a product ------------------------------------------


def identifiers(product: StreamProduct, catalog: Catalog) -> dict[str, str]:
    """The product's software identifiers (``cpe23``, ``purl``), when the catalog has them.

    The one place OpenVEX and CycloneDX ask. The catalog has no CPE or purl yet, so this
    is empty and the exports name products by ``product_iri``; when versions carry their
    identity, this returns it (a release's purl with the release as its version).
    """
    return {}


def product_iri(product: StreamProduct, base_url: str) -> str:
    """herald's own IRI of a product: its product page and the product's slug,
    ``https://…/products/xenserver#xenserver-8.4-normal``."""
    page = f"{base_url.rstrip('/')}/products/{quote(product.version.product, safe='')}"
    return f"{page}#{quote(product.slug, safe='')}"


def described(statement: Statement) -> str:
    """What the product of a statement stands for, in words (OpenVEX has no names)."""
    product, stream = statement.product, statement.stream
    if product.level is Level.CHANNEL and stream is not None:
        if stream.first_fixed is not None:
            return f"{product.name}: the channel's releases before {stream.first_fixed}."
        return f"{product.name}: every release of the channel."
    return f"{product.name}."
