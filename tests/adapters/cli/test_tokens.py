"""``herald tokens add|list|revoke``: API tokens for the webhook API, from the shell."""

from __future__ import annotations

from herald.domain.api_tokens import TOKEN_PREFIX

from .conftest import Herald, assert_one_line_error


def test_a_token_is_printed_once_listed_and_revoked(herald: Herald) -> None:
    added = herald("tokens", "add", "siem-integration")
    assert added.exit_code == 0, added.stderr
    token = added.stdout.strip()
    assert token.startswith(TOKEN_PREFIX)
    assert len(added.stdout.splitlines()) == 1  # the token alone on stdout, for scripts
    assert "shown only now" in added.stderr

    listed = herald("tokens", "list")
    assert listed.exit_code == 0
    assert "siem-integration" in listed.stdout
    assert token not in listed.stdout

    revoked = herald("tokens", "revoke", "siem-integration")
    assert revoked.exit_code == 0
    assert "revoked" in revoked.stdout
    assert "siem-integration" in herald("tokens", "list").stdout
    assert herald("tokens", "revoke", "siem-integration").exit_code == 0  # harmless again


def test_bad_names_taken_names_and_unknown_tokens(herald: Herald) -> None:
    assert_one_line_error(herald("tokens", "add", "Not A Name"), "name", exit_code=2)
    assert herald("tokens", "add", "siem").exit_code == 0
    assert_one_line_error(herald("tokens", "add", "siem"), "siem", exit_code=4)
    assert_one_line_error(herald("tokens", "revoke", "nobody"), "nobody", exit_code=3)
