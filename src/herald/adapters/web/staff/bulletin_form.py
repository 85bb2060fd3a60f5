"""The bulletin form <-> ``BulletinContent`` (the fields are read with ``web.forms``).

Every problem is recorded against the form field it concerns, so the page can be shown
again with the message next to that field (422) and nothing saved. Text is limited in
length and may not contain control characters (PostgreSQL refuses NUL).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from herald.adapters.web.forms import (
    LINE_LIMIT,
    FormReader,
)
from herald.adapters.web.staff.bulletin_statements import (
    JUSTIFICATIONS,
    NO_FIX_CHOICES,
    RESTART_CHOICES,
    STATEMENTS,
    FixValues,
    StatementValues,
    build_fix,
    read_fix_values,
    read_statements,
    statement_values,
)
from herald.adapters.web.staff.weakness_field import read_weaknesses, weaknesses_text
from herald.domain.bulletin import Bulletin, BulletinContent, Fix
from herald.domain.catalog import Catalog, ChannelRef, VersionRef
from herald.domain.errors import NotFound, ValidationError
from herald.domain.ids import ProductId, cve_sort_key, parse_cve_id
from herald.domain.publisher import Publisher, SectionKind
from herald.domain.scoring import parse_cvss
from herald.domain.statements import BulletinKind
from herald.domain.templates import check_template
from herald.domain.weaknesses import CWE_VERSION

TITLE_LIMIT = 300
TEXT_LIMIT = 50_000
"""Problem text, mitigations and section overrides."""
SUMMARY_LIMIT = 300
MAX_CHANNELS = 200
"""The fixes table reads at most this many channels (the form field cap is lower)."""

# --- the bulletin form ------------------------------------------------------------


def version_key(ref: VersionRef) -> str:
    """A version's value in the form (JSON, so any version name round-trips)."""
    return json.dumps([ref.product, ref.version])


def channel_key(ref: ChannelRef) -> str:
    return json.dumps([ref.product, ref.version, ref.channel])


def _decode_key(text: str, parts: int) -> list[str] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if (
        not isinstance(value, list)
        or len(value) != parts
        or not all(isinstance(p, str) for p in value)
    ):
        return None
    return value


@dataclass
class BulletinFormValues:
    """What the bulletin form shows: as typed, so a page with errors keeps the input."""

    article_id: str = ""
    title: str = ""
    severity: str = ""
    cves: str = ""
    cvss: str = ""
    weaknesses: str = ""
    """``CVE-2026-4397: CWE-787, CWE-20`` lines."""
    problem: str = ""
    affected: set[str] = field(default_factory=set)
    """Version keys ticked."""
    fixes: dict[str, FixValues] = field(default_factory=dict)
    """The remedy as typed, by channel key."""
    kind: str = BulletinKind.ADVISORY.value
    statements: dict[str, StatementValues] = field(default_factory=dict)
    """Not affected or under investigation, as typed, by version key."""
    sections: dict[str, str] = field(default_factory=dict)
    """Override text by section kind value."""
    summary: str = ""
    """The change-log entry (amend only)."""
    emergency: str = ""
    """An admin's reason to amend without a second person (amend only; usually empty)."""

    @classmethod
    def of(cls, bulletin: Bulletin) -> BulletinFormValues:
        return cls(
            article_id=bulletin.article_id,
            title=bulletin.title,
            severity=bulletin.severity or "",
            cves="\n".join(bulletin.cves),
            cvss="\n".join(score.vector for score in bulletin.cvss),
            weaknesses=weaknesses_text(bulletin.weaknesses, bulletin.cves),
            problem=bulletin.problem,
            affected={version_key(ref) for ref in bulletin.affected},
            fixes={channel_key(fix.channel): FixValues.of(fix) for fix in bulletin.fixes},
            kind=bulletin.kind.value,
            statements=statement_values(
                bulletin.not_affected, bulletin.under_investigation, version_key
            ),
            sections={kind.value: text for kind, text in bulletin.sections.items()},
        )


@dataclass(frozen=True)
class ChannelChoice:
    """One update channel in the form's fixes table."""

    index: int
    key: str
    version_key: str
    label: str
    releases: tuple[str, ...]


@dataclass(frozen=True)
class VersionChoice:
    key: str
    label: str
    state: str
    covered: bool
    index: int = -1
    """Its number among the covered versions (``statement-{index}``); -1 when not covered."""


