"""``herald alerts ...`` and ``herald worker`` end to end, emails into the Maildir."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest

from tests.adapters.cli.conftest import Herald, add_staff, assert_one_line_error

pytestmark = pytest.mark.usefixtures("database_url")


def test_subscribe_publish_and_deliver_to_the_maildir(herald: Herald, tmp_path: Path) -> None:
    assert herald("demo").exit_code == 0
    added = herald("alerts", "add-email", "Alice@Example.com", "--min-severity", "Low")
    assert added.exit_code == 0, added.stderr
    assert "alice@example.com (active)" in added.stdout
    group = herald("alerts", "group", "partners", "--title", "Channel partners")
    assert group.exit_code == 0, group.stderr
    assert herald("alerts", "add-email", "p@partner.example", "--group", "partners").exit_code == 0
    listed = herald("alerts", "list").stdout
    assert "alice@example.com" in listed and "partners" in listed

    add_staff(herald, "pat", "publisher")
    add_staff(herald, "bob", "reviewer")
    withdrawn = herald(
        "bulletin", "withdraw", "CTX696397", "--summary", "Withdrawn: test", "--as", "pat"
    )
    assert "waiting for a second person" in withdrawn.stdout, withdrawn.stderr
    assert herald("worker", "--once").exit_code == 0
    assert not list(mailbox.Maildir(tmp_path / "var" / "mail", create=True))
    approved = herald("bulletin", "approve-change", "CTX696397", "--as", "bob")
    assert approved.exit_code == 0, approved.stderr
    worked = herald("worker", "--once")
    assert worked.exit_code == 0, worked.stderr
    assert "2 deliveries handled" in worked.stderr

    messages = list(mailbox.Maildir(tmp_path / "var" / "mail", create=False))
    assert sorted(str(m["To"]) for m in messages) == ["alice@example.com", "p@partner.example"]
    assert all("Withdrawn" in str(m["Subject"]) for m in messages)
    deliveries = herald("alerts", "deliveries", "CTX696397").stdout
    assert deliveries.count("sent") == 2


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("alerts", "add-email", "not-an-address"), ("email",)),
        (("alerts", "add-email", "a@example.com", "--min-severity", "Huge"), ("severity",)),
        (("alerts", "add-email", "a@example.com", "--product", "nope"), ("products",)),
        (("alerts", "add-webhook", "http://127.0.0.1:9/hook"), ("url",)),
        (("alerts", "add-webhook", "https://10.0.0.1/hook"), ("url", "public internet address")),
        (("alerts", "group", "Bad Name", "--title", "x"), ("group",)),
        (("worker", "--batch", "0"), ("--batch",)),
        (("worker", "--lanes", "17"), ("--lanes", "16")),
        (("worker", "--lease", "0"), ("--lease",)),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    herald: Herald, args: tuple[str, ...], names: tuple[str, ...]
) -> None:
    herald("demo")
    result = herald(*args)
    assert_one_line_error(result, *names, exit_code=2)
    assert "a@example.com" not in herald("alerts", "list").stdout


def test_unknown_ids_exit_3_and_public_bulletins_take_no_predisclosure(herald: Herald) -> None:
    herald("demo")
    assert_one_line_error(herald("alerts", "deliveries", "CTX000001"), "CTX000001", exit_code=3)
    assert_one_line_error(herald("alerts", "remove-webhook", "42"), "42", exit_code=3)
    herald("alerts", "group", "partners", "--title", "Channel partners")
    result = herald("alerts", "predisclose", "CTX696397", "--group", "partners")
    assert_one_line_error(result, "public already", exit_code=2)
