"""The audit log's hash chain through herald's real services on SQLite and PostgreSQL,
and what verification says after someone edits the table directly in SQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from herald import demo
from herald.bootstrap import Herald
from herald.domain.accounts import Role, User
from herald.domain.alerts import SubscriberGroup
from herald.domain.audit_chain import Break, ChainBroken, ChainIntact
from herald.domain.errors import Forbidden
from herald.services.actors import Actor
from tests.demo_services import demo_services, settings_for

NOW = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


@pytest.fixture
def herald(database_url: str, tmp_path: Path) -> Iterator[Herald]:
    """herald's services with the demo data, and a log written through them."""
    with demo_services(settings_for(database_url, tmp_path / "var"), FixedClock()) as services:
        yield services


def write_some_history(herald: Herald) -> list[int]:
    """Entries from accounts, authoring, alerting and API tokens; their numbers, in order."""
    herald.accounts.add_user("alice", "Alice Author", ["author"], "correct horse battery")
    herald.accounts.add_user("root", "Rita Admin", ["admin"], "correct horse battery")
    draft = herald.authoring.create_draft(demo.reference_content())
    herald.authoring.submit(draft.article_id)
    herald.subscriptions.save_group(SubscriberGroup("partners", "Channel partners"))
    herald.api_tokens.issue("siem-integration")
    herald.authoring.edit_draft(draft.article_id, demo.reference_content())
    with herald.database.engine.connect() as connection:
        return list(connection.execute(text("SELECT id FROM audit_log ORDER BY id")).scalars())


def broken(report: object) -> tuple[int | None, Break]:
    assert isinstance(report, ChainBroken), report
    return report.entry_id, report.kind


def instant(herald: Herald, at: datetime) -> object:
    """``at`` as a raw SQL parameter: SQLite keeps UTC text, PostgreSQL a timestamptz."""
    return at.strftime("%Y-%m-%d %H:%M:%S.%f") if herald.database.is_sqlite else at


def sql(herald: Herald, statement: str, **values: object) -> None:
    with herald.database.engine.begin() as connection:
        connection.execute(text(statement), values)


def test_what_the_services_write_verifies(herald: Herald) -> None:
    numbers = write_some_history(herald)
    assert len(numbers) == 3 + 7  # the demo import (publisher, product, bulletin), then ours
    report = herald.audit.verify()
    assert isinstance(report, ChainIntact)
    assert report.count == 10
    assert report.last is not None and report.last.id == numbers[-1]
    admin = Actor.staff(User("root", "Rita Admin", frozenset({Role.ADMIN}), "x"))
    page = herald.audit.page(admin, size=2)
    assert page.head == report.last  # what the admin page shows is what verify ends at
    assert herald.audit.page(admin, subject="user:nobody").head == report.last


def test_only_those_who_read_the_log_verify_it(herald: Herald) -> None:
    author = Actor.staff(User("alice", "Alice Author", frozenset({Role.AUTHOR}), "x"))
    with pytest.raises(Forbidden):
        herald.audit.verify(author)


def test_a_changed_entry_is_named(herald: Herald) -> None:
    numbers = write_some_history(herald)
    sql(herald, "UPDATE audit_log SET after = :after WHERE id = :id", after="x", id=numbers[3])
    report = herald.audit.verify()
    assert broken(report) == (numbers[3], Break.CHANGED)
    assert isinstance(report, ChainBroken)
    assert report.verified == 3


def test_a_changed_instant_is_named(herald: Herald) -> None:
    numbers = write_some_history(herald)
    sql(
        herald,
        "UPDATE audit_log SET at = :at WHERE id = :id",
        at=instant(herald, datetime(2026, 11, 1, tzinfo=UTC)),
        id=numbers[1],
    )
    assert broken(herald.audit.verify()) == (numbers[1], Break.CHANGED)


