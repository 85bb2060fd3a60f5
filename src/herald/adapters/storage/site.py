"""The site generation, and the watch that bumps it whenever public data changes.

Caches and ETags of public pages key on the generation, so it must move with every
change a reader could see. Rather than trusting each service to remember, a unit of
work watches its own session: any row of a public table written marks the unit of work,
and its ``commit`` bumps the generation in the same transaction. Each table says whether
it is public where it is declared (``class BulletinRow(Base, public=True)``, read by
``tables.base.is_public``): today the publisher, the catalog, and bulletins with their
lists and change log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from herald.adapters.storage.errors import StorageError, translated
from herald.adapters.storage.tables.base import Base, is_public
from herald.adapters.storage.tables.site import SiteStateRow

_ROW = 1


class PublicChanges:
    """Whether a session wrote a public table since the generation was last bumped.

    It listens to the session's flushes (rows added, changed or deleted through the ORM)
    and to its bulk statements (``insert``/``update``/``delete`` of a mapped table).
    """

    def __init__(self, session: Session) -> None:
        self.pending = False
        event.listen(session, "after_flush", self._after_flush)
        event.listen(session, "do_orm_execute", self._on_execute)

    def settled(self) -> None:
        """The generation has just been bumped: nothing is pending any more."""
        self.pending = False

    def _after_flush(self, session: Session, _: UOWTransaction) -> None:
        # After a flush the session still shows what it flushed, with its history.
        if any(_public(row) for row in (*session.new, *session.deleted)) or any(
            _public(row) and session.is_modified(row) for row in session.dirty
        ):
            self.pending = True

    def _on_execute(self, state: ORMExecuteState) -> None:
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        if any(_public_class(mapper.class_) for mapper in state.all_mappers):
            self.pending = True


def _public(row: object) -> bool:
    return isinstance(row, Base) and _public_class(type(row))


def _public_class(cls: type[Any]) -> bool:
    table = getattr(cls, "__table__", None)
    return table is None or is_public(table)


class SqlSiteState:
    """The generation, in the single row of ``site_state`` (seeded with 0 by the migration)."""

    def __init__(self, session: Session, where: str, changes: PublicChanges) -> None:
        self._session = session
        self._where = where
        self._changes = changes
        self.last_bump: int | None = None
        """The value of the latest ``bump`` not committed yet (the unit of work reports it)."""

    @translated
    def generation(self) -> int:
        """The current value."""
        value = self._session.scalar(select(SiteStateRow.generation).where(SiteStateRow.id == _ROW))
        if value is None:
            raise StorageError("the site_state row is missing; migrate the database")
        return value

    @translated
    def bump(self) -> int:
        """Add one within the current transaction, atomically; returns the new value.

        One ``UPDATE ... SET generation = generation + 1 RETURNING generation``: two
        transactions bumping at once wait for each other's row lock, and each sees a
        value of its own. Changes not flushed yet are flushed first, and count as seen.
        """
        self._session.flush()
        value = self._session.execute(
            update(SiteStateRow)
            .where(SiteStateRow.id == _ROW)
            .values(generation=SiteStateRow.generation + 1)
            .returning(SiteStateRow.generation),
            execution_options={"synchronize_session": False},
        ).scalar_one_or_none()
        if value is None:
            raise StorageError("the site_state row is missing; migrate the database")
        self._changes.settled()
        self.last_bump = value
        return value
