"""Commands on staff accounts: add, list, and their lifecycle (deactivate, reactivate,
roles, reset-password, sign-out-everywhere, reset-second-factor, require-second-factor).

Lifecycle commands act as the operator (``cli`` in the audit log) unless ``--as`` names
an admin account; they obey the same rules as the web (the last active admin stays).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from herald.adapters.cli.acting import AsOption, acting
from herald.adapters.cli.context import herald_app
from herald.adapters.cli.output import SafeConsole, say
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
    say(f"user {user.username} added ({shown})")


@users_app.command("list")
def list_users() -> None:
    """List staff accounts with their roles."""
    with herald_app() as herald:
        found = herald.accounts.users()
    table = Table("Username", "Name", "Roles", "Active", "Second factor", "Password")
    for user in found:
        roles = ", ".join(sorted(r.value for r in user.roles))
        table.add_row(
            user.username,
            user.display_name,
            roles,
            _yes(user.active),
            f"yes ({len(user.recovery_code_hashes)} recovery codes)"
            if user.has_second_factor
            else "no",
            "temporary" if user.must_change_password else "",
        )
    SafeConsole().print(table)
    with herald_app() as herald:
        required = herald.accounts.second_factor_required()
    say(f"second factor required: {_yes(required)}")


UsernameArgument = Annotated[str, typer.Argument(help="The account's sign-in name.")]


@users_app.command("deactivate")
def deactivate(username: UsernameArgument, as_user: AsOption = None) -> None:
    """Deactivate an account: it cannot sign in, its sessions and API tokens stop working."""
    with herald_app() as herald:
        user = herald.accounts.deactivate(
            username, acting(herald.accounts, as_user, required=False)
        )
        herald.sessions.end_all(user.username)
    say(f"user {user.username} deactivated")


@users_app.command("reactivate")
def reactivate(username: UsernameArgument, as_user: AsOption = None) -> None:
    """Let a deactivated account sign in again (with its old password)."""
    with herald_app() as herald:
        user = herald.accounts.reactivate(
            username, acting(herald.accounts, as_user, required=False)
        )
    say(f"user {user.username} reactivated")


@users_app.command("roles")
def roles(
    username: UsernameArgument,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            metavar="ROLE",
            help=f"The new roles (repeatable): {', '.join(r.value for r in Role)}.",
        ),
    ] = None,
    as_user: AsOption = None,
) -> None:
    """Replace an account's roles."""
    wanted = [r.value for r in parse_roles(role or [], "--role")]
    with herald_app() as herald:
        user = herald.accounts.set_roles(
            username, wanted, acting(herald.accounts, as_user, required=False)
        )
    say(f"user {user.username}: {', '.join(sorted(r.value for r in user.roles))}")


@users_app.command("reset-password")
def reset_password(username: UsernameArgument, as_user: AsOption = None) -> None:
    """Give an account a temporary password, printed once; it must be changed at sign-in."""
    with herald_app() as herald:
        user, temporary = herald.accounts.reset_password(
            username, acting(herald.accounts, as_user, required=False)
        )
        herald.sessions.end_all(user.username)
    say(f"temporary password for {user.username} (shown once): {temporary}")
    say("it must be changed at the next sign-in; every session of the account ended")


@users_app.command("sign-out-everywhere")
def sign_out_everywhere(username: UsernameArgument, as_user: AsOption = None) -> None:
    """End every session of an account, in every browser."""
    with herald_app() as herald:
        user = herald.accounts.sign_out_everywhere(
            username, acting(herald.accounts, as_user, required=False)
        )
        herald.sessions.end_all(user.username)
    say(f"every session of {user.username} ended")


@users_app.command("reset-second-factor")
def reset_second_factor(username: UsernameArgument, as_user: AsOption = None) -> None:
    """Remove an account's second factor and recovery codes (a lost device)."""
    with herald_app() as herald:
        user = herald.accounts.reset_second_factor(
            username, acting(herald.accounts, as_user, required=False)
        )
    say(f"second factor of {user.username} removed")


@users_app.command("require-second-factor")
def require_second_factor(
    off: Annotated[
        bool, typer.Option("--off", help="Stop requiring it (members keep theirs).")
    ] = False,
    as_user: AsOption = None,
) -> None:
    """Require a second factor of every staff account: members without one set it up at
    their next sign-in before anything else."""
    with herald_app() as herald:
        herald.accounts.require_second_factor(
            not off, acting(herald.accounts, as_user, required=False)
        )
    say(f"second factor required: {_yes(not off)}")


def _yes(value: bool) -> str:
    return "yes" if value else "no"


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
