"""The ``herald csaf`` command group; its commands live in ``csaf_*`` modules."""

from __future__ import annotations

import typer

csaf_app = typer.Typer(help="CSAF 2.0 advisories: export, validate, import.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    # Importing the command modules attaches their commands to ``csaf_app``.
    from herald.adapters.cli import csaf_documents, csaf_validate  # noqa: F401

    app.add_typer(csaf_app, name="csaf")
