"""The plain-text rendering: the vendor's page, as its knowledge center shows it.

The layout follows the reference bulletin CTX696397 block for block; blocks are
separated by one blank line. Authored Markdown is printed as written, since it is
plain text already. Facts the reference has no place for appear only when present:
a status banner under the title (withdrawn or draft), one ``CVSS vX: score SEVERITY
(vector)`` line per score after the severity, a ``Weakness: CWE-787 Out-of-bounds
Write`` line under a CVE per CWE id it has, and a "Mitigations" list after the
affected versions for channels that have no fixed release. Fixed releases are not
listed: "What Customers Should Do" already names the channels that were updated.
"""

from __future__ import annotations

from herald.adapters.formats import _layout as layout
from herald.adapters.formats import _status as status
from herald.adapters.formats._markup import append_sentence, one_line, tidy_block
from herald.domain.document import BulletinDocument, FixLine
from herald.domain.ids import CveId

BULLET = "  \u2022 "
"""Two spaces, a bullet and a space, as in the reference."""


def render_text(document: BulletinDocument) -> str:
    """The bulletin as plain text, ending with a newline."""
    blocks: list[str] = [one_line(document.title)]
    notice = layout.status_notice(document)
    if notice is not None:
        blocks.append(f"{notice.label.upper()}: {notice.message}")
    blocks += [
        f"{layout.ARTICLE_ID} {document.article_id}",
        f"{layout.UPDATED_ON} {document.updated_on.isoformat()}",
        layout.DESCRIPTION,
    ]
    for section in document.sections:
        blocks += [one_line(section.heading), tidy_block(section.body)]
    blocks.append(layout.CHANGE_LOG)
    if document.changelog:
        blocks.append(
            "\n".join(
                f"{entry.on.isoformat()} {one_line(entry.summary)}" for entry in document.changelog
            )
        )
    blocks += [layout.ENVIRONMENT, tidy_block(document.disclaimer), layout.ISSUE]
    if document.severity is not None:
        blocks.append(f"{layout.SEVERITY} {document.severity}")
    blocks += [layout.cvss_line(score) for score in document.cvss]
    intro = document.identifier_intro if document.cves else ""
    blocks += [layout.PROBLEM, append_sentence(document.problem, intro)]
    if document.cves:
        blocks.append("\n".join(_cve_item(document, cve) for cve in document.cves))
    blocks += [layout.AFFECTED, document.affected_statement]
    blocks += [tidy_block(note) for note in document.not_covered_notes]
    mitigations = layout.mitigations(document)
    if mitigations:
        blocks.append(layout.MITIGATIONS)
        blocks.append("\n".join(_mitigation_item(fix) for fix in mitigations))
    if document.states_more:
        rows = status.status_rows(document)
        if rows:
            blocks += [status.STATUS_TABLE, "\n".join(_status_item(row) for row in rows)]
        blocks.append(status.not_covered_line(document) or "")
    return "\n\n".join(block for block in blocks if block) + "\n"


def _cve_item(document: BulletinDocument, cve: CveId) -> str:
    """The CVE's bullet, and a ``Weakness:`` line under it per CWE id it has."""
    weaknesses = document.weaknesses.get(cve, ())
    return "\n".join(
        [f"{BULLET}{cve}", *(f"    {layout.WEAKNESS} {weakness.title}" for weakness in weaknesses)]
    )


def _status_item(row: status.StatusRow) -> str:
    lines = [f"{BULLET}{row.target}: {row.summary}"]
    for detail in row.details:
        body = tidy_block(detail.markdown).split("\n") if detail.markdown else []
        first = f"{detail.label}: {body[0]}" if body else detail.label
        lines += [f"    {first}", *(f"    {line}" if line else "" for line in body[1:])]
    if row.url:
        lines.append(f"    {row.url}")
    return "\n".join(lines)


def _mitigation_item(fix: FixLine) -> str:
    lines = tidy_block(fix.mitigation or "").split("\n")
    first = f"{BULLET}{layout.fix_target(fix)}: {lines[0]}"
    rest = [f"    {line}" if line else "" for line in lines[1:]]
    return "\n".join([first, *rest])
