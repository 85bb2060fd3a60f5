"""Run the real ``herald`` command in a subprocess against a test database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


Herald = Callable[..., Result]


@pytest.fixture
def herald(database_url: str, tmp_path: Path) -> Herald:
    """``herald(*args, stdin=...)`` runs ``python -m herald`` with this test's database."""
    env = {
        **os.environ,
        "HERALD_DATABASE_URL": database_url,
        "HERALD_DATA_DIR": str(tmp_path / "var"),
        "COLUMNS": "200",
    }

    def run(*args: str, cwd: Path = tmp_path, stdin: str = "") -> Result:
        completed = subprocess.run(
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
