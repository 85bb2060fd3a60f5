"""``herald audit verify``: the audit log's hash chain, checked from the shell."""

from __future__ import annotations

import json
import re

from sqlalchemy import create_engine, text

from herald.adapters.storage import normalize_url

from .conftest import Herald, add_staff, assert_one_line_error

INTACT = re.compile(r"audit log intact: (\d+) entries, last hash ([0-9a-f]{64}) \(entry #(\d+)\)")


def history(herald: Herald) -> None:
    """Three entries: an admin account made, a token issued for it, the token revoked."""
    add_staff(herald, "root", "admin")
    scoped = ("--scope", "webhooks:own", "--as", "root")
    for args in (("add", "siem", *scoped), ("revoke", "siem")):
        result = herald("tokens", *args)
        assert result.exit_code == 0, result.stderr


def run_sql(database_url: str, statement: str) -> None:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def test_an_intact_log_says_so_with_its_last_hash(herald: Herald) -> None:
    history(herald)
    result = herald("audit", "verify")
    assert result.exit_code == 0, result.stderr
    found = INTACT.fullmatch(result.stdout.strip())
    assert found is not None, result.stdout
    assert found.group(1) == "3"

    as_json = herald("audit", "verify", "--format", "json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == {
        "intact": True,
        "entries": 3,
        "last_id": int(found.group(3)),
        "last_hash": found.group(2),
    }
    noted = herald("audit", "verify", "--expect", found.group(2).upper())
    assert noted.exit_code == 0, noted.stderr


def test_an_empty_log_is_intact(herald: Herald) -> None:
    result = herald("audit", "verify")  # on a database no command has written yet
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"audit log intact: 0 entries, last hash {'0' * 64}"


def test_a_changed_entry_is_one_line_naming_it(herald: Herald, database_url: str) -> None:
    history(herald)
    run_sql(database_url, "UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    result = herald("audit", "verify")
    assert_one_line_error(result, "entry #2", "changed", exit_code=1)
    assert result.stdout == ""

    as_json = herald("audit", "verify", "--format", "json")
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert (report["intact"], report["entry_id"], report["problem"]) == (False, 2, "changed")
    assert report["verified_entries"] == 1
    assert "Traceback" not in as_json.stderr


def test_a_deleted_entry_is_named(herald: Herald, database_url: str) -> None:
    history(herald)
    run_sql(database_url, "DELETE FROM audit_log WHERE id = 2")
    assert_one_line_error(herald("audit", "verify"), "deleted", "entry #3", exit_code=1)


def test_a_cut_off_end_is_named_against_the_noted_hash(herald: Herald, database_url: str) -> None:
    history(herald)
    found = INTACT.fullmatch(herald("audit", "verify").stdout.strip())
    assert found is not None
    noted = found.group(2)
    run_sql(database_url, f"DELETE FROM audit_log WHERE id = {found.group(3)}")
    assert herald("audit", "verify").exit_code == 0  # the rest is a whole chain
    result = herald("audit", "verify", "--expect", noted)
    assert_one_line_error(result, noted, "not in the log", "ends at entry #2", exit_code=1)
    as_json = json.loads(herald("audit", "verify", "-f", "json", "--expect", noted).stdout)
    assert (as_json["problem"], as_json["entry_id"]) == ("truncated", 2)


def test_bad_options_are_one_line(herald: Herald) -> None:
    assert_one_line_error(herald("audit", "verify", "--expect", "abc"), "--expect", exit_code=2)
    bad_format = herald("audit", "verify", "--format", "xml")
    assert bad_format.exit_code == 2
    assert "--format" in bad_format.stderr and "Traceback" not in bad_format.stderr
