"""``herald keys generate|show``: a real key in a real GnuPG home; one-line errors."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from herald.adapters.cli.main import app
from tests.adapters.cli.conftest import Result, assert_one_line_error

Run = Callable[..., Result]


@pytest.fixture
def herald_cli(short_dir: Path) -> Run:
    """``herald keys …`` in this process (as ``tests/adapters/cli/conftest.py`` runs the
    other commands), HERALD_DATA_DIR in ``short_dir`` (no database needed)."""
    env: dict[str, str | None] = {
        "HERALD_DATA_DIR": str(short_dir / "var"),
        "HERALD_DATABASE_URL": f"sqlite:///{short_dir / 'herald.db'}",
        "HERALD_GNUPG_HOME": None,
        "HERALD_SIGNING_KEY": None,
        "COLUMNS": "200",
    }
    runner = CliRunner()

    def run(*args: str, **extra: str) -> Result:
        with contextlib.chdir(short_dir):
            outcome = runner.invoke(app, list(args), env={**env, **extra}, prog_name="herald")
        if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
            raise AssertionError(f"herald {' '.join(args)} raised {outcome.exception!r}")
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr)

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
