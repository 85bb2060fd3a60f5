"""Commands on API tokens (for the webhook API): add, list, revoke."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from herald.adapters.cli.context import herald_app

tokens_app = typer.Typer(
    help="API tokens that let programs manage webhooks through /api/v1/webhooks.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(tokens_app, name="tokens")


@tokens_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Whose or what for, e.g. siem-integration.")],
) -> None:
    """Issue a token and print it once (herald keeps only its hash)."""
    with herald_app() as herald:
        issued, secret = herald.api_tokens.issue(name)
    typer.echo(f"token {issued.name} issued; it is shown only now:", err=True)
    typer.echo(secret)


@tokens_app.command("list")
def list_tokens() -> None:
    """List tokens: name, when and by whom issued, whether revoked."""
    with herald_app() as herald:
        found = herald.api_tokens.tokens()
    table = Table("Name", "Issued (UTC)", "By", "Revoked (UTC)")
    for token in found:
        table.add_row(
            token.name,
            token.created_at.strftime("%Y-%m-%d %H:%M"),
            token.created_by,
            token.revoked_at.strftime("%Y-%m-%d %H:%M") if token.revoked_at else "",
        )
    Console(highlight=False).print(table)


@tokens_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The token's name.")]) -> None:
    """Revoke a token: it never works again."""
    with herald_app() as herald:
        revoked = herald.api_tokens.revoke(name)
    typer.echo(f"token {revoked.name} revoked")
