"""A ``BulletinQuery`` as SQL: its filters, its order and its keyset cursor.

Everything a list page needs is decided by the database (which bulletins, in which
order, how many); the repository then loads only the page's bulletins. The SQL is the
same on SQLite and PostgreSQL:

- the year is a half-open range of instants (``[1 Jan, 1 Jan next year)`` in UTC), not
  ``EXTRACT``, so an index on ``published_at`` serves it;
- text is matched with ``LIKE``/``ILIKE`` on ``lower()`` of both sides, ``%`` and ``_``
  (and the escape character) in the user's text escaped;
- lists (affected versions, CVE ids) are filtered with uncorrelated ``IN (SELECT ...)``
  subqueries, which both planners run once, not once per bulletin;
- bulletins never published sort after the published ones with a ``CASE`` key rather
  than ``NULLS LAST``, which only some databases know.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from herald.adapters.storage.tables.bulletins import AffectedRow, BulletinRow, CveRow
from herald.domain.bulletin import Status
from herald.domain.errors import ValidationError
from herald.services.ports.bulletins import BulletinQuery

MAX_LIMIT = 1000
"""The largest page a query returns."""

MAX_TERMS = 8
"""Words of a search text that count; a search is every word, in any searched field."""

PUBLIC = (Status.PUBLISHED.value, Status.WITHDRAWN.value)


def check(query: BulletinQuery, max_limit: int = MAX_LIMIT) -> None:
    """Refuse a query no page answers, naming the field."""
    if not 1 <= query.limit <= max_limit:
        raise ValidationError("limit", f"give a page size from 1 to {max_limit}")
    if query.offset < 0:
        raise ValidationError("offset", "must not be negative")
    if query.version is not None and query.product is None:
        raise ValidationError("version", "give the product of the version too")
    if query.after is not None and query.after[0].tzinfo is None:
        raise ValidationError("after", "the cursor's instant needs its time zone (UTC)")


def conditions(query: BulletinQuery) -> list[ColumnElement[bool]]:
    """The WHERE clauses of every filter the query sets (the cursor aside)."""
    where: list[ColumnElement[bool]] = []
    if query.public_only:
        where.append(BulletinRow.status.in_(PUBLIC))
    if query.status is not None:
        where.append(BulletinRow.status == Status(query.status).value)
    if query.product is not None:
        affected = select(AffectedRow.article_id).where(AffectedRow.product_id == query.product)
        if query.version is not None:
            affected = affected.where(AffectedRow.version_name == query.version)
        where.append(BulletinRow.article_id.in_(affected))
    if query.severity is not None:
        where.append(BulletinRow.severity == query.severity)
    if query.year is not None:
        where.append(_in_year(query.year))
    if query.cve is not None:
        named = select(CveRow.article_id).where(CveRow.cve_id == query.cve.strip().upper())
        where.append(BulletinRow.article_id.in_(named))
    if query.text is not None:
        where.extend(_matches(term) for term in query.text.split()[:MAX_TERMS])
    return where


def _in_year(year: int) -> ColumnElement[bool]:
    """First published in ``year`` (UTC); a year outside the calendar matches nothing."""
    if not 1 <= year <= 9999:
        return false()
    start = BulletinRow.published_at >= datetime(year, 1, 1, tzinfo=UTC)
    if year == 9999:
        return start
    return and_(start, BulletinRow.published_at < datetime(year + 1, 1, 1, tzinfo=UTC))


def _matches(term: str) -> ColumnElement[bool]:
    """``term`` in the article id, the title, the problem or one of the CVE ids."""
    cve = select(CveRow.article_id).where(CveRow.cve_id.icontains(term, autoescape=True))
    return or_(
        BulletinRow.article_id.icontains(term, autoescape=True),
        BulletinRow.title.icontains(term, autoescape=True),
        BulletinRow.problem.icontains(term, autoescape=True),
        BulletinRow.article_id.in_(cve),
    )


@dataclass(frozen=True)
class Ordering:
    """How one query sorts: ``(group, instant, article id)``, newest first in each group.

    Group 0 holds the bulletins with a sort instant of their own; by first publication,
    group 1 holds those never published, ordered by their last change.
    """

    query: BulletinQuery

    @property
    def by_update(self) -> bool:
        return self.query.order == "updated"

    @property
    def only_published(self) -> bool:
        """Every bulletin the query can match has a ``published_at``."""
        status = self.query.status
        return self.query.public_only or (status is not None and Status(status).public)

    def order_by(self) -> list[ColumnElement[Any]]:
        article = BulletinRow.article_id.desc()
        if self.by_update:
            return [BulletinRow.updated_at.desc(), article]
        if self.only_published:
            return [BulletinRow.published_at.desc(), article]
        never = case((BulletinRow.published_at.is_(None), 1), else_=0)
        instant = func.coalesce(BulletinRow.published_at, BulletinRow.updated_at)
        return [never.asc(), instant.desc(), article]

    def after(self, cursor: tuple[datetime, str], cursor_published: bool) -> ColumnElement[bool]:
        """The rows after ``cursor`` (the sort instant and article id of the last one seen).

        ``cursor_published`` says which group the cursor's bulletin is in (by first
        publication); it is ignored for the other orders.
        """
        instant, article_id = cursor
        if self.by_update:
            return _before(BulletinRow.updated_at, instant, article_id)
        if self.only_published:
            return _before(BulletinRow.published_at, instant, article_id)
        if cursor_published:
            return or_(
                BulletinRow.published_at.is_(None),
                _before(BulletinRow.published_at, instant, article_id),
            )
        return and_(
            BulletinRow.published_at.is_(None),
            _before(BulletinRow.updated_at, instant, article_id),
        )

    def needs_cursor_group(self) -> bool:
        return not (self.by_update or self.only_published)


def _before(
    column: InstrumentedAttribute[datetime] | InstrumentedAttribute[datetime | None],
    instant: datetime,
    article_id: str,
) -> ColumnElement[bool]:
    """``(column, article_id) < (instant, article_id)``, spelt out for every database."""
    return or_(
        column < instant,
        and_(column == instant, BulletinRow.article_id < article_id),
    )
