"""What the command line prints: stored text is shown, never obeyed (finding 13.5).

A title or a name may come from an old database or another vendor's file; printed raw,
an escape sequence in it would drive the terminal, and Rich markup in it would restyle
or relink the output. ``say`` and ``SafeConsole`` print any such character as a visible
escape (``\\x1b``, ``\\u202e``) and treat text as text, not markup.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from herald.domain.text import shown_safely


def say(message: str, **options: Any) -> None:
    """``typer.echo`` of ``message`` with unsafe characters escaped."""
    typer.echo(shown_safely(message), **options)


class SafeConsole(Console):
    """A Rich console without markup, emoji codes or highlighting, whose every string
    (tables, trees, prints) has unsafe characters escaped."""

    def __init__(self, **options: Any) -> None:
        super().__init__(markup=False, emoji=False, highlight=False, **options)

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(shown_safely(text), **options)
