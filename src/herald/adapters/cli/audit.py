"""``herald audit log`` lists the audit log; ``herald audit verify`` checks its hash chain.

Exit 0 when every entry matches its hash and links to the one before it (and a noted
hash, when given, is still in the log); exit 1 naming the first bad entry otherwise.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, assert_never

import typer

from herald.adapters.cli.context import herald_app
from herald.adapters.cli.errors import fail
from herald.adapters.cli.output import say
from herald.domain.audit_chain import ChainBroken, ChainIntact, ChainReport, parse_chain_hash
from herald.services.actors import OPERATOR

audit_app = typer.Typer(help="The audit log: its entries and its integrity.", no_args_is_help=True)


class VerifyFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


@audit_app.command("log")
def log(
    subject: Annotated[
        str | None,
        typer.Option(help="Only entries about this subject, e.g. bulletin:CTX696397."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many, newest first.")] = 20,
) -> None:
    """List the newest audit entries: when, who, what, about what."""
    with herald_app() as herald:
        shown = herald.audit.page(OPERATOR, subject=subject, size=limit)
    for entry in shown.entries:
        at = entry.at.strftime("%Y-%m-%d %H:%M:%S")
        say(f"#{entry.id} {at} {entry.actor} {entry.action} {entry.subject}")


@audit_app.command("verify")
def verify(
    fmt: Annotated[
        VerifyFormat, typer.Option("--format", "-f", help="Output format.")
    ] = VerifyFormat.TEXT,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            metavar="HASH",
            help="A last hash noted earlier (admin page or a previous verify): it must "
            "still be in the log, or entries were removed from its end.",
        ),
    ] = None,
) -> None:
    """Check the audit log's hash chain; name the first changed, deleted or inserted entry."""
    noted = parse_chain_hash(expect, "--expect") if expect is not None else None
    with herald_app() as herald:
        report = herald.audit.verify(noted_hash=noted)
    match fmt:
        case VerifyFormat.JSON:
            say(json.dumps(as_json(report), indent=2))
            if isinstance(report, ChainBroken):
                raise typer.Exit(1)
        case VerifyFormat.TEXT:
            if isinstance(report, ChainBroken):
                raise fail(f"audit log broken: {report.detail}", 1)
            entries = "entry" if report.count == 1 else "entries"
            shown = f" (entry #{report.last.id})" if report.last is not None else ""
            say(f"audit log intact: {report.count} {entries}, last hash {report.last_hash}{shown}")
        case _:
            assert_never(fmt)


def as_json(report: ChainReport) -> dict[str, object]:
    """The report as the JSON object ``--format json`` prints."""
    if isinstance(report, ChainIntact):
        return {
            "intact": True,
            "entries": report.count,
            "last_id": report.last.id if report.last is not None else None,
            "last_hash": report.last_hash,
        }
    return {
        "intact": False,
        "entry_id": report.entry_id,
        "problem": report.kind.value,
        "detail": report.detail,
        "verified_entries": report.verified,
    }
