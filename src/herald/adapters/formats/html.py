"""The HTML rendering: one standalone, accessible page with no script.

Safety: authored fields (title, problem, mitigations, narrative sections) are
Markdown rendered by markdown-it-py with raw HTML off, then sanitised by nh3 with
an allow-list; that sanitised HTML is the only markup marked safe. Every other
value goes through Jinja2 with autoescape on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from herald.adapters.formats import _layout as layout
from herald.adapters.formats import _status as status
from herald.adapters.formats._markup import (
    Piece,
    append_sentence,
    escape_markdown,
    one_line,
    parser,
    plain_text,
    split_urls,
    tidy_block,
)
from herald.domain.document import BulletinDocument, FixLine
from herald.domain.scoring import CvssScore

_INLINE_TAGS = frozenset({"a", "br", "code", "em", "strong"})
_BLOCK_TAGS = _INLINE_TAGS | frozenset(
    {"blockquote", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "ul"}
)
_ATTRIBUTES = {"a": frozenset({"href", "title"}), "ol": frozenset({"start"})}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"


def sanitise(html: str, *, inline: bool = False) -> Markup:
    """``html`` cleaned by nh3 with herald's allow-list: the only way to make ``Markup``."""
    return Markup(  # noqa: S704 - nh3 output, cleaned with an allow-list
        nh3.clean(
            html,
            tags=set(_INLINE_TAGS if inline else _BLOCK_TAGS),
            attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
            url_schemes=set(_URL_SCHEMES),
            link_rel=LINK_REL,
            url_relative="deny",
            strip_comments=True,
        )
    )


def markdown_to_html(markdown: str, *, heading_level: int = 3) -> Markup:
    """Authored Markdown as sanitised HTML.

    Headings inside it are placed below ``heading_level`` (the heading of the
    section it sits in) without skipping a level, so the page keeps one ``<h1>``.
    """
    md = parser()
    tokens = md.parse(tidy_block(markdown))
    previous = heading_level
    for token in tokens:
        if token.type == "heading_open":
            authored = int(token.tag[1])
            level = min(heading_level + authored, previous + 1, 6)
            token.tag = f"h{level}"
            previous = level
        elif token.type == "heading_close":
            token.tag = f"h{previous}"
    return sanitise(md.renderer.render(tokens, md.options, {}))


def inline_markdown_to_html(markdown: str) -> Markup:
    """A one-line authored text (the title) as sanitised inline HTML."""
    return sanitise(parser().renderInline(one_line(markdown)), inline=True)


@dataclass(frozen=True)
class _Section:
    id: str
    heading: str
    body: Markup


@dataclass(frozen=True)
class _Entry:
    on: date
    summary: tuple[Piece, ...]


@dataclass(frozen=True)
class _Score:
    label: str
    rating: str
    vector: str


@dataclass(frozen=True)
class _Remedy:
    label: str
    body: Markup | None


@dataclass(frozen=True)
class _StatusRow:
    row: status.StatusRow
    remedies: tuple[_Remedy, ...]
    impact: Markup | None


@dataclass(frozen=True)
class _Fix:
    target: str
    release: str | None
    mitigation: Markup | None


def render_html(document: BulletinDocument) -> str:
    """The bulletin as a complete HTML page."""
    template = _environment().get_template("bulletin.html")
    return template.render(_context(document))


def render_article(document: BulletinDocument) -> Markup:
    """The body of the page (Description to Fixes, headings ``<h2>`` and below) as HTML
    to embed under a page's own ``<h1>``; the same markup the standalone page shows."""
    template = _environment().get_template("_article.html")
    return Markup(template.render(_context(document)))  # noqa: S704 - autoescaped template


def title_html(document: BulletinDocument) -> Markup:
    """The authored title as sanitised inline HTML (for a page's ``<h1>``)."""
    return inline_markdown_to_html(document.title)


def title_text(document: BulletinDocument) -> str:
    """The authored title as plain words (for ``<title>``)."""
    return plain_text(document.title)


def _context(document: BulletinDocument) -> dict[str, object]:
    return {
        "layout": layout,
        "document": document,
        "title_html": inline_markdown_to_html(document.title),
        "title_text": plain_text(document.title),
        "notice": layout.status_notice(document),
        "sections": [
            _Section(
                f"section-{section.kind.value.replace('_', '-')}",
                one_line(section.heading),
                markdown_to_html(section.body),
            )
            for section in document.sections
        ],
        "changelog": [
            _Entry(entry.on, split_urls(one_line(entry.summary))) for entry in document.changelog
        ],
        "disclaimer": _paragraphs(document.disclaimer),
        "scores": [_score(score) for score in document.cvss],
        "problem": markdown_to_html(append_sentence(document.problem, _intro(document))),
        "affected": split_urls(document.affected_statement),
        "notes": [split_urls(one_line(note)) for note in document.not_covered_notes],
        "fixes": [_fix(fix) for fix in document.fixes],
        "status": status,
        "status_rows": [_status_row(row) for row in status.status_rows(document)],
        "not_covered": status.not_covered_line(document),
    }


def _status_row(row: status.StatusRow) -> _StatusRow:
    remedies = tuple(
        _Remedy(r.label, markdown_to_html(r.markdown, heading_level=4) if r.markdown else None)
        for r in row.remedies
    )
    impact = markdown_to_html(row.impact, heading_level=4) if row.impact else None
    return _StatusRow(row, remedies, impact)


def _paragraphs(text: str) -> list[tuple[Piece, ...]]:
    return [split_urls(one_line(part)) for part in tidy_block(text).split("\n\n") if part]


def _score(score: CvssScore) -> _Score:
    return _Score(layout.cvss_label(score), layout.cvss_rating(score), score.vector)


def _fix(fix: FixLine) -> _Fix:
    mitigation = None
    if fix.mitigation is not None:
        mitigation = markdown_to_html(fix.mitigation, heading_level=3)
    return _Fix(layout.fix_target(fix), fix.release, mitigation)


@cache
def _environment() -> Environment:
    """Templates load from the package, so they ship inside the wheel."""
    return Environment(
        loader=PackageLoader("herald.adapters.formats", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _intro(document: BulletinDocument) -> str:
    """The identifier intro as Markdown; none when there are no CVE ids to introduce."""
    return escape_markdown(document.identifier_intro) if document.cves else ""
