"""The ``herald csaf`` command group; its commands live in ``csaf_*`` modules.

``formats.register`` adds it with the other machine-readable formats' groups.
"""

from __future__ import annotations

import typer

csaf_app = typer.Typer(help="CSAF 2.0 advisories: export, validate, import.", no_args_is_help=True)


def group() -> typer.Typer:
    """The group with every command attached."""
    # Importing the command modules attaches their commands to ``csaf_app``.
    from herald.adapters.cli import csaf_documents, csaf_validate  # noqa: F401

    return csaf_app
