"""The bulletin form's statements and remedies: per version "not affected" (with a VEX
justification and an impact statement) or "under investigation", and per channel every
kind of remedy (``bulletin_form`` reads the rest of the form).

Each problem is recorded against the form field it concerns (``statement-3``,
``fix-1``, ``fix-1-url``), so the page shows it next to that field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from herald.adapters.web.forms import FormReader
from herald.domain.bulletin import Fix, NoFix, Restart
from herald.domain.catalog import ChannelRef, VersionRef
from herald.domain.errors import ValidationError
from herald.domain.statements import Justification, NotAffected

TEXT_LIMIT = 50_000
NOT_AFFECTED = "not_affected"
UNDER_INVESTIGATION = "under_investigation"
STATEMENTS = (
    ("", "Not stated (or affected, when ticked above)"),
    (NOT_AFFECTED, "Not affected"),
    (UNDER_INVESTIGATION, "Under investigation"),
)
JUSTIFICATIONS = tuple((j.value, j.label) for j in Justification)
NO_FIX_CHOICES = (
    ("", "A fixed release, or not stated"),
    (NoFix.NONE_AVAILABLE.value, "No fix available yet"),
    (NoFix.NO_FIX_PLANNED.value, "No fix planned"),
)
RESTART_CHOICES = (("", "Not stated"), *((r.value, r.label) for r in Restart))


@dataclass
class StatementValues:
    """One version's statement as typed."""

    choice: str = ""
    justification: str = ""
    impact: str = ""


@dataclass
class FixValues:
    """One channel's remedy as typed."""

    release: str = ""
    mitigation: str = ""
    workaround: str = ""
    no_fix: str = ""
    no_fix_reason: str = ""
    url: str = ""
    restart: str = ""

    @classmethod
    def of(cls, fix: Fix) -> FixValues:
        return cls(
            release=fix.release or "",
            mitigation=fix.mitigation or "",
            workaround=fix.workaround or "",
            no_fix=fix.no_fix.value if fix.no_fix else "",
            no_fix_reason=fix.no_fix_reason or "",
            url=fix.url or "",
            restart=fix.restart.value if fix.restart else "",
        )

    @property
    def empty(self) -> bool:
        return not any(value.strip() for value in vars(self).values())


@dataclass(frozen=True)
class Statements:
    """The versions the form states not affected, and those under investigation."""

    not_affected: tuple[NotAffected, ...] = ()
    under_investigation: tuple[VersionRef, ...] = ()


def statement_values(
    not_affected: tuple[NotAffected, ...],
    investigating: tuple[VersionRef, ...],
    key: Callable[[VersionRef], str],
) -> dict[str, StatementValues]:
    """The form's statement values of a stored bulletin, by version key."""
    found: dict[str, StatementValues] = {}
    for statement in not_affected:
        found[key(statement.version)] = StatementValues(
            NOT_AFFECTED, statement.justification.value, statement.impact
        )
    for ref in investigating:
        found[key(ref)] = StatementValues(UNDER_INVESTIGATION)
    return found


def read_statements(
    reader: FormReader,
    versions: list[tuple[str, VersionRef, str]],
    affected: set[VersionRef],
    typed: dict[str, StatementValues],
) -> Statements:
    """The posted ``statement-{i}`` fields of ``versions`` (key, ref, label), in order."""
    not_affected: list[NotAffected] = []
    investigating: list[VersionRef] = []
    for index, (key, ref, label) in enumerate(versions):
        name = f"statement-{index}"
        values = StatementValues(
            reader.text(name, limit=40, one_line=True, label="the statement"),
            reader.text(
                f"{name}-justification", limit=80, one_line=True, label="the justification"
            ),
            reader.text(f"{name}-impact", limit=TEXT_LIMIT, label="the impact statement"),
        )
        typed[key] = values
        if not values.choice:
            continue
        if values.choice not in (NOT_AFFECTED, UNDER_INVESTIGATION):
            reader.errors.add(name, "choose not affected, under investigation or not stated")
            continue
        if ref in affected:
            reader.errors.add(
                name,
                f"{label} is ticked as affected; a version is affected, not affected or "
                "under investigation, one of them",
            )
            continue
        if values.choice == UNDER_INVESTIGATION:
            investigating.append(ref)
            continue
        try:
            justification = Justification(values.justification)
        except ValueError:
            reader.errors.add(f"{name}-justification", "choose why it is not affected")
            continue
        try:
            not_affected.append(NotAffected(ref, justification, values.impact.strip()))
        except ValidationError as error:
            reader.errors.add(f"{name}-impact", error.reason)
    return Statements(tuple(not_affected), tuple(investigating))


def read_fix_values(reader: FormReader, name: str) -> FixValues:
    """The posted fields of the channel ``name`` (``fix-{i}``), as typed."""
    return FixValues(
        release=reader.text(f"{name}-release", limit=200, one_line=True, label="the release"),
        mitigation=reader.text(f"{name}-mitigation", limit=TEXT_LIMIT, label="the mitigation"),
        workaround=reader.text(f"{name}-workaround", limit=TEXT_LIMIT, label="the workaround"),
        no_fix=reader.text(f"{name}-no_fix", limit=40, one_line=True, label="no fix"),
        no_fix_reason=reader.text(f"{name}-no_fix_reason", limit=TEXT_LIMIT, label="the reason"),
        url=reader.text(f"{name}-url", limit=2000, one_line=True, label="the URL"),
        restart=reader.text(f"{name}-restart", limit=40, one_line=True, label="the restart"),
    )


def build_fix(reader: FormReader, name: str, ref: ChannelRef, typed: FixValues) -> Fix | None:
    """The remedy of one channel, or None with the problem at its field."""
    try:
        no_fix = NoFix(typed.no_fix) if typed.no_fix else None
    except ValueError:
        reader.errors.add(f"{name}-no_fix", "choose no fix yet, no fix planned or neither")
        return None
    try:
        restart = Restart(typed.restart) if typed.restart else None
    except ValueError:
        reader.errors.add(f"{name}-restart", "choose what applying the fix restarts")
        return None
    try:
        return Fix(
            ref,
            release=typed.release.strip() or None,
            mitigation=typed.mitigation.strip() or None,
            workaround=typed.workaround.strip() or None,
            no_fix=no_fix,
            no_fix_reason=typed.no_fix_reason.strip() or None,
            url=typed.url.strip() or None,
            restart=restart,
        )
    except ValidationError as error:
        reader.errors.add(f"{name}-url" if error.field.endswith("url") else name, error.reason)
        return None
