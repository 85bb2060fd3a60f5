"""The rows of "Status by version and update channel", in reader's words, for every
rendering: one per supported version and channel of the bulletin's products
(``domain.product_status``), and a line for the versions bulletins do not cover.

Authored texts (mitigation, workaround, the reason for no fix, the impact statement)
stay Markdown; each rendering lays them out its own way.
"""

from __future__ import annotations

from dataclasses import dataclass

from herald.domain.bulletin import NoFix
from herald.domain.document import BulletinDocument, StatusLine
from herald.domain.product_status import ProductStatus

STATUS_TABLE = "Status by version and update channel"
COLUMNS = (
    "Version",
    "Update channel",
    "Status",
    "First fixed release",
    "Release to install",
    "Restart needed",
    "Remedy or justification",
)
NO_FIX = {NoFix.NONE_AVAILABLE: "No fix available yet", NoFix.NO_FIX_PLANNED: "No fix planned"}
NOT_STATED = "Not stated"


@dataclass(frozen=True)
class Remedy:
    """One part of a channel's remedy: "Mitigation", "Workaround" or why there is no fix."""

    label: str
    markdown: str
    """The author's words (Markdown); empty when the label says it all."""


@dataclass(frozen=True)
class StatusRow:
    version: str
    """The product and version, e.g. "XenServer 8.4"."""
    channel: str
    """The update channel; empty for a version without channels."""
    status: str
    """"Fixed", "Affected", "Not affected" or "Under investigation"."""
    first_fixed: str | None
    recommended: str | None
    restart: str | None
    """What applying the fix restarts ("Restart the host"); for fixed streams only."""
    remedies: tuple[Remedy, ...]
    url: str | None
    """Where the remedy is described."""
    justification: str | None
    """Why the version is not affected, e.g. "Component not present"."""
    impact: str | None
    """The impact statement (Markdown)."""

    @property
    def summary(self) -> str:
        """'Fixed; first fixed release 8.4.2026-03-19; release to install 8.4.2026-03-24;
        restart needed: Restart the host' (the text and Markdown renderings)."""
        parts = [self.status]
        if self.first_fixed:
            parts.append(f"first fixed release {self.first_fixed}")
        if self.recommended:
            parts.append(f"release to install {self.recommended}")
        if self.restart:
            parts.append(f"restart needed: {self.restart}")
        return "; ".join(parts)

    @property
    def details(self) -> tuple[Remedy, ...]:
        """The remedies, then the justification with its impact statement."""
        if self.justification is None:
            return self.remedies
        return (*self.remedies, Remedy(self.justification, self.impact or ""))

    @property
    def target(self) -> str:
        """'XenServer 8.4, Early Access update channel'."""
        return f"{self.version}, {self.channel} update channel" if self.channel else self.version


def status_rows(document: BulletinDocument) -> tuple[StatusRow, ...]:
    return tuple(_row(line) for line in document.statuses)


def not_covered_line(document: BulletinDocument) -> str | None:
    """'Not covered: XenServer 9 (Public Preview).', or None."""
    if not document.unsupported:
        return None
    versions = ", ".join(
        f"{u.product} {u.unsupported.version.version} ({u.unsupported.label})"
        for u in document.unsupported
    )
    return f"Not covered: {versions}."


def _row(line: StatusLine) -> StatusRow:
    stream = line.stream
    remedy = stream.remedy
    remedies: list[Remedy] = []
    if remedy is not None:
        if remedy.no_fix is not None:
            remedies.append(Remedy(NO_FIX[remedy.no_fix], remedy.no_fix_reason or ""))
        if remedy.mitigation:
            remedies.append(Remedy("Mitigation", remedy.mitigation))
        if remedy.workaround:
            remedies.append(Remedy("Workaround", remedy.workaround))
    restart = None
    if stream.status is ProductStatus.FIXED:
        restart = remedy.restart.label if remedy and remedy.restart else NOT_STATED
    statement = stream.not_affected
    return StatusRow(
        version=f"{line.product} {stream.version.version}",
        channel=stream.channel or "",
        status=stream.status.label,
        first_fixed=stream.first_fixed,
        recommended=stream.recommended,
        restart=restart,
        remedies=tuple(remedies),
        url=remedy.url if remedy is not None else None,
        justification=statement.justification.label if statement else None,
        impact=statement.impact if statement else None,
    )
