"""The bulletin repository: bulletins by article id, queried and paged in SQL.

Whatever the query, a bulletin is read with a fixed number of statements: the rows of
the page first, then each of its lists for every bulletin of the page at once.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from herald.adapters.storage import queries
from herald.adapters.storage.errors import translated
from herald.adapters.storage.mapping import bulletin_from_row, bulletin_to_row, changelog_row
from herald.adapters.storage.tables.bulletins import (
    AffectedRow,
    BulletinRow,
    FixRow,
    NotAffectedRow,
    NotCoveredRow,
    UnderInvestigationRow,
)
from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import CatalogReferences, ChannelRef, VersionRef
from herald.domain.errors import Conflict, NotFound
from herald.domain.ids import ProductId
from herald.domain.workflow import check_changelog_extends
from herald.services.ports.bulletins import (
    MAX_HEADLINES,
    BulletinHeadline,
    BulletinPage,
    BulletinQuery,
)

_BULLETIN_LISTS: tuple[ExecutableOption, ...] = (
    selectinload(BulletinRow.cves),
    selectinload(BulletinRow.cvss),
    selectinload(BulletinRow.weaknesses),
    selectinload(BulletinRow.affected),
    selectinload(BulletinRow.fixes),
    selectinload(BulletinRow.sections),
    selectinload(BulletinRow.not_covered),
    selectinload(BulletinRow.not_affected),
    selectinload(BulletinRow.under_investigation),
    selectinload(BulletinRow.changelog),
)
"""Every list of a bulletin, each read for all the bulletins of a statement at once."""

_SCHEDULED = Status.SCHEDULED.value


class SqlBulletinRepository:
    """Bulletins by article id; the change log only ever grows."""

    def __init__(self, session: Session, where: str) -> None:
        self._session = session
        self._where = where

    @translated
    def find(self, article_id: str) -> Bulletin | None:
        row = self._row(article_id)
        return None if row is None else bulletin_from_row(row)

    @translated
    def find_public(self, article_id: str) -> Bulletin | None:
        row = self._session.scalars(
            select(BulletinRow)
            .where(BulletinRow.article_id == article_id, BulletinRow.status.in_(queries.PUBLIC))
            .options(*_BULLETIN_LISTS)
            .execution_options(populate_existing=True)
        ).one_or_none()
        return None if row is None else bulletin_from_row(row)

    @translated
    def list(self) -> Sequence[Bulletin]:
        rows = self._session.scalars(
            select(BulletinRow)
            .options(*_BULLETIN_LISTS)
            .order_by(BulletinRow.updated_at.desc(), BulletinRow.article_id.desc())
            .execution_options(populate_existing=True)
        )
        return [bulletin_from_row(row) for row in rows]

    @translated
    def article_ids(self) -> Sequence[str]:
        return self._session.scalars(
            select(BulletinRow.article_id).order_by(BulletinRow.article_id)
        ).all()

    @translated
    def add(self, bulletin: Bulletin) -> None:
        if self._session.get(BulletinRow, bulletin.article_id) is not None:
            raise Conflict(f"article id {bulletin.article_id} is already taken")
        row = BulletinRow(article_id=bulletin.article_id)
        bulletin_to_row(bulletin, row, stored=None)
        row.changelog = [
            changelog_row(bulletin.article_id, position, entry)
            for position, entry in enumerate(bulletin.changelog)
        ]
        self._session.add(row)
        self._session.flush()

    @translated
    def update(self, bulletin: Bulletin) -> None:
        row = self._row(bulletin.article_id)
        if row is None:
            raise NotFound(f"no bulletin {bulletin.article_id}")
        stored = bulletin_from_row(row)
        check_changelog_extends(stored.changelog, bulletin.changelog)
        bulletin_to_row(bulletin, row, stored)
        for position in range(len(stored.changelog), len(bulletin.changelog)):
            row.changelog.append(
                changelog_row(bulletin.article_id, position, bulletin.changelog[position])
            )
        self._session.flush()

    @translated
    def delete(self, article_id: str) -> None:
        row = self._session.get(BulletinRow, article_id)
        if row is None:
            raise NotFound(f"no bulletin {article_id}")
        self._session.delete(row)
        self._session.flush()

    @translated
    def query(self, query: BulletinQuery) -> BulletinPage:
        """The bulletins matching ``query``, filtered, ordered and paged in the database.

        One statement decides the page and counts the total with a window function (a
        second one counts when a cursor is given or the page is past the end), then the
        page's bulletins are loaded at once. A text search matches every word of the text, each
        in the article id, title, problem or a CVE id (case-insensitive, ``%`` and ``_``
        taken literally). ``ValidationError`` names a field no page can answer (a page
        size outside 1 to ``queries.MAX_LIMIT``, a negative offset, a version without its
        product).
        """
        queries.check(query)
        where = queries.conditions(query)
        ordering = queries.Ordering(query)
        if query.after is None:
            # One scan: the window count is the total of the matching rows before paging.
            page = select(BulletinRow.article_id, func.count().over()).where(*where)
        else:
            after = self._after(query.after, ordering)
            page = select(BulletinRow.article_id, literal(0)).where(*where, after)
        page = page.order_by(*ordering.order_by()).limit(query.limit).offset(query.offset)
        rows = self._session.execute(page).all()
        ids = [article_id for article_id, _ in rows]
        total: int | None
        if rows and query.after is None:
            total = rows[0][1]
        else:  # a cursor, or a page past the end: the window saw nothing to count
            total = self._session.scalar(
                select(func.count()).select_from(BulletinRow).where(*where)
            )
        return BulletinPage(bulletins=tuple(self._load(ids)), total=total or 0)

    @translated
    def headlines(self, query: BulletinQuery) -> Sequence[BulletinHeadline]:
        queries.check(query, MAX_HEADLINES)
        where = queries.conditions(query)
        ordering = queries.Ordering(query)
        if query.after is not None:
            where.append(self._after(query.after, ordering))
        rows = self._session.execute(
            select(
                BulletinRow.article_id,
                BulletinRow.title,
                BulletinRow.status,
                BulletinRow.published_at,
                BulletinRow.updated_at,
            )
            .where(*where)
            .order_by(*ordering.order_by())
            .limit(query.limit)
            .offset(query.offset)
        ).all()
        return [
            BulletinHeadline(article_id, title, Status(status), published_at, updated_at)
            for article_id, title, status, published_at, updated_at in rows
        ]

    @translated
    def public_references(self) -> CatalogReferences:
        """One statement per reference table, each joined to the public bulletins;
        distinct rows only (a catalog entry many bulletins name counts once)."""
        public = BulletinRow.status.in_(queries.PUBLIC)
        versions: set[VersionRef] = set()
        for table in (AffectedRow, NotCoveredRow, NotAffectedRow, UnderInvestigationRow):
            rows = self._session.execute(
                select(table.product_id, table.version_name)
                .distinct()
                .join(BulletinRow, BulletinRow.article_id == table.article_id)
                .where(public)
            )
            versions.update(VersionRef(ProductId(p), v) for p, v in rows)
        channels: set[ChannelRef] = set()
        releases: set[tuple[ChannelRef, str]] = set()
        for product, version, channel, release in self._session.execute(
            select(FixRow.product_id, FixRow.version_name, FixRow.channel_name, FixRow.release_name)
            .distinct()
            .join(BulletinRow, BulletinRow.article_id == FixRow.article_id)
            .where(public)
        ):
            ref = ChannelRef(ProductId(product), version, channel)
            channels.add(ref)
            if release is not None:
                releases.add((ref, release))
        return CatalogReferences.of(versions, channels, releases)

    @translated
    def next_release_at(self) -> datetime | None:
        return self._session.scalar(
            select(func.min(BulletinRow.release_at)).where(BulletinRow.status == _SCHEDULED)
        )

    @translated
    def due_for_release(self, now: datetime) -> Sequence[Bulletin]:
        """Scheduled bulletins whose release instant has come, earliest first, locked.

        PostgreSQL locks their rows (``FOR UPDATE SKIP LOCKED``) until the transaction
        ends: a second worker asking at the same time skips them. SQLite has no row locks
        and needs none: a writing unit of work holds the database's write lock from its
        first statement (``BEGIN IMMEDIATE``), so two workers run one after the other.
        """
        ids = self._session.scalars(
            select(BulletinRow.article_id)
            .where(BulletinRow.status == _SCHEDULED, BulletinRow.release_at <= now)
            .order_by(BulletinRow.release_at, BulletinRow.article_id)
            .with_for_update(skip_locked=True)
        ).all()
        return self._load(ids)

    def _after(
        self, cursor: tuple[datetime, str], ordering: queries.Ordering
    ) -> ColumnElement[bool]:
        """The rows after ``cursor`` (the sort instant and article id of the last one seen)."""
        published = True
        if ordering.needs_cursor_group():
            published = self._session.scalar(
                select(BulletinRow.published_at.is_not(None)).where(
                    BulletinRow.article_id == cursor[1]
                )
            ) in (True, None)
        return ordering.after(cursor, published)

    def _load(self, article_ids: Sequence[str]) -> builtins.list[Bulletin]:
        """The bulletins of ``article_ids``, in that order, in a fixed number of statements."""
        if not article_ids:
            return []
        rows = self._session.scalars(
            select(BulletinRow)
            .where(BulletinRow.article_id.in_(article_ids))
            .options(*_BULLETIN_LISTS)
            .execution_options(populate_existing=True)
        )
        by_id = {row.article_id: bulletin_from_row(row) for row in rows}
        return [by_id[article_id] for article_id in article_ids if article_id in by_id]

    def _row(self, article_id: str) -> BulletinRow | None:
        return self._session.scalars(
            select(BulletinRow)
            .where(BulletinRow.article_id == article_id)
            .options(*_BULLETIN_LISTS)
            .execution_options(populate_existing=True)
        ).one_or_none()
