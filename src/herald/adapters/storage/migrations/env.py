"""Alembic environment for herald.

``Database.migrate()`` passes its own connection in ``config.attributes``; a developer
running ``alembic`` by hand gets one from ``HERALD_DATABASE_URL`` (or ``sqlalchemy.url``).
"""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from herald.adapters.storage.database import Database, normalize_url
from herald.adapters.storage.tables import Base, UtcDateTime

config = context.config
target_metadata = Base.metadata

if config.config_file_name is not None and "connection" not in config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        # herald's SQLite engine emits its own BEGIN, so DDL there is transactional too.
        transactional_ddl=True,
        compare_type=True,
        render_item=_render_item,
    )


def _render_item(kind: str, item: Any, _: AutogenContext) -> str | Literal[False]:
    """Revisions spell herald's column types in plain SQLAlchemy, so they never import herald."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    """Print the SQL (``alembic upgrade head --sql``) instead of running it."""
    context.configure(
        url=normalize_url(_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a live connection."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    database = Database(_url())
    try:
        with database.migration_connection() as own:
            _configure(own)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        database.dispose()


def _url() -> str:
    url = os.environ.get("HERALD_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set HERALD_DATABASE_URL to the database to migrate")
    return url


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
