"""The database: its URL, its engine, its migrations and its units of work."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import cast

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import URL, Engine, create_engine, event, func, inspect, make_url, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from herald.adapters.storage.errors import SETTING, StorageError, storage_errors
from herald.adapters.storage.tables.catalog import PublisherRow
from herald.adapters.storage.unit_of_work import SqlUnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"
"""The Alembic scripts, shipped inside the package."""

_EXPECTED = "expected postgresql://user@host:5432/dbname or sqlite:///path/to/herald.db"
_POSTGRES_SCHEMES = ("postgres", "postgresql", "postgres+psycopg", "postgresql+psycopg")
_SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
_READ_ONLY = "herald_read_only"
"""Execution option: begin a plain (deferred) transaction on SQLite, a read-only one elsewhere."""
_BUSY_TIMEOUT_MS = 5000
_CONNECT_TIMEOUT_S = 10
_MIGRATION_LOCK = 7_263_541_001
"""PostgreSQL advisory lock key: two processes starting at once migrate one after the other."""


def normalize_url(url: str) -> str:
    """The SQLAlchemy form of a database URL as users write it.

    ``postgres://`` and ``postgresql://`` become ``postgresql+psycopg://`` (psycopg 3);
    ``sqlite:///path`` stays as it is. Anything else raises ``StorageError``.
    """
    stripped = url.strip()
    scheme, separator, rest = stripped.partition("://")
    if not separator or not scheme:
        raise StorageError(f"{SETTING} is not a database URL ({_EXPECTED})")
    lowered = scheme.lower()
    if lowered in _POSTGRES_SCHEMES:
        return f"postgresql+psycopg://{rest}"
    if lowered in _SQLITE_SCHEMES:
        return stripped
    raise StorageError(f"{SETTING}: herald does not support {scheme!r} databases ({_EXPECTED})")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code (no ``alembic.ini`` needed at run time)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


class Database:
    """One herald database, SQLite or PostgreSQL, built from ``HERALD_DATABASE_URL``."""

    def __init__(self, url: str) -> None:
        self._url = _parse(normalize_url(url))
        self._display = self._url.render_as_string(hide_password=True)
        try:
            if self._url.get_backend_name() == "sqlite":
                self._engine = _sqlite_engine(self._url)
            else:
                self._engine = create_engine(
                    self._url,
                    pool_pre_ping=True,
                    connect_args={"connect_timeout": _CONNECT_TIMEOUT_S},
                )
        except (ArgumentError, NoSuchModuleError, ValueError, TypeError) as error:
            raise StorageError(f"{SETTING}: {self._display} cannot be used ({error})") from error
        self._sessions = sessionmaker(self._engine)
        read_only = {_READ_ONLY: True} if self.is_sqlite else {"postgresql_readonly": True}
        self._read_sessions = sessionmaker(self._engine.execution_options(**read_only))
        self._committed = 0
        self._committed_lock = threading.Lock()

    def describe(self) -> str:
        """The URL without its password, for messages and logs."""
        return self._display

    @property
    def url(self) -> str:
        """The normalized URL (with its password)."""
        return self._url.render_as_string(hide_password=False)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for tools and tests; services use units of work."""
        return self._engine

    @property
    def is_sqlite(self) -> bool:
        return self._url.get_backend_name() == "sqlite"

    def migrate(self) -> None:
        """Bring the schema up to the newest revision (Alembic ``upgrade head``)."""
        with self._errors(), self.migration_connection() as connection:
            try:
                command.upgrade(alembic_config(connection), "head")
            except CommandError as error:
                raise StorageError(
                    f"{SETTING}: cannot migrate the database at {self._display} ({error}); "
                    "is it from a newer herald?"
                ) from error

    @contextmanager
    def migration_connection(self) -> Iterator[Connection]:
        """A connection in a transaction, ready for Alembic; committed when the block ends.

        On PostgreSQL an advisory lock makes concurrent migrations wait for each other.
        On SQLite foreign keys are off while the migration runs, because a batch
        migration recreates tables and a cascading DROP TABLE would delete rows; they
        are checked before the commit and switched on again afterwards.
        """
        with self._engine.connect() as connection:
            if connection.dialect.name != "sqlite":
                with connection.begin():
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
                    )
                    yield connection
                return
            raw = cast(sqlite3.Connection, connection.connection.driver_connection)
            raw.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
            try:
                with connection.begin():
                    yield connection
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise StorageError(
                            f"{SETTING}: migrating {self._display} would leave a dangling "
                            f"reference in table {broken[0]}"
                        )
            finally:
                raw.execute("PRAGMA foreign_keys = ON")

    def is_empty(self) -> bool:
        """True until a publisher is stored (also when the schema is not there yet)."""
        with self._errors(), self._engine.connect() as connection:
            connection = connection.execution_options(**{_READ_ONLY: True})
            if not inspect(connection).has_table(PublisherRow.__tablename__):
                return True
            count = connection.execute(select(func.count()).select_from(PublisherRow))
            return count.scalar_one() == 0

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        """A fresh unit of work (one transaction).

        ``read_only`` is a promise not to write: on SQLite it begins a deferred
        transaction that does not wait for writers, on PostgreSQL a read-only one.
        """
        if read_only:
            return SqlUnitOfWork(self._read_sessions(), self._display)
        return SqlUnitOfWork(self._sessions(), self._display, self._note_public_commit)

    def committed_generation(self) -> int:
        """The newest site generation a unit of work of this object committed (0 before any).

        No I/O: a cache in this process compares it with the generation it read, to see its
        own process's changes at once (changes made elsewhere need a read).
        """
        return self._committed

    def _note_public_commit(self, generation: int) -> None:
        with self._committed_lock:
            self._committed = max(self._committed, generation)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def _errors(self) -> AbstractContextManager[None]:
        return storage_errors(self._display)


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as error:
        raise StorageError(f"{SETTING} is not a valid database URL ({_EXPECTED})") from error


def _sqlite_engine(url: URL) -> Engine:
    """SQLite the way a server needs it: foreign keys, WAL, a busy timeout, BEGIN IMMEDIATE,
    and a ``lower()`` that knows more than ASCII."""
    path = url.database or ""
    in_memory = path in ("", ":memory:") or url.query.get("mode") == "memory"
    if not in_memory:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(
                f"{SETTING}: cannot create the folder of {path} ({error})"
            ) from error
    engine = create_engine(url, poolclass=StaticPool) if in_memory else create_engine(url)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _: ConnectionPoolEntry) -> None:
        # SQLAlchemy's recipe: pysqlite must not emit BEGIN itself, "begin" below does.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # lower() of Python, so that searches ignore case beyond ASCII, as on PostgreSQL.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Writers take the write lock up front: no "database is locked" on lock upgrade.
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _lower(value: str | bytes | None) -> str | bytes | None:
    return value.lower() if isinstance(value, str) else value


__all__ = ["MIGRATIONS", "Database", "alembic_config", "normalize_url"]
