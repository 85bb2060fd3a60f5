"""The database: URLs, migrations, emptiness, and errors users can read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from herald import demo
from herald.adapters.storage import Database, StorageError, normalize_url
from herald.adapters.storage.database import alembic_config
from herald.adapters.storage.tables.base import Base
from herald.domain import HeraldError, Status
from herald.services.ports.bulletins import BulletinQuery

from .samples import draft, hypervisor, rich_bulletin, without_identity, xenserver


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("postgresql://user@host:5432/db", "postgresql+psycopg://user@host:5432/db"),
        ("postgres://user:pw@host/db", "postgresql+psycopg://user:pw@host/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("  postgresql://u@h/db\n", "postgresql+psycopg://u@h/db"),
        ("sqlite:///var/herald.db", "sqlite:///var/herald.db"),
        ("sqlite:////abs/herald.db", "sqlite:////abs/herald.db"),
    ],
)
def test_normalize_url(written: str, normalized: str) -> None:
    assert normalize_url(written) == normalized


@pytest.mark.parametrize(
    "written", ["", "herald.db", "mysql://u@h/db", "postgresql+psycopg2://u@h/db", "://x"]
)
def test_normalize_url_refuses_what_herald_cannot_use(written: str) -> None:
    with pytest.raises(StorageError, match="HERALD_DATABASE_URL") as caught:
        normalize_url(written)
    assert isinstance(caught.value, HeraldError)
    assert "\n" not in str(caught.value)


def test_the_fixture_urls_are_the_ones_users_write(database_url: str) -> None:
    assert database_url.startswith(("sqlite:///", "postgresql://"))
    database = Database(database_url)
    try:
        assert database.url == normalize_url(database_url)
        assert database.is_empty()
    finally:
        database.dispose()


def test_a_malformed_url_is_one_line_naming_the_setting(database_url: str) -> None:
    broken = database_url.replace("5432", "not-a-port") if "5432" in database_url else "sqlite:"
    with pytest.raises(StorageError, match="HERALD_DATABASE_URL") as caught:
        Database(broken).migrate()
    assert "\n" not in str(caught.value)


def test_an_unreachable_database_is_one_line_naming_the_setting(
    database_url: str, tmp_path: Path
) -> None:
    if database_url.startswith("sqlite"):
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        unreachable = f"sqlite:///{blocker / 'herald.db'}"
    else:
        unreachable = "postgresql://postgres:secret@127.0.0.1:1/herald"
    with pytest.raises(StorageError, match="HERALD_DATABASE_URL") as caught:
        database = Database(unreachable)
        try:
            database.migrate()
        finally:
            database.dispose()
    message = str(caught.value)
    assert "\n" not in message
    assert "secret" not in message


def test_the_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_go_down_and_up_again(own_database: Database) -> None:
    database = own_database
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
    database.migrate()
    database.migrate()  # a second run has nothing to do
    assert set(Base.metadata.tables) <= set(inspect(database.engine).get_table_names())


def test_a_schema_from_a_newer_herald_is_one_line(own_database: Database) -> None:
    database = own_database
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    with pytest.raises(StorageError, match="HERALD_DATABASE_URL") as caught:
        database.migrate()
    assert "f00dcafe" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_is_empty_until_a_publisher_is_stored(database: Database) -> None:
    assert database.is_empty()
    with database.unit_of_work() as uow:
        uow.publisher.save(demo.publisher())
        uow.commit()
    assert not database.is_empty()


def test_the_database_itself_refuses_a_dangling_reference(database: Database) -> None:
    with database.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() >= 1000
        with pytest.raises(IntegrityError):
            connection.execute(
                text(
                    "INSERT INTO product_versions (product_id, name, position, lifecycle) "
                    "VALUES ('nothing', '1.0', 0, 'supported')"
                )
            )
        connection.rollback()


def test_writers_take_the_lock_first_readers_do_not_write(database: Database) -> None:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        with database.unit_of_work() as uow:
            uow.publisher.get()
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    if database.engine.dialect.name == "sqlite":
        assert statements[0] == "BEGIN IMMEDIATE"
    with database.unit_of_work(read_only=True) as uow:
        assert uow.publisher.get() is None
        if database.engine.dialect.name == "postgresql":
            with pytest.raises(StorageError, match="read-only"):
                uow.publisher.save(demo.publisher())


def test_sqlite_folder_is_created(database_url: str, tmp_path: Path) -> None:
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'herald.db'}"
    database = Database(database_url)
    try:
        database.migrate()
        assert database.is_empty()
    finally:
        database.dispose()
    if database_url.startswith("sqlite"):
        assert (tmp_path / "new" / "folder" / "herald.db").is_file()


def test_read_only_units_of_work_read(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.publisher.save(demo.publisher())
        uow.commit()
    with database.unit_of_work(read_only=True) as uow:
        assert uow.publisher.get() == demo.publisher()


def _demo_data(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.publisher.save(demo.publisher())
        uow.catalog.save_product(xenserver())
        uow.catalog.save_product(hypervisor())
        uow.bulletins.add(demo.reference_bulletin())
        uow.bulletins.add(rich_bulletin())
        uow.bulletins.add(draft("CTX000001", datetime(2026, 5, 1, tzinfo=UTC)))
        uow.commit()


def test_upgrading_from_0001_keeps_the_data(empty_database_url: str, tmp_path: Path) -> None:
    """A database written by the first release, with the demo data, migrates intact."""
    source = Database(f"sqlite:///{tmp_path / 'source.db'}")
    target = Database(empty_database_url)
    try:
        source.migrate()
        _demo_data(source)
        with target.migration_connection() as connection:
            command.upgrade(alembic_config(connection), "0001")
        old_columns = {
            table: {column["name"] for column in inspect(target.engine).get_columns(table)}
            for table in inspect(target.engine).get_table_names()
        }
        assert "users" not in old_columns
        assert "release_at" not in old_columns["bulletins"]
        # Copy every row the 0001 schema can hold, as the first release wrote it.
        with source.engine.connect() as read, target.engine.begin() as write:
            for table in Base.metadata.sorted_tables:
                if table.name not in old_columns:
                    continue
                columns = [c for c in table.columns if c.name in old_columns[table.name]]
                rows = [dict(row._mapping) for row in read.execute(select(*columns))]
                if rows:
                    write.execute(insert(table), rows)

        target.migrate()

        with target.unit_of_work(read_only=True) as uow:
            assert uow.publisher.get() == demo.publisher()
            # the demo's components and identifiers came with 0016: not in a 0001 database
            assert uow.catalog.load().products == (without_identity(xenserver()), hypervisor())
            assert uow.bulletins.find(demo.REFERENCE_ID) == demo.reference_bulletin()
            # 0001 had no weaknesses (0015): the first release could not store them
            assert uow.bulletins.find("CTX700001") == replace(rich_bulletin(), weaknesses={})
            stored = uow.bulletins.list()
            assert len(stored) == 3
            for bulletin in stored:
                assert bulletin.created_by is None
                assert bulletin.approved_by is None
                assert bulletin.release_at is None
            assert uow.site.generation() == 0
            assert uow.users.list() == []
            assert uow.audit.list() == []
            page = uow.bulletins.query(BulletinQuery())
            assert [b.status for b in page.bulletins] == [Status.PUBLISHED, Status.PUBLISHED]
        with target.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        source.dispose()
        target.dispose()


def test_0002_goes_down_to_0001_keeping_the_bulletins(own_database: Database) -> None:
    database = own_database
    _demo_data(database)
    with database.migration_connection() as connection:
        command.downgrade(alembic_config(connection), "0001")
    with database.engine.connect() as connection:
        ids = connection.execute(text("SELECT article_id FROM bulletins ORDER BY 1")).scalars()
        assert list(ids) == ["CTX000001", demo.REFERENCE_ID, "CTX700001"]
    database.migrate()
    with database.unit_of_work(read_only=True) as uow:
        assert uow.bulletins.find(demo.REFERENCE_ID) == demo.reference_bulletin()
        assert uow.site.generation() == 0
