"""Commands on API tokens (for the JSON API): add, list, revoke.

A token names its scopes (``--scope``, at least one), expires (``--expires``: a
lifetime such as ``30d`` or a date; 90 days unless told, a year at most) and acts for an
owner, a staff account (``--owner``, or the one ``--as`` names).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from herald.adapters.cli.acting import AsOption, acting
from herald.adapters.cli.context import herald_app
from herald.adapters.cli.output import SafeConsole, say
from herald.domain.api_tokens import MAX_LIFETIME, Scope, parse_expiry, parse_scopes
from herald.domain.errors import ValidationError

tokens_app = typer.Typer(
    help="API tokens that let programs use the JSON API (e.g. manage webhooks).",
    no_args_is_help=True,
)

_OPTION_OF = {"owner": "--owner", "scopes": "--scope", "expires": "--expires"}
"""The option a service's field is given by."""


def register(app: typer.Typer) -> None:
    app.add_typer(tokens_app, name="tokens")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else ""


@tokens_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Whose or what for, e.g. siem-integration.")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            metavar="SCOPE",
            help="What it may do (repeatable, at least one): "
            + ", ".join(s.value for s in Scope)
            + ".",
        ),
    ] = None,
    expires: Annotated[
        str,
        typer.Option(
            "--expires",
            "--expires-in",
            metavar="WHEN",
            help="A lifetime (30d, 12w, 1y) or a date (YYYY-MM-DD, UTC); "
            f"default 90d, at most {MAX_LIFETIME.days}d.",
        ),
    ] = "90d",
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="USERNAME",
            help="The staff account it acts for (default: the one --as names).",
        ),
    ] = None,
    as_user: AsOption = None,
) -> None:
    """Issue a token and print it once (herald keeps only its hash)."""
    scopes = parse_scopes(scope or [], "--scope")
    with herald_app() as herald:
        actor = acting(herald.accounts, as_user, required=False)
        expires_at = parse_expiry(expires, herald.clock.now(), "--expires")
        if owner is None and actor.user is None:
            raise ValidationError(
                "--owner", "name the staff account the token acts for, e.g. --owner alice"
            )
        try:
            issued, secret = herald.api_tokens.issue(
                name, actor, scopes=scopes, expires_at=expires_at, owner=owner
            )
        except ValidationError as error:
            raise ValidationError(_OPTION_OF.get(error.field, error.field), error.reason) from None
    say(
        f"token {issued.name} issued ({issued.scope_names}; for {issued.owner}; "
        f"expires {_when(issued.expires_at)} UTC); it is shown only now:",
        err=True,
    )
    say(secret)


@tokens_app.command("list")
def list_tokens() -> None:
    """List tokens: name, scopes, owner, expiry, last use, state, when and by whom issued."""
    with herald_app() as herald:
        found = herald.api_tokens.tokens()
        states = [herald.api_tokens.state(token) for token in found]
    table = Table(
        "Name", "Scopes", "Owner", "Expires (UTC)", "Last used (UTC)", "State", "Issued (UTC)", "By"
    )
    for token, state in zip(found, states, strict=True):
        shown = state.value
        if token.revoked_at is not None:
            shown = f"revoked {_when(token.revoked_at)}"
        table.add_row(
            token.name,
            token.scope_names,
            token.owner or "(none)",
            _when(token.expires_at),
            _when(token.last_used_at) or "never",
            shown,
            _when(token.created_at),
            token.created_by,
        )
    SafeConsole().print(table)


@tokens_app.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help="The token's name.")], as_user: AsOption = None
) -> None:
    """Revoke a token: it never works again."""
    with herald_app() as herald:
        revoked = herald.api_tokens.revoke(name, acting(herald.accounts, as_user, required=False))
    say(f"token {revoked.name} revoked")
