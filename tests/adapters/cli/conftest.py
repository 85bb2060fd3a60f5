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
    """``herald(*args)`` runs ``python -m herald`` with this test's database."""
    env = {
        **os.environ,
        "HERALD_DATABASE_URL": database_url,
        "HERALD_DATA_DIR": str(tmp_path / "var"),
        "COLUMNS": "200",
    }

    def run(*args: str, cwd: Path = tmp_path) -> Result:
        completed = subprocess.run(
            [sys.executable, "-m", "herald", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=120,
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return run
