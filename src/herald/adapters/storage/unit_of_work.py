"""One transaction over the SQL repositories."""

from __future__ import annotations

from contextlib import suppress
from types import TracebackType
from typing import Self

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from herald.adapters.storage.errors import storage_errors
from herald.adapters.storage.repositories import (
    SqlBulletinRepository,
    SqlCatalogRepository,
    SqlPublisherRepository,
)
from herald.services.ports import BulletinRepository, CatalogRepository, PublisherRepository


class SqlUnitOfWork:
    """One SQLAlchemy session: commit to keep the changes, leave without to roll them back.

    Use it as a context manager, once::

        with database.unit_of_work() as uow:
            uow.bulletins.add(bulletin)
            uow.commit()
    """

    publisher: PublisherRepository
    catalog: CatalogRepository
    bulletins: BulletinRepository

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where
        self.publisher = SqlPublisherRepository(session, where)
        self.catalog = SqlCatalogRepository(session, where)
        self.bulletins = SqlBulletinRepository(session, where)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back anything not committed and give the connection back."""
        try:
            if exc is None:
                with storage_errors(self._where):
                    self._session.rollback()
            else:
                # The error already on its way out says more than a failed rollback would.
                with suppress(SQLAlchemyError):
                    self._session.rollback()
        finally:
            self._session.close()

    def commit(self) -> None:
        """Make everything done so far permanent."""
        with storage_errors(self._where):
            self._session.commit()
