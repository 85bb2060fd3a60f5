"""Commands on bulletins: list, show, waiting, render (the workflow is in ``workflow``)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from herald.adapters.cli import workflow
from herald.adapters.cli.acting import AsOption, acting
from herald.adapters.cli.context import herald_app
from herald.adapters.cli.output import SafeConsole, say
from herald.adapters.formats import RenderFormat, render
from herald.domain.bulletin import Status
from herald.domain.review_policy import ReviewPolicy, parse_amendment_review

bulletin_app = typer.Typer(help="List, show and change bulletins.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    workflow.register(bulletin_app)
    app.add_typer(bulletin_app, name="bulletin")
    app.command("policy")(policy)
    app.command("render")(render_command)


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
    SafeConsole().print(table)


@bulletin_app.command("show")
def show(
    article_id: Annotated[str, typer.Argument(help="The article id, e.g. CTX696397.")],
) -> None:
    """Show a bulletin's facts, status and change log."""
    with herald_app() as herald:
        bulletin = herald.reading.bulletin(article_id)
    console = SafeConsole(soft_wrap=True)
    console.print(f"{bulletin.article_id}  {bulletin.title}")
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


@bulletin_app.command("waiting")
def waiting() -> None:
    """What waits for a second person: proposed changes and unreviewed emergency steps."""
    with herald_app() as herald:
        proposals, steps = herald.authoring.waiting()
    if not proposals and not steps:
        say("nothing waits for a second person")
    for proposal in proposals:
        say(f"{proposal.article_id}: {proposal.describe()}")
    for step in steps:
        say(f"{step.article_id}: {step.describe_line()}")


def policy(
    amendments: Annotated[
        str | None,
        typer.Option(
            help="Which amendments and withdrawals need a second person: material "
            "(default), every or none. Without it, show the policy."
        ),
    ] = None,
    as_user: AsOption = None,
) -> None:
    """Show or set the review policy for changes to published bulletins (admins)."""
    with herald_app() as herald:
        if amendments is None:
            current = herald.authoring.review_policy()
        else:
            choice = parse_amendment_review(amendments, "--amendments")
            actor = acting(herald.accounts, as_user, required=False)
            current = herald.authoring.set_review_policy(ReviewPolicy(choice), actor)
    say(f"amendments: {current.amendments.value} ({current.amendments.description})")


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
    say(output, nl=not output.endswith("\n"))
