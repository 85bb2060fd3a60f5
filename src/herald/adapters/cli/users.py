"""Commands on staff accounts: add, list."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from herald.adapters.cli.context import herald_app
from herald.domain.accounts import Role, parse_roles, parse_username
from herald.domain.errors import ValidationError

users_app = typer.Typer(help="Staff accounts for the web authoring side.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Sign-in name: lower-case, e.g. alice.")],
    name: Annotated[
        str | None, typer.Option("--name", help="The name shown in the UI and audit log.")
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            metavar="ROLE",
            help=f"A role (repeatable): {', '.join(r.value for r in Role)}.",
        ),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
    ] = False,
) -> None:
    """Create a staff account; the password is asked for (hidden, twice) or read from stdin."""
    if not name or not name.strip():
        raise ValidationError("--name", "give the name shown in the UI, e.g. --name 'Alice Doe'")
    parse_username(username)
    roles = parse_roles(role or [], "--role")
    password = _password_from_stdin() if password_stdin else _prompt_password()
    with herald_app() as herald:
        user = herald.accounts.add_user(username, name, [r.value for r in roles], password)
    shown = ", ".join(sorted(r.value for r in user.roles))
    typer.echo(f"user {user.username} added ({shown})")


@users_app.command("list")
def list_users() -> None:
    """List staff accounts with their roles."""
    with herald_app() as herald:
        found = herald.accounts.users()
    table = Table("Username", "Name", "Roles", "Active")
    for user in found:
        roles = ", ".join(sorted(r.value for r in user.roles))
        table.add_row(user.username, user.display_name, roles, "yes" if user.active else "no")
    Console(highlight=False).print(table)


def _password_from_stdin() -> str:
    line = sys.stdin.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise ValidationError("--password-stdin", "stdin gave no password")
    return password


def _prompt_password() -> str:
    if not sys.stdin.isatty():
        raise ValidationError("password", "no terminal to ask on; use --password-stdin")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password
