"""Shared fixtures: a real database on each backend, SQLite and PostgreSQL.

``database_url`` is parametrized, so every test that uses it (or ``database`` or
``uow_factory``) runs twice, with the ids ``sqlite`` and ``postgres``. It is a database
migrated to the newest revision and holding only what the migrations write, as herald
leaves a new database the first time it opens it. Migrating is done once per pytest worker
and each test gets a clean copy:

- ``sqlite``: a copy, under the test's ``tmp_path``, of a file this worker migrated once;
- ``postgres``: this worker's database ``herald_test_<worker>_<random hex>`` on the server
  at ``postgresql://postgres@127.0.0.1:5432/postgres`` (override with
  ``HERALD_TEST_POSTGRES_URL``), cleared before each test: its other connections are
  ended, every table is emptied and refilled with the rows the migrations wrote, and every
  sequence is set back. If a test left a different schema behind, the database is dropped
  and made again.

A test that moves the schema itself (a migration test) asks for ``empty_database_url``, a
brand-new database nobody migrated, or ``own_database``, one migrated for it alone.

When PostgreSQL does not answer, the ``postgres`` cases are skipped with the reason
(shown by ``-ra``); with ``HERALD_REQUIRE_POSTGRES=1`` (CI) they fail instead. Those
cases carry the ``postgres`` marker: ``pytest -m "not postgres"`` leaves them out.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import psycopg
import pytest
from psycopg import sql

from herald.adapters.storage import Database, SqlUnitOfWork

_T = TypeVar("_T")

POSTGRES_ADMIN_URL = os.environ.get(
    "HERALD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
"""A superuser connection to the server's maintenance database."""

_BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def _postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers (asked once per session)."""
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} does not answer: {first_line}"
    return None


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)


def _require_postgres(unavailable: str | None) -> None:
    if unavailable is not None:
        if os.environ.get("HERALD_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{unavailable} (and HERALD_REQUIRE_POSTGRES=1)")
        pytest.skip(unavailable)


def _url_of(name: str) -> str:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


def _create_postgres_database(prefix: str) -> str:
    name = f"{prefix}_{secrets.token_hex(6)}"
    with _admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def _end_connections(admin: psycopg.Connection[tuple[object, ...]], name: str) -> None:
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )


def _drop_postgres_database(name: str) -> None:
    with _admin() as admin:
        _end_connections(admin, name)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _migrate(url: str) -> None:
    database = Database(url)
    try:
        database.migrate()
    finally:
        database.dispose()


# --- a brand-new database, not migrated ----------------------------------------------


@pytest.fixture
def _postgres_database(_postgres_unavailable: str | None) -> Iterator[str]:
    """A new, empty PostgreSQL database; its URL as a user writes it."""
    _require_postgres(_postgres_unavailable)
    name = _create_postgres_database("herald_test")
    try:
        yield _url_of(name)
    finally:
        _drop_postgres_database(name)


@pytest.fixture(params=_BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a brand-new database that nobody migrated (for migration tests)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    url: str = request.getfixturevalue("_postgres_database")
    return url


@pytest.fixture
def own_database(empty_database_url: str) -> Iterator[Database]:
    """A migrated ``Database`` of this test alone, free to move its schema up and down."""
    db = Database(empty_database_url)
    try:
        db.migrate()
        yield db
    finally:
        db.dispose()


# --- a migrated database, migrated once per worker -----------------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file this worker migrated once, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "herald.db"
    _migrate(f"sqlite:///{path}")
    return path


@dataclass(frozen=True)
class DatabaseContents:
    """Every row and sequence value of a PostgreSQL database's tables, to put back."""

    tables: tuple[str, ...]
    rows: tuple[tuple[str, bytes], ...]
    """(table, ``COPY`` text) for each table with rows."""
    sequences: tuple[tuple[str, int | None], ...]
    """(qualified name, last value or None when never used)."""

    @classmethod
    def read(cls, connection: psycopg.Connection[tuple[object, ...]]) -> DatabaseContents:
        tables = tuple(
            str(row[0])
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        )
        rows: list[tuple[str, bytes]] = []
        for table in tables:
            copy_out = sql.SQL("COPY {} TO STDOUT").format(sql.Identifier(table))
            with connection.cursor() as cursor, cursor.copy(copy_out) as copy:
                data = b"".join(bytes(chunk) for chunk in copy)
            if data:
                rows.append((table, data))
        sequences = tuple(
            (f'"{schema}"."{sequence}"', None if last is None else int(str(last)))
            for schema, sequence, last in connection.execute(
                "SELECT schemaname, sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public'"
            )
        )
        return cls(tables, tuple(rows), sequences)

    def write(self, connection: psycopg.Connection[tuple[object, ...]]) -> None:
        """Empty every table (triggers off), copy the rows in, set the sequences back;
        in the connection's transaction (the caller commits)."""
        statements = ["SET LOCAL session_replication_role = replica"]
        statements += [f'DELETE FROM "{table}"' for table in self.tables]
        for qualified, last_value in self.sequences:
            if last_value is None:
                statements.append(f"ALTER SEQUENCE {qualified} RESTART")
            else:
                statements.append(f"SELECT setval('{qualified}', {last_value}, true)")
        connection.execute(";\n".join(statements))
        for table, data in self.rows:
            copy_in = sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(table))
            with connection.cursor() as cursor, cursor.copy(copy_in) as copy:
                copy.write(data)


