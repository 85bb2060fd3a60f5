"""Run the real ``herald`` command against a test database.

``herald`` runs the command in this process (Click's test runner with the command's own
environment, standard input and working folder): the same Typer app, settings read from
the environment, errors turned into one line by the same ``HeraldGroup``, but without the
1.5 s of imports a new interpreter pays. An exception that escapes the command fails the
test, since the real command would have printed a traceback.

``herald_process`` runs ``python -m herald`` in a subprocess, for the few tests that check
what only a real process shows: the exit status the shell sees and a stderr without a
traceback (tests/adapters/cli/test_process.py).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from herald.adapters.cli.main import app


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


Herald = Callable[..., Result]


def _environment(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "HERALD_DATABASE_URL": database_url,
        "HERALD_DATA_DIR": str(tmp_path / "var"),
        "COLUMNS": "200",
    }


@pytest.fixture
def herald(database_url: str, tmp_path: Path) -> Herald:
    """``herald(*args, stdin=..., cwd=...)`` runs the command in-process on this test's database."""
    env = _environment(database_url, tmp_path)
    runner = CliRunner()

    def run(
        *args: str, cwd: Path = tmp_path, stdin: str = "", extra_env: dict[str, str] | None = None
    ) -> Result:
        with contextlib.chdir(cwd):
            outcome = runner.invoke(
                app, list(args), input=stdin, env={**env, **(extra_env or {})}, prog_name="herald"
            )
        if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
            raise AssertionError(
                f"herald {' '.join(args)} raised {outcome.exception!r}; "
                "the real command would print a traceback"
            ) from outcome.exception
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr)

    return run


@pytest.fixture
def herald_process(database_url: str, tmp_path: Path) -> Herald:
    """``herald_process(*args, stdin=...)`` runs ``python -m herald`` in a subprocess."""
    env = {**os.environ, **_environment(database_url, tmp_path)}

    def run(*args: str, cwd: Path = tmp_path, stdin: str = "") -> Result:
        completed = subprocess.run(  # this interpreter, running herald
            [sys.executable, "-m", "herald", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=120,
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return run


def assert_one_line_error(result: Result, *parts: str, exit_code: int | None = None) -> None:
    """A failure told in one ``herald: error:`` line on stderr that names ``parts``."""
    if exit_code is None:
        assert result.exit_code != 0, result
    else:
        assert result.exit_code == exit_code, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("herald: error: "), lines[0]
    assert "Traceback" not in result.stderr
    for part in parts:
        assert part in lines[0], lines[0]


STAFF_PASSWORD = "a long enough secret"


def add_staff(herald: Herald, username: str, *roles: str) -> None:
    """Create a staff account with ``herald users add`` (password ``STAFF_PASSWORD``)."""
    role_args = [arg for role in roles for arg in ("--role", role)]
    result = herald(
        "users",
        "add",
        username,
        "--name",
        username.title(),
        *role_args,
        "--password-stdin",
        stdin=STAFF_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.stderr
