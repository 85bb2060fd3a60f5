"""``herald tokens add|list|revoke``: API tokens for the JSON API, from the shell, with
their scopes, expiry, owner and last use."""

from __future__ import annotations

from herald.domain.api_tokens import TOKEN_PREFIX

from .conftest import Herald, add_staff, assert_one_line_error


def test_a_token_is_printed_once_listed_and_revoked(herald: Herald) -> None:
    add_staff(herald, "root", "admin")
    added = herald("tokens", "add", "siem-integration", "--scope", "webhooks:own", "--as", "root")
    assert added.exit_code == 0, added.stderr
    token = added.stdout.strip()
    assert token.startswith(TOKEN_PREFIX)
    assert len(added.stdout.splitlines()) == 1  # the token alone on stdout, for scripts
    assert "shown only now" in added.stderr
    assert "webhooks:own" in added.stderr and "for root" in added.stderr

    listed = herald("tokens", "list")
    assert listed.exit_code == 0
    [row] = [line for line in listed.stdout.splitlines() if "siem-integration" in line]
    for shown in ("webhooks:own", "root", "never", "active"):
        assert shown in row, (shown, row)
    assert token not in listed.stdout

    revoked = herald("tokens", "revoke", "siem-integration", "--as", "root")
    assert revoked.exit_code == 0
    assert "revoked" in revoked.stdout
    [row] = [line for line in herald("tokens", "list").stdout.splitlines() if "siem" in line]
    assert "revoked" in row
    assert herald("tokens", "revoke", "siem-integration").exit_code == 0  # harmless again

    log = herald("audit", "log", "--subject", "token:siem-integration")
    assert log.exit_code == 0, log.stderr
    assert "root token.add token:siem-integration" in log.stdout
    assert "root token.revoke token:siem-integration" in log.stdout


def test_the_operator_issues_for_a_named_owner_with_an_expiry(herald: Herald) -> None:
    add_staff(herald, "carol", "publisher")
    added = herald(
        "tokens",
        "add",
        "siem",
        "--scope",
        "webhooks:own",
        "--scope",
        "read:public",
        "--owner",
        "carol",
        "--expires",
        "30d",
    )
    assert added.exit_code == 0, added.stderr
    [row] = [line for line in herald("tokens", "list").stdout.splitlines() if "siem" in line]
    assert "read:public, webhooks:own" in row and "carol" in row
    dated = herald(
        "tokens", "add", "dated", "--scope", "read:public", "--owner", "carol",
        "--expires-in", "2099-01-01",
    )  # fmt: skip
    assert_one_line_error(dated, "--expires", "365 days", exit_code=2)


def test_bad_input_names_the_option_and_issues_nothing(herald: Herald) -> None:
    add_staff(herald, "root", "admin")
    add_staff(herald, "bob", "reviewer")
    scoped = ("--scope", "webhooks:own")
    assert_one_line_error(herald("tokens", "add", "Not A Name", *scoped, "--as", "root"), "name")
    assert_one_line_error(herald("tokens", "add", "siem", "--as", "root"), "--scope", exit_code=2)
    assert_one_line_error(
        herald("tokens", "add", "siem", "--scope", "everything", "--as", "root"),
        "--scope",
        "everything",
        exit_code=2,
    )
    assert_one_line_error(herald("tokens", "add", "siem", *scoped), "--owner", exit_code=2)
    assert_one_line_error(
        herald("tokens", "add", "siem", *scoped, "--owner", "nobody"),
        "--owner",
        "nobody",
        exit_code=2,
    )
    assert_one_line_error(
        herald("tokens", "add", "siem", *scoped, "--owner", "bob"),
        "--scope",
        "bob may not publish",
        exit_code=2,
    )
    for bad in ("0d", "tomorrow", "2020-01-01", "400d", "2y"):
        assert_one_line_error(
            herald("tokens", "add", "siem", *scoped, "--as", "root", "--expires", bad),
            "--expires",
            exit_code=2,
        )
    assert_one_line_error(herald("tokens", "add", "siem", *scoped, "--as", "ghost"), "--as")
    assert "siem" not in herald("tokens", "list").stdout

    assert herald("tokens", "add", "siem", *scoped, "--as", "root").exit_code == 0
    taken = herald("tokens", "add", "siem", *scoped, "--as", "root")
    assert_one_line_error(taken, "siem", exit_code=4)
    assert_one_line_error(herald("tokens", "revoke", "nobody"), "nobody", exit_code=3)