@dataclass
class _WorkerDatabase:
    """This worker's migrated PostgreSQL database and what a clean copy of it holds."""

    name: str
    schema: str = ""
    clean: DatabaseContents = DatabaseContents((), (), ())

    def remember_clean_state(self) -> None:
        """Note the schema and the rows and sequences the migrations left."""
        with psycopg.connect(_url_of(self.name), autocommit=True) as connection:
            self.schema = _schema_fingerprint(connection)
            self.clean = DatabaseContents.read(connection)

    def reset(self, contents: DatabaseContents | None = None) -> None:
        """Make the database clean again (as migrated, or made anew if the schema moved),
        or, given ``contents`` read off this schema, hold those."""
        with _admin() as admin:
            _end_connections(admin, self.name)
        with psycopg.connect(_url_of(self.name)) as connection:
            if _schema_fingerprint(connection) == self.schema:
                (contents or self.clean).write(connection)  # one transaction with the check
                connection.commit()
                return
        self.recreate()
        if contents is not None:
            with psycopg.connect(_url_of(self.name)) as connection:
                contents.write(connection)
                connection.commit()

    def hold(self, contents: DatabaseContents) -> None:
        """Hold ``contents`` (read off this schema) now; right after ``reset``, which
        checked the schema."""
        with _admin() as admin:
            _end_connections(admin, self.name)
        with psycopg.connect(_url_of(self.name)) as connection:
            contents.write(connection)
            connection.commit()

    def read(self) -> DatabaseContents:
        """What the database holds now (its other connections ended first)."""
        with _admin() as admin:
            _end_connections(admin, self.name)
        with psycopg.connect(_url_of(self.name), autocommit=True) as connection:
            return DatabaseContents.read(connection)

    def recreate(self) -> None:
        _drop_postgres_database(self.name)
        with _admin() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        _migrate(_url_of(self.name))
        self.remember_clean_state()


def _schema_fingerprint(connection: psycopg.Connection[tuple[object, ...]]) -> str:
    """The revision plus a digest of the tables, columns, indexes and triggers."""
    row = connection.execute(
        "SELECT (SELECT string_agg(version_num, ',') FROM alembic_version), md5("
        " coalesce((SELECT string_agg(table_name || '.' || column_name || ':' || data_type"
        "   || ':' || coalesce(column_default, ''), ',' ORDER BY table_name, column_name)"
        "  FROM information_schema.columns WHERE table_schema = 'public'), '')"
        " || coalesce((SELECT string_agg(indexdef, ',' ORDER BY indexdef) FROM pg_indexes"
        "  WHERE schemaname = 'public'), '')"
        " || coalesce((SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger"
        "  WHERE NOT tgisinternal), ''))"
    ).fetchone()
    assert row is not None
    return f"{row[0]}:{row[1]}"


@pytest.fixture(scope="session")
def _postgres_worker_database(
    _postgres_unavailable: str | None, worker_id: str
) -> Iterator[_WorkerDatabase]:
    _require_postgres(_postgres_unavailable)
    name = _create_postgres_database(f"herald_test_{worker_id}")
    worker = _WorkerDatabase(name)
    try:
        _migrate(_url_of(name))
        worker.remember_clean_state()
        yield worker
    finally:
        _drop_postgres_database(name)