@dataclass(frozen=True)
class BulletinFormChoices:
    """What the form offers: the publisher's severities and the catalog's versions."""

    severities: tuple[str, ...]
    versions: tuple[VersionChoice, ...]
    channels: tuple[ChannelChoice, ...]
    sections: tuple[tuple[str, str], ...]
    """(kind value, heading) of each narrative section."""
    cwe_version: str = CWE_VERSION
    """The CWE catalogue the weaknesses field takes ids from."""
    statement_kinds: tuple[tuple[str, str], ...] = STATEMENTS
    """(value, label) of the statements a version may get."""
    justifications: tuple[tuple[str, str], ...] = JUSTIFICATIONS
    no_fix: tuple[tuple[str, str], ...] = NO_FIX_CHOICES
    restarts: tuple[tuple[str, str], ...] = RESTART_CHOICES
    empty_fix: FixValues = field(default_factory=FixValues)
    """What a channel without a remedy shows."""

    @classmethod
    def of(cls, catalog: Catalog, publisher: Publisher) -> BulletinFormChoices:
        versions: list[VersionChoice] = []
        channels: list[ChannelChoice] = []
        for product in catalog.products:
            for version in product.versions:
                ref = VersionRef(product.id, version.name)
                label = f"{product.name} {version.name}"
                covered = version.lifecycle.covered
                index = sum(1 for v in versions if v.covered) if covered else -1
                versions.append(
                    VersionChoice(version_key(ref), label, version.state_label, covered, index)
                )
                for channel in version.channels:
                    channels.append(
                        ChannelChoice(
                            index=len(channels),
                            key=channel_key(ChannelRef(product.id, version.name, channel.name)),
                            version_key=version_key(ref),
                            label=f"{label} — {channel.name}",
                            releases=tuple(r.name for r in reversed(channel.releases)),
                        )
                    )
        sections = tuple(
            (kind.value, publisher.section(kind).title.replace("{brand}", publisher.brand))
            for kind in SectionKind
        )
        return cls(publisher.severities, tuple(versions), tuple(channels), sections)


def read_bulletin_form(
    reader: FormReader, catalog: Catalog, publisher: Publisher, *, amending: bool = False
) -> tuple[BulletinFormValues, BulletinContent | None]:
    """The posted bulletin form: the values as typed, and the content when every field is
    valid (otherwise None, with the problems in ``reader.errors``)."""
    errors = reader.errors
    values = BulletinFormValues(
        article_id=reader.text("article_id", limit=40, one_line=True, label="the article id"),
        title=reader.text("title", limit=TITLE_LIMIT, one_line=True, label="the title"),
        severity=reader.text("severity", limit=100, one_line=True, label="the severity"),
        cves=reader.text("cves", limit=LINE_LIMIT, label="the CVE list"),
        cvss=reader.text("cvss", limit=LINE_LIMIT, label="the CVSS list"),
        weaknesses=reader.text("weaknesses", limit=LINE_LIMIT, label="the weaknesses"),
        problem=reader.text("problem", limit=TEXT_LIMIT, label="the problem"),
        kind=reader.text("kind", limit=20, one_line=True, label="the kind") or "advisory",
    )
    try:
        kind = BulletinKind(values.kind)
    except ValueError:
        errors.add("kind", "choose a security advisory or a VEX statement")
        kind = BulletinKind.ADVISORY
    if amending:
        values.summary = reader.text(
            "summary", limit=SUMMARY_LIMIT, one_line=True, label="the summary"
        ).strip()
        values.emergency = reader.text(
            "emergency", limit=SUMMARY_LIMIT, one_line=True, label="the reason"
        ).strip()

    title = values.title.strip()
    if not title and "title" not in errors:
        errors.add("title", "give the bulletin a title")
    severity = values.severity.strip() or None
    if severity is not None and severity not in publisher.severities:
        errors.add("severity", f"choose one of {', '.join(publisher.severities)}")

    cves = []
    for line in reader.lines("cves"):
        try:
            cves.append(parse_cve_id(line))
        except ValidationError as error:
            errors.add("cves", error.reason)
    if len(set(cves)) != len(cves):
        errors.add("cves", "a CVE id appears twice")
    scores = []
    for line in reader.lines("cvss"):
        try:
            scores.append(parse_cvss(line))
        except ValidationError as error:
            errors.add("cvss", error.reason)

    weaknesses = read_weaknesses(reader, cves)
    affected = _read_affected(reader, catalog, values)
    statements = read_statements(reader, _covered(catalog), set(affected), values.statements)
    fixes = _read_fixes(reader, catalog, values, set(affected))
    sections = _read_sections(reader, values)
    if errors:
        return values, None
    content = BulletinContent(
        title=title,
        severity=severity,
        cves=tuple(sorted(cves, key=cve_sort_key)),
        cvss=tuple(sorted(scores, key=lambda score: score.version)),
        weaknesses=weaknesses,
        problem=values.problem.strip(),
        affected=tuple(affected),
        fixes=tuple(fixes),
        sections=sections,
        kind=kind,
        not_affected=statements.not_affected,
        under_investigation=statements.under_investigation,
    )
    return values, content


