"""Shared fixtures: a real database on each backend, SQLite and PostgreSQL.

``database_url`` is parametrized, so every test that uses it (or ``database`` or
``uow_factory``) runs twice, with the ids ``sqlite`` and ``postgres``:

- ``sqlite``: a file under the test's ``tmp_path``;
- ``postgres``: a brand-new empty database ``herald_test_<random hex>`` created on the
  server at ``postgresql://postgres@127.0.0.1:5432/postgres`` (override with
  ``HERALD_TEST_POSTGRES_URL``) and dropped afterwards, its connections terminated first.

One database per test: creating one takes a few tens of milliseconds and migrating it a
hundred or so, cheap enough to give every test a truly empty database instead of
rolling back shared state. Random names keep pytest-xdist workers apart.

When PostgreSQL does not answer, the ``postgres`` cases are skipped with the reason
(shown by ``-ra``); with ``HERALD_REQUIRE_POSTGRES=1`` (CI) they fail instead. Those
cases carry the ``postgres`` marker: ``pytest -m "not postgres"`` leaves them out.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from herald.adapters.storage import Database, SqlUnitOfWork

POSTGRES_ADMIN_URL = os.environ.get(
    "HERALD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
"""A superuser connection to the server's maintenance database."""


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


@pytest.fixture
def _postgres_database(_postgres_unavailable: str | None) -> Iterator[str]:
    """A new, empty PostgreSQL database; its URL as a user writes it."""
    if _postgres_unavailable is not None:
        if os.environ.get("HERALD_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{_postgres_unavailable} (and HERALD_REQUIRE_POSTGRES=1)")
        pytest.skip(_postgres_unavailable)
    name = f"herald_test_{secrets.token_hex(6)}"
    with _admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new, empty database (not migrated): a SQLite file or a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'herald.db'}"
    url: str = request.getfixturevalue("_postgres_database")
    return url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated ``Database`` on ``database_url``, disposed afterwards."""
    db = Database(database_url)
    try:
        db.migrate()
        yield db
    finally:
        db.dispose()


@pytest.fixture
def uow_factory(database: Database) -> Callable[[], SqlUnitOfWork]:
    """A zero-argument callable returning a fresh unit of work on ``database``."""
    return database.unit_of_work