@pytest.fixture(params=_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a migrated database holding only what the migrations wrote."""
    if request.param == "sqlite":
        path = tmp_path / "herald.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite:///{path}"
    worker: _WorkerDatabase = request.getfixturevalue("_postgres_worker_database")
    worker.reset()
    return _url_of(worker.name)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A ``Database`` on ``database_url`` (migrated), disposed afterwards."""
    db = Database(database_url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def uow_factory(database: Database) -> Callable[[], SqlUnitOfWork]:
    """A zero-argument callable returning a fresh unit of work on ``database``."""
    return database.unit_of_work


# --- snapshots: a state made once per worker, put back for each test -----------------


@dataclass(frozen=True)
class _Snapshot:
    value: object
    sqlite_file: Path | None
    postgres: DatabaseContents | None
    data_dir: Path | None


class DatabaseSnapshots:
    """States that take long to make (the demo data, a world of drafts and accounts), made
    once per worker and backend and put back for each test that asks.

    ``restore_or_make(key, data_dir, make)`` must come first on this test's
    ``database_url`` (still as migrated, nothing connected). The first time, it runs
    ``make()``, which writes through its own connections and closes them, and keeps what
    the database and ``data_dir`` then hold and what ``make`` returned. Later tests get
    those back: the same rows, sequences, files and value. The value is shared between
    tests, so it should be immutable. ``key`` names everything ``make`` depends on.
    """

    def __init__(
        self,
        store: dict[tuple[str, object], _Snapshot],
        folder: Path,
        database_url: str,
        worker: _WorkerDatabase | None,
    ) -> None:
        self._store = store
        self._folder = folder
        self._url = database_url
        self._worker = worker

    def restore_or_make(self, key: object, data_dir: Path, make: Callable[[], _T]) -> _T:
        backend = "sqlite" if self._worker is None else "postgres"
        snapshot = self._store.get((backend, key))
        if snapshot is None:
            value = make()
            snapshot = self._keep(value, data_dir)
            self._store[(backend, key)] = snapshot
            return value
        self._put_back(snapshot, data_dir)
        return snapshot.value  # type: ignore[return-value]

    def _keep(self, value: object, data_dir: Path) -> _Snapshot:
        place = self._folder / secrets.token_hex(6)
        place.mkdir(parents=True)
        kept_dir = None
        if data_dir.exists():
            kept_dir = place / "data"
            shutil.copytree(data_dir, kept_dir, symlinks=True)
        if self._worker is not None:
            return _Snapshot(value, None, self._worker.read(), kept_dir)
        kept_file = place / "herald.db"
        with (
            closing(sqlite3.connect(self._url.removeprefix("sqlite:///"))) as source,
            closing(sqlite3.connect(kept_file)) as copy,
        ):
            source.backup(copy)
        return _Snapshot(value, kept_file, None, kept_dir)

    def _put_back(self, snapshot: _Snapshot, data_dir: Path) -> None:
        if snapshot.data_dir is not None:
            shutil.copytree(snapshot.data_dir, data_dir, symlinks=True, dirs_exist_ok=True)
        if self._worker is not None:
            assert snapshot.postgres is not None
            self._worker.hold(snapshot.postgres)
            return
        assert snapshot.sqlite_file is not None
        path = Path(self._url.removeprefix("sqlite:///"))
        for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            extra.unlink(missing_ok=True)
        shutil.copyfile(snapshot.sqlite_file, path)


@pytest.fixture(scope="session")
def _snapshot_store() -> dict[tuple[str, object], _Snapshot]:
    return {}


@pytest.fixture
def database_snapshots(
    request: pytest.FixtureRequest,
    database_url: str,
    _snapshot_store: dict[tuple[str, object], _Snapshot],
    tmp_path_factory: pytest.TempPathFactory,
) -> DatabaseSnapshots:
    """Put back, on this test's ``database_url``, a state made once (``DatabaseSnapshots``)."""
    worker = None
    if not database_url.startswith("sqlite"):
        worker = request.getfixturevalue("_postgres_worker_database")
    return DatabaseSnapshots(
        _snapshot_store, tmp_path_factory.getbasetemp() / "snapshots", database_url, worker
    )
