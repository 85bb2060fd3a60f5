"""Storage on SQLite and PostgreSQL: the database, its units of work and repositories."""

from herald.adapters.storage.database import Database, normalize_url
from herald.adapters.storage.errors import StorageError
from herald.adapters.storage.unit_of_work import SqlUnitOfWork

__all__ = ["Database", "SqlUnitOfWork", "StorageError", "normalize_url"]
