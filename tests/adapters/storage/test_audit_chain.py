"""The audit chain in the database: revision 0005 chains the entries already stored, and
appends made at the same time by several connections still form one chain."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import insert, inspect, select, table, text
from sqlalchemy.sql import column

from herald.adapters.storage import Database, SqlUnitOfWork
from herald.adapters.storage.audit import SqlAuditLog
from herald.adapters.storage.database import alembic_config
from herald.domain.audit import AuditEntry
from herald.domain.audit_chain import GENESIS_HASH, ChainIntact, link, verify_chain
from herald.domain.errors import Conflict

AT = datetime(2026, 4, 1, 9, 30, 15, 250000, tzinfo=UTC)

_OLD_AUDIT_LOG = table(
    "audit_log",
    column("id"),
    column("at"),
    column("actor"),
    column("action"),
    column("subject"),
    column("before"),
    column("after"),
)


def entry(number: int, subject: str = "bulletin:CTX696397") -> AuditEntry:
    return AuditEntry(
        at=AT + timedelta(minutes=number),
        actor="alice",
        action="bulletin.edit",
        subject=subject,
        before=f"title: version {number}\n" if number else None,
        after=f"title: version {number + 1}\n",
    )


def verify(database: Database) -> ChainIntact:
    with database.unit_of_work(read_only=True) as uow:
        report = verify_chain(uow.audit.chain())
    assert isinstance(report, ChainIntact), report
    return report


def test_upgrading_from_0004_chains_the_entries_already_there(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    try:
        with database.migration_connection() as connection:
            command.upgrade(alembic_config(connection), "0004")
        # Entries as herald 0004 wrote them (numbers with a gap, as a rollback leaves).
        written = [(1, entry(0)), (2, entry(1, "user:bob")), (5, entry(2)), (6, entry(3))]
        with database.engine.begin() as connection:
            for number, old in written:
                at = old.at if not database.is_sqlite else old.at.strftime("%Y-%m-%d %H:%M:%S.%f")
                connection.execute(
                    insert(_OLD_AUDIT_LOG).values(
                        id=number,
                        at=at,
                        actor=old.actor,
                        action=old.action,
                        subject=old.subject,
                        before=old.before,
                        after=old.after,
                    )
                )
            if not database.is_sqlite:  # as its sequence would be after numbering them
                connection.execute(text("SELECT setval('audit_log_id_seq', 6)"))

        database.migrate()

        report = verify(database)
        assert report.count == 4
        previous = GENESIS_HASH
        expected = []
        for number, old in written:
            expected.append(link(previous, AuditEntry(**{**old.__dict__, "id": number})))
            previous = expected[-1].chain_hash
        with database.unit_of_work(read_only=True) as uow:
            assert list(uow.audit.chain()) == expected  # the rule of the domain, unchanged
            appended = uow.audit.list(limit=1)
        assert report.last == expected[-1]
        assert appended[0].id == 6

        with database.unit_of_work() as uow:
            new = uow.audit.append(entry(4))
            uow.commit()
        assert new.id == 7
        assert verify(database).count == 5

        if database.is_sqlite:  # the rebuilt table still never reuses a number
            with database.engine.connect() as connection:
                schema = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'audit_log'")
                ).scalar_one()
            assert "AUTOINCREMENT" in schema
    finally:
        database.dispose()


def test_0005_goes_down_keeping_the_entries_and_up_again_chaining_them(
    own_database: Database,
) -> None:
    database = own_database
    with database.unit_of_work() as uow:
        stored = [uow.audit.append(entry(n)) for n in range(3)]
        uow.commit()
    before = verify(database)
    with database.migration_connection() as connection:
        command.downgrade(alembic_config(connection), "0004")
    columns = {c["name"] for c in inspect(database.engine).get_columns("audit_log")}
    assert "chain_hash" not in columns and "previous_hash" not in columns
    with database.engine.connect() as connection:
        ids = connection.execute(select(_OLD_AUDIT_LOG.c.id).order_by(_OLD_AUDIT_LOG.c.id))
        assert list(ids.scalars()) == [e.id for e in stored]
    database.migrate()
    assert verify(database) == before


THREADS = 8
APPENDS_PER_THREAD = 15


def append_concurrently(uow_factory: Callable[[], SqlUnitOfWork]) -> list[BaseException]:
    """``THREADS`` threads, released together, each appending in its own transactions."""
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            start.wait()
            for n in range(APPENDS_PER_THREAD):
                with uow_factory() as uow:
                    uow.audit.append(entry(n, f"user:worker{worker}"))
                    uow.commit()
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return failures


def test_concurrent_appends_form_one_chain(database: Database) -> None:
    failures = append_concurrently(database.unit_of_work)
    assert failures == []
    report = verify(database)
    assert report.count == THREADS * APPENDS_PER_THREAD
    with database.engine.connect() as connection:
        subjects = connection.execute(text("SELECT DISTINCT subject FROM audit_log")).scalars()
        assert len(set(subjects)) == THREADS


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_without_the_lock_the_same_appends_collide_on_postgresql(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above can fail: without the advisory lock, transactions read the same
    newest entry and link to it; the unique link refuses all but one of them."""
    monkeypatch.setattr(SqlAuditLog, "_wait_for_turn", lambda self: None)
    failures = append_concurrently(database.unit_of_work)
    assert failures, "appends without the lock never overlapped: the test above proves nothing"
    assert all(isinstance(f, Conflict) and "audit_log" in str(f) for f in failures), failures
    verify(database)  # what was stored still forms one chain
