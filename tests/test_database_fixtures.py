"""The shared database fixtures keep tests apart: what one test writes, the next never sees.

PostgreSQL cases share one migrated database per worker, cleared before each test; these
tests check the clearing itself, on the worker's database.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text

from herald import demo
from herald.adapters.storage import Database
from herald.adapters.storage.database import alembic_config
from herald.domain.audit import AuditEntry
from tests.conftest import _url_of, _WorkerDatabase

pytestmark = pytest.mark.postgres

AT = datetime(2026, 5, 1, tzinfo=UTC)


def _write_everything(url: str) -> None:
    database = Database(url)
    try:
        with database.unit_of_work() as uow:
            uow.publisher.save(demo.publisher())
            for product in demo.catalog().products:
                uow.catalog.save_product(product)
            uow.bulletins.add(demo.reference_bulletin())
            uow.audit.append(AuditEntry(at=AT, actor="alice", action="x.y", subject="s"))
            uow.commit()
    finally:
        database.dispose()


def _state(url: str) -> tuple[bool, list[tuple[object, ...]], int | None]:
    """Whether it is empty, the site state row, and the id the next audit entry gets."""
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            site = [tuple(row) for row in connection.execute(text("SELECT * FROM site_state"))]
        with database.unit_of_work() as uow:
            stored = uow.audit.append(AuditEntry(at=AT, actor="bob", action="x.y", subject="t"))
            # not committed: the unit of work rolls back when it ends
        return database.is_empty(), site, stored.id
    finally:
        database.dispose()


@pytest.fixture
def worker(_postgres_worker_database: _WorkerDatabase) -> _WorkerDatabase:
    _postgres_worker_database.reset()
    return _postgres_worker_database


def test_a_reset_leaves_what_the_migrations_wrote_and_nothing_else(
    worker: _WorkerDatabase,
) -> None:
    url = _url(worker)
    clean = _state(url)
    assert clean[0] is True and clean[1], clean
    _write_everything(url)
    assert _state(url)[0] is False
    worker.reset()
    assert _state(url) == clean  # same rows, and the audit numbering starts again


def test_a_moved_schema_is_made_again(worker: _WorkerDatabase) -> None:
    url = _url(worker)
    clean = _state(url)
    database = Database(url)
    try:
        with database.migration_connection() as connection:
            command.downgrade(alembic_config(connection), "0001")
    finally:
        database.dispose()
    worker.reset()
    assert _state(url) == clean
    database = Database(url)
    try:
        database.migrate()  # already at the newest revision: nothing to do
    finally:
        database.dispose()


def test_open_connections_do_not_hold_the_reset_up(worker: _WorkerDatabase) -> None:
    url = _url(worker)
    _write_everything(url)
    database = Database(url)
    connection = database.engine.connect()
    connection.execute(text("SELECT 1 FROM bulletins FOR UPDATE"))  # a lock left behind
    try:
        worker.reset()
        assert _state(url)[0] is True
    finally:
        connection.invalidate()
        database.dispose()


def _url(worker: _WorkerDatabase) -> str:
    return _url_of(worker.name)
