"""The ``herald`` command: wires the sub-command modules into one Typer app."""

from __future__ import annotations

import typer

from herald import __version__
from herald.adapters.cli import alerts as alerts_commands
from herald.adapters.cli import audit as audit_commands
from herald.adapters.cli import bulletins, data, formats, keys, serve, site, tokens, users
from herald.adapters.cli import catalog as catalog_commands
from herald.adapters.cli import worker as worker_command
from herald.adapters.cli.errors import HeraldGroup

app = typer.Typer(
    cls=HeraldGroup,
    help="herald: security bulletins for software vendors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data.register(app)
bulletins.register(app)
serve.register(app)
formats.register(app)  # csaf, osv, cve: the machine-readable formats
site.register(app)
users.register(app)
alerts_commands.register(app)
worker_command.register(app)
keys.register(app)
tokens.register(app)
audit_commands.register(app)
catalog_commands.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"herald {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """herald: security bulletins for software vendors.

    Settings come from the environment (HERALD_DATA_DIR, HERALD_DATABASE_URL).
    Exit status: 0 success, 1 other error, 2 invalid input, 3 unknown id, 4 id taken.
    """


def main() -> None:
    """Entry point of the ``herald`` script."""
    app()
