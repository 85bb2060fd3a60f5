"""``herald users add`` and ``herald users list``, end to end in a subprocess."""

from __future__ import annotations

from pathlib import Path

import pytest

from herald.adapters.security import Argon2Hasher
from herald.bootstrap import build
from herald.config import Settings
from tests.adapters.cli.conftest import Herald, assert_one_line_error

PASSWORD = "a long enough passphrase"

Run = Herald


@pytest.fixture
def run(herald: Herald) -> Herald:
    """``run(*args, stdin=...)`` runs ``python -m herald`` on this test's database."""
    return herald


def test_add_and_list_users(run: Run, database_url: str, tmp_path: Path) -> None:
    added = run(
        "users",
        "add",
        "alice",
        "--name",
        "Alice Doe",
        "--role",
        "author",
        "--role",
        "reviewer",
        "--password-stdin",
        stdin=f"{PASSWORD}\n",
    )
    assert added.exit_code == 0, added.stderr
    assert added.stdout.strip() == "user alice added (author, reviewer)"
    listing = run("users", "list")
    assert listing.exit_code == 0
    assert "alice" in listing.stdout and "Alice Doe" in listing.stdout
    assert "author, reviewer" in listing.stdout
    assert PASSWORD not in listing.stdout

    settings = Settings(data_dir=tmp_path / "var", database_url=database_url)
    herald = build(settings, hasher=Argon2Hasher())
    try:
        user = herald.accounts.sign_in("alice", PASSWORD, "127.0.0.1")
        assert user.display_name == "Alice Doe"
        assert user.password_hash.startswith("$argon2id$")
    finally:
        herald.close()


@pytest.mark.parametrize(
    ("args", "stdin", "parts"),
    [
        (("Alice", "--name", "A", "--role", "admin"), PASSWORD, ("username",)),
        (("alice", "--role", "admin"), PASSWORD, ("--name",)),
        (("alice", "--name", "A"), PASSWORD, ("--role", "at least one role")),
        (("alice", "--name", "A", "--role", "boss"), PASSWORD, ("'boss' is not a role",)),
        (("alice", "--name", "A", "--role", "admin"), "short", ("password", "12 characters")),
        (("alice", "--name", "A", "--role", "admin"), "", ("stdin gave no password",)),
    ],
)
def test_bad_input_is_one_line(
    run: Run, args: tuple[str, ...], stdin: str, parts: tuple[str, ...]
) -> None:
    result = run("users", "add", *args, "--password-stdin", stdin=f"{stdin}\n" if stdin else "")
    assert_one_line_error(result, *parts)
    assert result.exit_code == 2


def test_a_taken_username_is_exit_4(run: Run) -> None:
    args = ("users", "add", "root", "--name", "Root", "--role", "admin", "--password-stdin")
    assert run(*args, stdin=PASSWORD).exit_code == 0
    again = run(*args, stdin=PASSWORD)
    assert_one_line_error(again, "already exists")
    assert again.exit_code == 4


def test_without_a_terminal_the_prompt_asks_for_stdin(run: Run) -> None:
    result = run("users", "add", "root", "--name", "Root", "--role", "admin", stdin=PASSWORD)
    assert_one_line_error(result, "--password-stdin")
