"""Commands on bulletins: list, show, publish, amend, withdraw, render."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from herald.adapters.cli.context import herald_app
from herald.adapters.formats import RenderFormat, render
from herald.adapters.source import load_paths
from herald.domain.bulletin import Bulletin, BulletinContent, Status
from herald.domain.errors import ValidationError
from herald.domain.ids import cve_sort_key, parse_cve_id
from herald.domain.scoring import parse_cvss

bulletin_app = typer.Typer(help="List, show and change bulletins.", no_args_is_help=True)

DateOption = Annotated[
    datetime | None,
    typer.Option(
        "--date", formats=["%Y-%m-%d"], help="Day of the change-log entry (default: today, UTC)."
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(bulletin_app, name="bulletin")
    app.command("render")(render_command)


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@bulletin_app.command("list")
def list_bulletins(
    status: Annotated[Status | None, typer.Option(help="Only bulletins in this status.")] = None,
) -> None:
    """List bulletins, most recently changed first."""
    with herald_app() as herald:
        found = herald.reading.bulletins(status)
    table = Table("Article ID", "Status", "Rev.", "Severity", "Updated On", "Title")
    for bulletin in found:
        table.add_row(
            bulletin.article_id,
            bulletin.status.value,
            str(bulletin.revision),
            bulletin.severity or "-",
            bulletin.updated_on.isoformat(),
            bulletin.title,
        )
    Console(highlight=False).print(table)


@bulletin_app.command("show")
def show(
    article_id: Annotated[str, typer.Argument(help="The article id, e.g. CTX696397.")],
) -> None:
    """Show a bulletin's facts, status and change log."""
    with herald_app() as herald:
        bulletin = herald.reading.bulletin(article_id)
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"[bold]{bulletin.article_id}[/bold]  {bulletin.title}")
    console.print(f"status: {bulletin.status.value}, revision {bulletin.revision}")
    console.print(f"severity: {bulletin.severity or '-'}")
    console.print(f"CVEs: {', '.join(bulletin.cves) or '-'}")
    for score in bulletin.cvss:
        console.print(f"CVSS v{score.version}: {score.base_score} {score.base_severity}")
    console.print(f"affected: {', '.join(str(ref) for ref in bulletin.affected) or '-'}")
    for fix in bulletin.fixes:
        remedy = f"fixed in {fix.release}" if fix.release else f"mitigation: {fix.mitigation}"
        console.print(f"  {fix.channel}: {remedy}")
    console.print("change log:")
    for entry in bulletin.changelog:
        console.print(f"  {entry.on.isoformat()} {entry.summary}")


@bulletin_app.command("publish")
def publish(
    article_id: Annotated[str, typer.Argument(help="The draft's article id.")],
    when: DateOption = None,
) -> None:
    """Publish a draft; its change log starts with "Initial Publication"."""
    with herald_app() as herald:
        published = herald.authoring.publish(article_id, _day(when))
    typer.echo(f"{published.article_id} published (revision {published.revision})")


