"""``herald users``: add, list and the account lifecycle, end to end in a subprocess."""

from __future__ import annotations

from pathlib import Path

import pytest

from herald.adapters.security import Argon2Hasher
from herald.bootstrap import build
from herald.config import Settings
from herald.services.actors import OPERATOR
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


def _add(run: Run, username: str, role: str) -> None:
    args = ("users", "add", username, "--name", username.title(), "--role", role)
    assert run(*args, "--password-stdin", stdin=f"{PASSWORD}\n").exit_code == 0


def test_the_account_lifecycle_from_the_command_line(
    run: Run, database_url: str, tmp_path: Path
) -> None:
    _add(run, "root", "admin")
    _add(run, "alice", "author")
    result = run("users", "deactivate", "alice", "--as", "root")
    assert (result.exit_code, result.stdout.strip()) == (0, "user alice deactivated")
    assert run("users", "reactivate", "alice").stdout.strip() == "user alice reactivated"
    roles = run("users", "roles", "alice", "--role", "author", "--role", "publisher")
    assert roles.stdout.strip() == "user alice: author, publisher"
    reset = run("users", "reset-password", "alice", "--as", "root")
    assert reset.exit_code == 0, reset.stderr
    temporary = reset.stdout.split("(shown once): ", 1)[1].split()[0]
    listing = run("users", "list")
    assert "temporary" in listing.stdout and temporary not in listing.stdout
    assert "second factor required: no" in listing.stdout
    assert run("users", "sign-out-everywhere", "alice").exit_code == 0

    herald = build(Settings(data_dir=tmp_path / "var", database_url=database_url))
    try:
        user = herald.accounts.sign_in("alice", temporary, "127.0.0.1")
        assert user.must_change_password and user.session_generation == 3
        entries = herald.audit.page(OPERATOR, subject="user:alice", size=20).entries
        actions = [(e.action, e.actor) for e in reversed(entries)]
    finally:
        herald.close()
    assert actions == [
        ("user.add", "cli"),
        ("user.deactivate", "root"),
        ("user.reactivate", "cli"),
        ("user.roles", "cli"),
        ("user.reset_password", "root"),
        ("user.sign_out_everywhere", "cli"),
    ]


@pytest.mark.parametrize("step", ["sign-out-everywhere", "deactivate", "reset-password"])
def test_ending_an_accounts_sessions_deletes_them_on_the_server(
    run: Run, database_url: str, tmp_path: Path, step: str
) -> None:
    _add(run, "alice", "author")
    _add(run, "bob", "author")
    herald = build(Settings(data_dir=tmp_path / "var", database_url=database_url))
    try:
        alices = herald.sessions.start({"user": "alice"}, "alice")
        bobs = herald.sessions.start({"user": "bob"}, "bob")
        assert run("users", step, "alice").exit_code == 0
        assert herald.sessions.open(alices.id) is None
        assert herald.sessions.open(bobs.id) is not None
    finally:
        herald.close()


def test_lifecycle_mistakes_are_one_line_and_change_nothing(run: Run) -> None:
    _add(run, "root", "admin")
    _add(run, "alice", "author")
    last = run("users", "deactivate", "root")
    assert_one_line_error(last, "root is the last active admin", exit_code=2)
    demoted = run("users", "roles", "root", "--role", "author")
    assert_one_line_error(demoted, "last active admin", exit_code=2)
    assert_one_line_error(run("users", "roles", "alice", "--role", "boss"), "'boss'", exit_code=2)
    assert_one_line_error(run("users", "deactivate", "nobody"), "no user 'nobody'", exit_code=3)
    as_author = run("users", "deactivate", "root", "--as", "alice")
    assert_one_line_error(as_author, "alice may not manage users", exit_code=5)
    assert_one_line_error(run("users", "reset-second-factor", "alice"), "no second factor")
    unenrolled = run("users", "require-second-factor", "--as", "root")
    assert_one_line_error(unenrolled, "your own second factor first", exit_code=2)
    assert run("users", "require-second-factor").stdout.strip() == "second factor required: yes"
    listing = run("users", "list").stdout
    assert "admin" in listing and "temporary" not in listing
    assert "second factor required: yes" in listing
