"""The Markdown rendering: the text layout as CommonMark headings, lists and paragraphs.

Authored Markdown (title, narrative sections, problem, mitigations) is kept as
written, except that its bare URLs become autolinks. Plain text (the disclaimer,
composed sentences, notes, change-log summaries, headings) is escaped so that it
reads exactly as written, with its URLs as autolinks.
"""

from __future__ import annotations

from herald.adapters.formats import _layout as layout
from herald.adapters.formats import _status as status
from herald.adapters.formats._markup import (
    append_sentence,
    autolink_source,
    escape_markdown,
    one_line,
    tidy_block,
)
from herald.domain.document import BulletinDocument, FixLine
from herald.domain.ids import CveId


def render_markdown(document: BulletinDocument) -> str:
    """The bulletin as a CommonMark document, ending with a newline."""
    blocks: list[str] = [f"# {autolink_source(one_line(document.title))}"]
    notice = layout.status_notice(document)
    if notice is not None:
        blocks.append(f"> **{notice.label}:** {escape_markdown(notice.message)}")
    blocks += [
        f"{layout.ARTICLE_ID} {escape_markdown(document.article_id)}",
        f"{layout.UPDATED_ON} {document.updated_on.isoformat()}",
        f"## {layout.DESCRIPTION}",
    ]
    for section in document.sections:
        blocks += [f"### {_heading(section.heading)}", _authored(section.body)]
    blocks.append(f"## {layout.CHANGE_LOG}")
    blocks.append(
        "\n".join(
            f"- {entry.on.isoformat()} {escape_markdown(one_line(entry.summary))}"
            for entry in document.changelog
        )
    )
    blocks += [
        f"## {layout.ENVIRONMENT}",
        escape_markdown(tidy_block(document.disclaimer)),
        f"## {_heading(layout.ISSUE)}",
    ]
    if document.severity is not None:
        blocks.append(f"{layout.SEVERITY} {escape_markdown(document.severity)}")
    blocks += [
        f"{layout.cvss_label(score)}: {layout.cvss_rating(score)} (`{score.vector}`)"
        for score in document.cvss
    ]
    blocks += [
        f"### {layout.PROBLEM}",
        _authored(append_sentence(document.problem, _intro(document))),
        "\n".join(_cve_item(document, cve) for cve in document.cves),
        f"### {layout.AFFECTED}",
        escape_markdown(document.affected_statement),
    ]
    blocks += [escape_markdown(tidy_block(note)) for note in document.not_covered_notes]
    if document.fixes:
        blocks.append(f"### {layout.FIXES}")
        loose = any(fix.mitigation is not None for fix in document.fixes)
        blocks.append(("\n\n" if loose else "\n").join(_fix_item(fix) for fix in document.fixes))
    if document.states_more:
        rows = status.status_rows(document)
        if rows:
            blocks.append(f"### {status.STATUS_TABLE}")
            blocks.append("\n\n".join(_status_item(row) for row in rows))
        blocks.append(escape_markdown(status.not_covered_line(document) or ""))
    return "\n\n".join(block for block in blocks if block) + "\n"


def _heading(text: str) -> str:
    return escape_markdown(one_line(text))


def _authored(markdown: str) -> str:
    return autolink_source(tidy_block(markdown))


def _status_item(row: status.StatusRow) -> str:
    lines = [f"- {escape_markdown(row.target)}: {escape_markdown(row.summary)}"]
    for detail in row.details:
        body = _authored(detail.markdown) if detail.markdown else ""
        label = f"**{escape_markdown(detail.label)}**"
        lines += ["", f"  {label}" + (":" if body else "")]
        if body:
            lines += ["", *(f"  {line}" if line else "" for line in body.split("\n"))]
    if row.url:
        lines += ["", f"  <{row.url}>"]
    return "\n".join(lines)


def _fix_item(fix: FixLine) -> str:
    target = escape_markdown(layout.fix_target(fix))
    if fix.release is not None:
        return f"- {target}: {escape_markdown(layout.fixed_in(fix.release))}"
    body = _authored(fix.mitigation or "")
    indented = "\n".join(f"  {line}" if line else "" for line in body.split("\n"))
    return f"- {target}: {escape_markdown(layout.NO_FIXED_RELEASE)}\n\n{indented}"


def _cve_item(document: BulletinDocument, cve: CveId) -> str:
    """The CVE's list item, with a ``Weakness:`` item linking MITRE's page per CWE id."""
    lines = [f"- {escape_markdown(cve)}"]
    lines += [
        f"  - {layout.WEAKNESS} [{escape_markdown(weakness.title)}](<{weakness.url}>)"
        for weakness in document.weaknesses.get(cve, ())
    ]
    return "\n".join(lines)


def _intro(document: BulletinDocument) -> str:
    """The identifier intro as Markdown; none when there are no CVE ids to introduce."""
    return escape_markdown(document.identifier_intro) if document.cves else ""
