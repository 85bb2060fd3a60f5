"""Staff accounts, the audit log and the sign-in throttle, stored and read back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from herald.adapters.storage import Database, SqlUnitOfWork
from herald.adapters.storage.accounts import SqlSignInThrottle
from herald.adapters.storage.tables.accounts import UserRow
from herald.domain import Conflict, NotFound, ValidationError
from herald.domain.accounts import Role, User
from herald.domain.audit import SYSTEM_ACTOR, AuditEntry

UowFactory = Callable[[], SqlUnitOfWork]
AT = datetime(2026, 4, 1, 9, 30, 15, 250000, tzinfo=UTC)

ALICE = User("alice", "Alice Author", frozenset({Role.AUTHOR}), "$argon2id$v=19$alice")
BOB = User("bob", "Bob Reviewer", frozenset({Role.REVIEWER, Role.PUBLISHER}), "$argon2id$v=19$bob")


def test_users_round_trip(uow_factory: UowFactory, database: Database) -> None:
    with uow_factory() as uow:
        assert uow.users.find("alice") is None
        assert uow.users.list() == []
        uow.users.add(BOB)
        uow.users.add(ALICE)
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.find("alice") == ALICE
        assert uow.users.list() == [ALICE, BOB]
    with database.engine.connect() as connection:
        row = connection.execute(select(UserRow.roles, UserRow.created_at)).first()
    assert row is not None
    assert row.created_at.tzinfo is not None  # set by the database


def test_a_taken_username_is_a_conflict(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.users.add(ALICE)
        uow.commit()
    with uow_factory() as uow, pytest.raises(Conflict, match="alice"):
        uow.users.add(replace(ALICE, display_name="Another Alice"))
    with uow_factory() as uow:
        assert uow.users.find("alice") == ALICE


def test_users_update(uow_factory: UowFactory) -> None:
    changed = replace(
        ALICE,
        display_name="Alice A.",
        roles=frozenset({Role.AUTHOR, Role.ADMIN}),
        password_hash="$argon2id$v=19$new",
        active=False,
    )
    with uow_factory() as uow:
        uow.users.add(ALICE)
        uow.commit()
    with uow_factory() as uow:
        uow.users.update(changed)
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.find("alice") == changed
        with pytest.raises(NotFound):
            uow.users.update(BOB)


def entry(n: int, subject: str, action: str = "bulletin.edit") -> AuditEntry:
    return AuditEntry(
        at=AT + timedelta(minutes=n),
        actor="alice" if n % 2 else SYSTEM_ACTOR,
        action=action,
        subject=subject,
        before=None if n == 0 else f"title: state {n - 1}\n",
        after=f"title: state {n}\n" if n < 5 else None,
    )


def test_audit_entries_are_numbered_and_listed_newest_first(uow_factory: UowFactory) -> None:
    subjects = ["bulletin:CTX1", "user:bob", "bulletin:CTX1", "bulletin:CTX2", "bulletin:CTX1"]
    with uow_factory() as uow:
        stored = [uow.audit.append(entry(n, subject)) for n, subject in enumerate(subjects)]
        uow.commit()
    numbers = [e.id for e in stored if e.id is not None]
    assert len(numbers) == 5
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 5
    assert [replace(e, id=None) for e in stored] == [entry(n, s) for n, s in enumerate(subjects)]

    with uow_factory() as uow:
        assert list(uow.audit.list()) == stored[::-1]
        assert list(uow.audit.list(limit=2)) == stored[:2:-1][:2]
        about = uow.audit.list(subject="bulletin:CTX1")
        assert [e.id for e in about] == [numbers[4], numbers[2], numbers[0]]
        older = uow.audit.list(subject="bulletin:CTX1", before_id=numbers[4], limit=1)
        assert list(older) == [stored[2]]
        assert uow.audit.list(before_id=numbers[0]) == []
        assert uow.audit.list(subject="user:nobody") == []


def test_audit_numbers_never_repeat_after_a_rollback(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        first = uow.audit.append(entry(0, "bulletin:CTX1"))
        uow.commit()
    with uow_factory() as uow:
        uow.audit.append(entry(1, "bulletin:CTX1"))  # rolled back
    with uow_factory() as uow:
        second = uow.audit.append(entry(2, "bulletin:CTX1"))
        uow.commit()
    assert first.id is not None
    assert second.id is not None
    assert second.id > first.id
    with uow_factory() as uow:
        assert [e.id for e in uow.audit.list()] == [second.id, first.id]


def test_the_audit_log_is_append_only(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        stored = uow.audit.append(entry(0, "bulletin:CTX1"))
        with pytest.raises(ValidationError) as caught:
            uow.audit.append(stored)  # an entry is stored once, numbered by the log
        assert caught.value.field == "id"
        with pytest.raises(ValidationError) as caught:
            uow.audit.list(limit=0)
        assert caught.value.field == "limit"
    methods = {name for name in dir(uow.audit) if not name.startswith("_")}
    assert methods == {"append", "list", "head", "chain"}  # head and chain only read


def test_the_throttle_counts_per_key_within_the_window(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        for minutes in (0, 5, 10):
            uow.sign_in.record_failure("user:alice", AT + timedelta(minutes=minutes))
        uow.sign_in.record_failure("ip:192.0.2.1", AT)
        uow.commit()
    with uow_factory() as uow:
        assert uow.sign_in.failures("user:alice", AT - timedelta(seconds=1)) == 3
        assert uow.sign_in.failures("user:alice", AT) == 2  # strictly after
        assert uow.sign_in.failures("user:alice", AT + timedelta(minutes=10)) == 0
        assert uow.sign_in.failures("ip:192.0.2.1", AT - timedelta(hours=1)) == 1
        assert uow.sign_in.failures("user:bob", AT - timedelta(hours=1)) == 0
        uow.sign_in.clear("user:alice")
        uow.commit()
    with uow_factory() as uow:
        assert uow.sign_in.failures("user:alice", AT - timedelta(hours=1)) == 0
        assert uow.sign_in.failures("ip:192.0.2.1", AT - timedelta(hours=1)) == 1


def test_old_failures_can_be_pruned(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.sign_in.record_failure("a", AT - timedelta(days=2))
        uow.sign_in.record_failure("b", AT - timedelta(days=3))
        uow.sign_in.record_failure("a", AT)
        uow.commit()
    with uow_factory() as uow:
        assert isinstance(uow.sign_in, SqlSignInThrottle)
        assert uow.sign_in.prune(AT - timedelta(days=1)) == 2
        uow.commit()
    with uow_factory() as uow:
        assert uow.sign_in.failures("a", AT - timedelta(days=10)) == 1
        assert uow.sign_in.failures("b", AT - timedelta(days=10)) == 0