def _covered(catalog: Catalog) -> list[tuple[str, VersionRef, str]]:
    """(key, ref, label) of every version bulletins cover, as the form numbers them."""
    return [
        (version_key(ref), ref, f"{product.name} {version.name}")
        for product in catalog.products
        for version in product.versions
        if version.lifecycle.covered
        for ref in (VersionRef(product.id, version.name),)
    ]


def _read_affected(
    reader: FormReader, catalog: Catalog, values: BulletinFormValues
) -> list[VersionRef]:
    found: list[VersionRef] = []
    for key in reader.texts("affected", limit=500):
        values.affected.add(key)
        parts = _decode_key(key, 2)
        if parts is None:
            reader.errors.add("affected", "an affected version was not understood; reload the form")
            continue
        ref = VersionRef(ProductId(parts[0]), parts[1])
        try:
            catalog.version(ref)
        except NotFound as error:
            reader.errors.add("affected", f"{error.message}; reload the form")
            continue
        if ref not in found:
            found.append(ref)
    return sorted(found, key=lambda ref: _catalog_order(catalog, ref))


def _catalog_order(catalog: Catalog, ref: VersionRef) -> tuple[int, int]:
    for p_index, product in enumerate(catalog.products):
        if product.id == ref.product:
            names = [v.name for v in product.versions]
            return p_index, names.index(ref.version)
    return len(catalog.products), 0


def _read_fixes(
    reader: FormReader, catalog: Catalog, values: BulletinFormValues, affected: set[VersionRef]
) -> list[Fix]:
    fixes: list[Fix] = []
    for index in range(MAX_CHANNELS):
        name = f"fix-{index}"
        if not reader.has(f"{name}-channel"):
            break
        key = reader.text(f"{name}-channel", limit=1000, one_line=True)
        typed = read_fix_values(reader, name)
        values.fixes[key] = typed
        if typed.empty:
            continue
        release = typed.release.strip()
        parts = _decode_key(key, 3)
        if parts is None:
            reader.errors.add(name, "this channel was not understood; reload the form")
            continue
        ref = ChannelRef(ProductId(parts[0]), parts[1], parts[2])
        try:
            channel = catalog.channel(ref)
            if release:
                channel.release(release)
        except NotFound as error:
            reader.errors.add(name, error.message)
            continue
        if ref.version_ref not in affected:
            reader.errors.add(
                name, f"{catalog.display_name(ref.version_ref)} is not ticked as affected"
            )
        elif (fix := build_fix(reader, name, ref, typed)) is not None:
            fixes.append(fix)
    return fixes


def _read_sections(reader: FormReader, values: BulletinFormValues) -> dict[SectionKind, str]:
    overrides: dict[SectionKind, str] = {}
    for kind in SectionKind:
        name = f"section-{kind.value}"
        text = reader.text(name, limit=TEXT_LIMIT, label="the section")
        values.sections[kind.value] = text
        if not text.strip():
            continue
        try:
            check_template(text.strip(), f"sections.{kind.value}")
        except ValidationError as error:
            reader.errors.add(name, error.reason)
            continue
        overrides[kind] = text.strip()
    return overrides


def read_release_at(reader: FormReader) -> datetime | None:
    """The ``release_at`` field of the schedule form: a date and time, read as UTC."""
    text = reader.text("release_at", limit=40, one_line=True, label="the release time").strip()
    if "release_at" in reader.errors:
        return None
    if not text:
        reader.errors.add("release_at", "give the date and time of release (UTC)")
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        reader.errors.add("release_at", f"{text!r} is not a date and time (YYYY-MM-DDTHH:MM)")
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
