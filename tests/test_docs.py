"""Docs that cannot drift: every setting and every command is in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from herald.adapters.cli.main import app
from herald.config import ENVIRONMENT_VARIABLES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names.extend(f"herald {name} {sub}" for sub in subcommands)
        else:
            names.append(f"herald {name}")
    return names


@pytest.mark.parametrize("variable", sorted(ENVIRONMENT_VARIABLES))
def test_every_environment_variable_is_documented(variable: str) -> None:
    assert f"`{variable}`" in README


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`{command}" in README


def test_the_readme_opens_with_the_two_commands() -> None:
    setup = README.split("## Two commands", 1)[1].split("##", 1)[0]
    assert "make run" in setup and "make test" in setup
