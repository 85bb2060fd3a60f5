"""Hypothesis strategies for herald's domain objects, shared by the property tests.

They build domain values directly, through their constructors only: a product has
unique, non-blank names at every level (``check_product``), but a bulletin need not
follow the publishing rules. Text is deliberately awkward: YAML look-alikes such as
``yes``, ``1.10`` and ``null``, leading and trailing spaces, line breaks, ``#``, and
any Unicode that can be written as UTF-8.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from types import MappingProxyType

from hypothesis import strategies as st

from herald.domain import (
    ArticleId,
    ArticleIdPattern,
    Bulletin,
    ChangeLogEntry,
    ChannelRef,
    Component,
    CveId,
    CvssScore,
    Fix,
    Lifecycle,
    NotCovered,
    Product,
    ProductId,
    ProductVersion,
    Publisher,
    Release,
    SectionKind,
    SectionTemplate,
    Status,
    UpdateChannel,
    VersionRef,
    parse_cvss,
)
from herald.domain.bulletin import NoFix, Restart
from herald.domain.components import ComponentKind, ProductComponent
from herald.domain.identity import FileHash, HashAlgorithm, ProductIdentity, canonical_purl
from herald.domain.publisher import DEFAULT_SECTIONS, DEFAULT_SEVERITIES
from herald.domain.statements import BulletinKind, Justification, NotAffected
from herald.domain.templates import TEMPLATE_VARIABLES
from herald.domain.text import UNSAFE_IN_ONE_LINE, UNSAFE_IN_TEXT
from herald.domain.weaknesses import CweId, weakness_names

TRICKY = (
    "",
    " ",
    "yes",
    "No",
    "on",
    "true",
    "null",
    "Null",
    "~",
    "1.10",
    "8.4",
    "9",
    "0o17",
    "0x1F",
    "1e3",
    ".inf",
    "1:20",
    "2026-03-24",
    "2026-03-24T16:00:00Z",
    "- x",
    "-",
    "? x",
    ": x",
    "a: b",
    "a #b",
    "#",
    "# not a comment",
    "[x]",
    "{x: y}",
    "&anchor",
    "*alias",
    "!tag",
    "!!str",
    "%YAML",
    "@x",
    "`x`",
    "|",
    ">",
    "'single'",
    '"double"',
    "<<",
    " leading",
    "trailing ",
    "  both  ",
    "two\nlines",
    "\nleading break",
    "trailing break\n",
    "blank\n\nline",
    "  indented\nfirst line",
    "tab\there",
    "carriage\rreturn",
    "next\x85line",
    "line\u2028separator",
    "nul\x00byte",
    "ünïcødé",
    "日本語",
    "emoji 🎉",
    "\u00a0no-break space",
    "\ufeffbom",
    "- item\n- item\n",
    "# Heading\n\nSome *Markdown* with `code`:\n\n    indented block\n",
)
"""Strings that a careless YAML writer or reader would get wrong."""

_characters = st.characters(codec="utf-8")

texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(_characters, max_size=20),
    st.lists(st.sampled_from(TRICKY), min_size=2, max_size=4).map(" ".join),
    st.lists(st.sampled_from(TRICKY), min_size=2, max_size=4).map("\n".join),
    st.text(st.sampled_from("ab #:-\n"), max_size=120),
).map(lambda text: UNSAFE_IN_TEXT.sub("", text))
"""Any text a domain field may hold (``herald.domain.text``: no control characters but
tab and line breaks, no bidi overrides)."""

line_texts = texts.map(lambda text: UNSAFE_IN_ONE_LINE.sub(" ", text))
"""Text on one line (names, labels, titles of templates)."""

names = line_texts.filter(lambda text: bool(text.strip()))
"""One-line text that is not blank (names, summaries)."""

one_line_names = names

product_ids = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True).map(ProductId)
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
moments = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
urls = st.builds(
    lambda scheme, host, path: f"{scheme}{host}.example/{path}",
    st.sampled_from(["https://", "http://"]),
    st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9._~%/?#=&+-]{0,40}", fullmatch=True),
)
"""Web addresses the domain accepts (``herald.domain.urls.is_web_url``)."""


def unique_lists(
    strategy: st.SearchStrategy[str], max_size: int = 3
) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, unique=True, max_size=max_size)


# --- identity ----------------------------------------------------------------------------

_cpe_value = st.one_of(
    st.sampled_from(["*", "-"]),
    st.from_regex(r"(?:[a-z0-9_.-]|\\[:!@&~])(?:[A-Za-z0-9_.-]|\\[:!@&~]){0,8}", fullmatch=True),
)
cpes = st.builds(
    lambda part, values, language: ":".join(["cpe:2.3", part, *values[:5], language, *values[5:]]),
    st.sampled_from("aho"),
    st.lists(_cpe_value, min_size=9, max_size=9),
    st.sampled_from(["*", "-", "en", "en-us", "de-at"]),
)
"""CPE 2.3 formatted strings: escapes, wildcards, a language tag."""

_purl_name = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}", fullmatch=True)
purls = st.builds(
    lambda kind, namespace, name, version: canonical_purl(
        f"pkg:{kind}/{namespace + '/' if namespace else ''}{name}{'@' + version if version else ''}"
    ),
    st.sampled_from(["rpm", "deb", "generic", "npm", "golang", "github", "apk"]),
    st.none() | _purl_name,
    _purl_name,
    st.none() | st.from_regex(r"[0-9][0-9a-z.+~-]{0,10}", fullmatch=True),
)
"""Package URLs in canonical form."""

identifiers = names.map(str.strip).filter(bool).map(lambda text: text[:500])
"""Model numbers, SKUs, serial numbers and file names: one line, no surrounding blanks."""

file_hashes = st.sampled_from(HashAlgorithm).flatmap(
    lambda algorithm: st.builds(
        FileHash,
        st.just(algorithm),
        st.text("0123456789abcdef", min_size=algorithm.hex_digits, max_size=algorithm.hex_digits),
        identifiers,
    )
)

identities = st.one_of(
    st.just(ProductIdentity()),
    st.builds(
        ProductIdentity,
        st.none() | cpes,
        unique_lists(purls).map(tuple),
        st.lists(file_hashes, max_size=2, unique_by=lambda h: (h.file_name, h.algorithm)).map(
            tuple
        ),
        unique_lists(identifiers, 2).map(tuple),
        unique_lists(identifiers, 2).map(tuple),
        unique_lists(identifiers, 2).map(tuple),
        unique_lists(st.sampled_from(["https://sbom.example/a.json", "https://x.example/b"])).map(
            tuple
        ),
    ),
)
"""Identities: often none, else any mix of identifiers."""

component_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,12}", fullmatch=True)
product_components = st.lists(
    st.builds(ProductComponent, component_ids, names, st.sampled_from(ComponentKind), identities),
    max_size=3,
    unique_by=lambda component: component.id,
).map(tuple)


# --- catalog -----------------------------------------------------------------------------

components = st.builds(Component, line_texts, line_texts)


def _release(name: str) -> st.SearchStrategy[Release]:
    return st.builds(
        Release,
        st.just(name),
        days,
        st.lists(components, max_size=3).map(tuple),
        st.booleans(),
        identities,
    )


def _channel(name: str) -> st.SearchStrategy[UpdateChannel]:
    return st.builds(
        UpdateChannel,
        st.just(name),
        unique_lists(names).flatmap(lambda ns: st.tuples(*(_release(n) for n in ns))),
        st.booleans(),
    )


def _version(name: str) -> st.SearchStrategy[ProductVersion]:
    return st.builds(
        ProductVersion,
        st.just(name),
        st.sampled_from(Lifecycle),
        st.none() | line_texts,
        unique_lists(names).flatmap(lambda ns: st.tuples(*(_channel(n) for n in ns))),
        st.booleans(),
        identities,
    )


def _shipping_declared(product: Product) -> Product:
    """``product`` with each component its releases ship renamed to one it declares (by
    the old name's length), as ``check_product`` wants when it declares any."""
    ids = [component.id for component in product.components]
    if not ids:
        return product

    def release(value: Release) -> Release:
        shipped = tuple(Component(ids[len(c.name) % len(ids)], c.version) for c in value.components)
        return replace(value, components=shipped)

    versions = tuple(
        replace(
            version,
            channels=tuple(
                replace(channel, releases=tuple(release(r) for r in channel.releases))
                for channel in version.channels
            ),
        )
        for version in product.versions
    )
    return replace(product, versions=versions)


products = st.builds(
    Product,
    product_ids,
    names,
    unique_lists(names).flatmap(lambda ns: st.tuples(*(_version(n) for n in ns))),
    st.none() | urls,
    st.booleans(),
    product_components,
).map(_shipping_declared)
"""Products with unique, non-blank names at every level, as ``check_product`` wants; any
entry may be hidden, and carry identifiers; a product may declare components, which its
releases then ship."""


# --- publisher ---------------------------------------------------------------------------

_no_braces = texts.map(lambda text: text.replace("{", "(").replace("}", ")"))
templates = st.lists(
    st.one_of(_no_braces, st.sampled_from([f"{{{name}}}" for name in TEMPLATE_VARIABLES])),
    max_size=4,
).map("".join)
"""Template text: any text, with known ``{placeholders}`` and no stray braces."""

section_templates = st.dictionaries(
    st.sampled_from(SectionKind),
    st.builds(
        SectionTemplate, templates.map(lambda text: UNSAFE_IN_ONE_LINE.sub(" ", text)), templates
    ),
).map(MappingProxyType)

article_id_patterns = st.builds(
    ArticleIdPattern,
    st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True),
    st.integers(1, 12),
)

