"""``herald keys generate|show``: a real key in a real GnuPG home; one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.adapters.cli.conftest import Result, assert_one_line_error

Run = Callable[..., Result]


@pytest.fixture
def herald_cli(short_dir: Path) -> Run:
    """``herald keys …`` with HERALD_DATA_DIR in ``short_dir`` (no database needed)."""
    env = {
        **os.environ,
        "HERALD_DATA_DIR": str(short_dir / "var"),
        "HERALD_DATABASE_URL": f"sqlite:///{short_dir / 'herald.db'}",
    }
    env.pop("HERALD_GNUPG_HOME", None)
    env.pop("HERALD_SIGNING_KEY", None)

    def run(*args: str, **extra: str) -> Result:
        done = subprocess.run(  # this interpreter, running herald
            [sys.executable, "-m", "herald", *args],
            capture_output=True,
            text=True,
            env={**env, **extra},
            cwd=short_dir,
            timeout=120,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


def test_generate_then_show_then_refuse_a_second_key(herald_cli: Run, short_dir: Path) -> None:
    made = herald_cli("keys", "generate", "--name", "Example PSIRT", "--email", "psirt@example.com")
    assert made.exit_code == 0, made.stderr
    fingerprint = made.stdout.split()[2]
    assert len(fingerprint) == 40
    assert str(short_dir / "var" / "gnupg") in made.stdout
    shown = herald_cli("keys", "show")
    assert shown.exit_code == 0, shown.stderr
    assert f"fingerprint: {fingerprint}" in shown.stdout
    assert "Example PSIRT <psirt@example.com>" in shown.stdout
    public = herald_cli("keys", "show", "--public")
    assert public.stdout.startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----")
    again = herald_cli("keys", "generate")
    assert_one_line_error(again, fingerprint, exit_code=4)
    kept = herald_cli("keys", "generate", "--keep-existing")
    assert kept.exit_code == 0
    assert fingerprint in kept.stdout
    named = herald_cli("keys", "show", HERALD_SIGNING_KEY=fingerprint.lower())
    assert f"fingerprint: {fingerprint}" in named.stdout


def test_bad_input_gets_one_line_errors(herald_cli: Run) -> None:
    assert_one_line_error(herald_cli("keys", "show"), "no signing key", exit_code=3)
    assert_one_line_error(
        herald_cli("keys", "generate", "--email", "not-an-address"), "--email", exit_code=2
    )
    assert_one_line_error(herald_cli("keys", "generate", "--name", " "), "--name", exit_code=2)
    assert_one_line_error(
        herald_cli("keys", "show", HERALD_SIGNING_KEY="abc"), "HERALD_SIGNING_KEY", exit_code=2
    )
    missing = "0123456789ABCDEF0123456789ABCDEF01234567"
    assert_one_line_error(
        herald_cli("keys", "show", HERALD_SIGNING_KEY=missing), missing, exit_code=1
    )
