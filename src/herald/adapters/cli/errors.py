"""One place that turns errors into one line on stderr and a documented exit status."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from herald.domain.errors import HeraldError


def fail(message: str, exit_code: int) -> typer.Exit:
    """Print ``herald: error: <message>`` and give the exit to raise."""
    typer.echo(f"herald: error: {message}", err=True)
    return typer.Exit(exit_code)


class HeraldGroup(TyperGroup):
    """A command group that reports herald's errors and file errors without a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HeraldError as error:
            raise fail(error.message, error.exit_code) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise fail(f"{where}{error.strerror or error}", 1) from None