@bulletin_app.command("amend")
def amend(
    article_id: Annotated[str, typer.Argument(help="The published bulletin's article id.")],
    summary: Annotated[str, typer.Option(help="The change-log entry, e.g. 'Added CVE-…'.")],
    when: DateOption = None,
    from_file: Annotated[
        Path | None,
        typer.Option("--from", help="A bulletin YAML file whose content replaces the current."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    severity: Annotated[str | None, typer.Option(help="New severity.")] = None,
    problem: Annotated[str | None, typer.Option(help="New description of the problem.")] = None,
    add_cve: Annotated[list[str] | None, typer.Option(help="Add a CVE id (repeatable).")] = None,
    remove_cve: Annotated[
        list[str] | None, typer.Option(help="Remove a CVE id (repeatable).")
    ] = None,
    cvss: Annotated[
        list[str] | None, typer.Option(help="Set a CVSS v3.1/v4.0 vector (repeatable).")
    ] = None,
) -> None:
    """Change a published bulletin, adding a change-log entry and raising its revision."""
    with herald_app() as herald:
        current = herald.reading.bulletin(article_id)
        content = _content_from_file(from_file, article_id) if from_file else current.content()
        content = _apply_options(content, title, severity, problem, add_cve, remove_cve, cvss)
        amended = herald.authoring.amend(article_id, content, summary, _day(when)).bulletin
    typer.echo(f"{amended.article_id} amended (revision {amended.revision})")


@bulletin_app.command("withdraw")
def withdraw(
    article_id: Annotated[str, typer.Argument(help="The published bulletin's article id.")],
    summary: Annotated[
        str, typer.Option(help="Why it is withdrawn; becomes the change-log entry.")
    ],
    when: DateOption = None,
) -> None:
    """Withdraw a published bulletin; it stays readable, marked as withdrawn."""
    with herald_app() as herald:
        withdrawn = herald.authoring.withdraw(article_id, summary, _day(when)).bulletin
    typer.echo(f"{withdrawn.article_id} withdrawn (revision {withdrawn.revision})")


@bulletin_app.command("schedule")
def schedule(
    article_id: Annotated[str, typer.Argument(help="The approved bulletin's article id.")],
    at: Annotated[
        str,
        typer.Option(
            "--at", help="The release instant (ISO 8601 with a zone), e.g. 2026-11-02T11:00Z."
        ),
    ],
) -> None:
    """Hold an approved bulletin under embargo; it publishes itself at that instant."""
    release_at = _instant(at, "--at")
    with herald_app() as herald:
        scheduled = herald.authoring.schedule(article_id, release_at)
    assert scheduled.release_at is not None
    typer.echo(f"{scheduled.article_id} scheduled for {scheduled.release_at.isoformat()}")


@bulletin_app.command("unschedule")
def unschedule(
    article_id: Annotated[str, typer.Argument(help="The scheduled bulletin's article id.")],
) -> None:
    """Lift a bulletin's schedule; it stays approved."""
    with herald_app() as herald:
        done = herald.authoring.unschedule(article_id)
    typer.echo(f"{done.article_id} unscheduled (approved, not published)")


def _instant(text: str, field: str) -> datetime:
    """An ISO 8601 instant with its zone, in UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, f"{text!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise ValidationError(field, f"{text!r} has no time zone; add Z for UTC")
    return moment.astimezone(UTC)


def render_command(
    article_id: Annotated[str, typer.Argument(help="The article id, e.g. CTX696397.")],
    fmt: Annotated[
        RenderFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RenderFormat.TEXT,
) -> None:
    """Print a bulletin as readers see it: text, markdown, html or json."""
    with herald_app() as herald:
        document = herald.reading.document(article_id)
    output = render(document, fmt)
    typer.echo(output, nl=not output.endswith("\n"))


def _content_from_file(path: Path, article_id: str) -> BulletinContent:
    bundle = load_paths([path])
    matching: list[Bulletin] = [b for b in bundle.items.bulletins if b.article_id == article_id]
    if len(matching) != 1:
        raise ValidationError("article_id", f"{path} holds no bulletin {article_id}")
    return matching[0].content()


def _apply_options(
    content: BulletinContent,
    title: str | None,
    severity: str | None,
    problem: str | None,
    add_cve: list[str] | None,
    remove_cve: list[str] | None,
    cvss: list[str] | None,
) -> BulletinContent:
    cves = list(content.cves)
    for text in remove_cve or []:
        cve = parse_cve_id(text, "--remove-cve")
        if cve not in cves:
            raise ValidationError("--remove-cve", f"{cve} is not in the bulletin")
        cves.remove(cve)
    for text in add_cve or []:
        cve = parse_cve_id(text, "--add-cve")
        if cve in cves:
            raise ValidationError("--add-cve", f"{cve} is already in the bulletin")
        cves.append(cve)
    scores = {score.version: score for score in content.cvss}
    for vector in cvss or []:
        score = parse_cvss(vector, "--cvss")
        scores[score.version] = score
    return replace(
        content,
        title=title if title is not None else content.title,
        severity=severity if severity is not None else content.severity,
        problem=problem if problem is not None else content.problem,
        cves=tuple(sorted(cves, key=cve_sort_key)) if add_cve else tuple(cves),
        cvss=tuple(scores[v] for v in sorted(scores)),
    )