publishers = st.builds(
    Publisher,
    name=names,
    short_name=names,
    brand=names,
    namespace_url=urls,
    update_instructions_url=urls,
    knowledge_center_url=urls,
    support_url=urls,
    alerts_url=urls,
    reporting_url=urls,
    disclaimer=names,
    sections=st.just(DEFAULT_SECTIONS) | section_templates,
    preview_note=templates,
    end_of_life_note=templates,
    article_ids=st.just(ArticleIdPattern()) | article_id_patterns,
    severities=st.just(DEFAULT_SEVERITIES) | unique_lists(names, 4).filter(bool).map(tuple),
)


# --- bulletin ----------------------------------------------------------------------------

VECTORS = (
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:C/C:H/I:N/A:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
)
SCORES: tuple[CvssScore, ...] = tuple(parse_cvss(vector) for vector in VECTORS)

article_ids = st.from_regex(r"[A-Z]{2,5}-?[0-9]{1,8}", fullmatch=True).map(ArticleId)
cve_ids = st.builds(
    lambda year, number: CveId(f"CVE-{year}-{number:04d}"),
    st.integers(1999, 2100),
    st.integers(1, 10**9),
)
version_refs = st.builds(VersionRef, product_ids, names)
channel_refs = st.builds(ChannelRef, product_ids, names, names)