def test_a_deleted_middle_entry_is_named_by_the_one_after_it(herald: Herald) -> None:
    numbers = write_some_history(herald)
    sql(herald, "DELETE FROM audit_log WHERE id = :id", id=numbers[2])
    report = herald.audit.verify()
    assert broken(report) == (numbers[3], Break.DELETED)
    assert isinstance(report, ChainBroken)
    assert f"after entry #{numbers[1]}" in report.detail


def test_a_forged_entry_in_an_unused_number_is_named(herald: Herald) -> None:
    """A number left unused (a rolled-back append leaves one on PostgreSQL) lets a forger
    put an entry in the past. Linking it correctly would need the successor's link, which
    the database keeps unique, so its hashes are made up: the entry after it links past it."""
    herald.accounts.add_user("alice", "Alice Author", ["author"], "correct horse battery")
    with herald.database.engine.begin() as connection:
        if herald.database.is_sqlite:
            connection.execute(text("UPDATE sqlite_sequence SET seq = seq + 1"))
        else:
            connection.execute(text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))"))
    herald.accounts.add_user("bob", "Bob Reviewer", ["reviewer"], "correct horse battery")
    with herald.database.engine.connect() as connection:
        first, second = connection.execute(
            text("SELECT id FROM audit_log WHERE subject LIKE 'user:%' ORDER BY id")
        ).scalars()
    assert second == first + 2
    sql(
        herald,
        "INSERT INTO audit_log (id, at, actor, action, subject, after, previous_hash, "
        "chain_hash) VALUES (:id, :at, 'root', 'user.add', 'user:mallory', 'roles: admin', "
        ":previous, :hash)",
        id=first + 1,
        at=instant(herald, NOW),
        previous="a" * 64,
        hash="b" * 64,
    )
    report = herald.audit.verify()
    assert broken(report) == (first + 1, Break.INSERTED)
    assert isinstance(report, ChainBroken)
    assert report.verified == 4  # the demo import's three entries, then alice's


def test_a_forged_entry_with_made_up_hashes_is_named(herald: Herald) -> None:
    numbers = write_some_history(herald)
    sql(
        herald,
        "INSERT INTO audit_log (id, at, actor, action, subject, previous_hash, chain_hash) "
        "VALUES (:id, :at, 'root', 'user.add', 'user:mallory', :previous, :hash)",
        id=numbers[-1] + 1,
        at=instant(herald, NOW),
        previous="0" * 63 + "1",
        hash="f" * 64,
    )
    assert broken(herald.audit.verify()) == (numbers[-1] + 1, Break.BROKEN_LINK)


def test_dropping_the_last_entry_is_seen_only_against_a_noted_hash(herald: Herald) -> None:
    numbers = write_some_history(herald)
    intact = herald.audit.verify()
    assert isinstance(intact, ChainIntact)
    noted = intact.last_hash
    sql(herald, "DELETE FROM audit_log WHERE id = :id", id=numbers[-1])

    # The chain that is left is whole: cutting the end is invisible without the note.
    assert isinstance(herald.audit.verify(), ChainIntact)
    report = herald.audit.verify(noted_hash=noted)
    assert broken(report) == (numbers[-2], Break.TRUNCATED)
    assert isinstance(report, ChainBroken)
    assert noted in report.detail


def test_a_noted_hash_stays_valid_as_the_log_grows(herald: Herald) -> None:
    write_some_history(herald)
    intact = herald.audit.verify()
    assert isinstance(intact, ChainIntact)
    herald.api_tokens.issue("another")
    later = herald.audit.verify(noted_hash=intact.last_hash)
    assert isinstance(later, ChainIntact)
    assert later.count == intact.count + 1


def test_a_stored_entry_cannot_link_to_a_predecessor_another_already_links_to(
    herald: Herald,
) -> None:
    """The database itself refuses a fork (``previous_hash`` is unique)."""
    numbers = write_some_history(herald)
    with pytest.raises(IntegrityError, match=r"(?i)unique|duplicate"):
        sql(
            herald,
            "UPDATE audit_log SET previous_hash = "
            "(SELECT previous_hash FROM audit_log WHERE id = :first) WHERE id = :second",
            first=numbers[0],
            second=numbers[1],
        )