@st.composite
def _fixes(draw: st.DrawFn) -> Fix:
    """A release or "no fix" (or neither), with or without a mitigation and a workaround,
    and at least one of the four, as ``Fix`` wants."""
    channel = draw(channel_refs)
    outcome = draw(st.sampled_from(["release", "no fix", "neither"]))
    release = draw(names) if outcome == "release" else None
    no_fix = draw(st.sampled_from(NoFix)) if outcome == "no fix" else None
    mitigation = draw(st.none() | texts)
    workaround = draw(st.none() | texts)
    if outcome == "neither" and not (mitigation or workaround):
        mitigation = draw(names)
    return Fix(
        channel,
        release=release,
        mitigation=mitigation,
        workaround=workaround,
        no_fix=no_fix,
        no_fix_reason=draw(st.none() | texts) if no_fix is not None else None,
        url=draw(st.none() | urls),
        restart=draw(st.none() | st.sampled_from(Restart)) if release is not None else None,
    )


fixes = _fixes()
"""Every remedy ``Fix`` accepts: each CSAF category, with or without details."""
not_affected_statements = st.builds(
    NotAffected, version_refs, st.sampled_from(Justification), names
)
changelog_entries = st.builds(ChangeLogEntry, days, one_line_names)
usernames = st.from_regex(r"[a-z0-9][a-z0-9._-]{1,62}", fullmatch=True)
"""Sign-in names, as ``parse_username`` takes them."""
not_covered_notes = st.builds(NotCovered, version_refs, st.sampled_from(Lifecycle), texts)

cwe_ids = st.sampled_from(sorted(weakness_names())).map(CweId)
"""Weaknesses of the CWE catalogue herald ships."""


_plain_bulletins = st.builds(
    Bulletin,
    article_id=article_ids,
    title=texts,
    created_at=moments,
    updated_at=moments,
    severity=st.none() | texts,
    cves=st.lists(cve_ids, max_size=3).map(tuple),
    cvss=st.lists(st.sampled_from(SCORES), max_size=2).map(tuple),
    problem=texts,
    affected=st.lists(version_refs, max_size=3).map(tuple),
    fixes=st.lists(fixes, max_size=3).map(tuple),
    kind=st.sampled_from(BulletinKind),
    not_affected=st.lists(not_affected_statements, max_size=2).map(tuple),
    under_investigation=st.lists(version_refs, max_size=2).map(tuple),
    sections=st.dictionaries(st.sampled_from(SectionKind), texts).map(MappingProxyType),
    changelog=st.lists(changelog_entries, max_size=3).map(tuple),
    status=st.sampled_from(Status),
    not_covered=st.lists(not_covered_notes, max_size=2).map(tuple),
    published_at=st.none() | moments,
    withdrawn_at=st.none() | moments,
    created_by=st.none() | usernames,
    submitted_by=st.none() | usernames,
    approved_by=st.none() | usernames,
    release_at=st.none() | moments,
)


@st.composite
def _bulletins(draw: st.DrawFn) -> Bulletin:
    """A plain bulletin with CWE ids for some of its CVEs (distinct ids per CVE). A
    composite, not a ``flatmap``: its repr stays short where Hypothesis shows it."""
    bulletin = draw(_plain_bulletins)
    if not bulletin.cves:
        return bulletin
    weaknesses = st.dictionaries(
        st.sampled_from(bulletin.cves),
        st.lists(cwe_ids, min_size=1, max_size=3, unique=True).map(tuple),
        max_size=len(bulletin.cves),
    )
    return replace(bulletin, weaknesses=MappingProxyType(draw(weaknesses)))


bulletins = _bulletins()
"""Any bulletin the domain can hold, publishable or not; some CVEs have weaknesses."""
