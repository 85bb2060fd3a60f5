"""The declarative base of herald's tables, its column types, and the public-data flag."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Date, DateTime, Dialect, MetaData, String, Table, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints, so that Alembic's batch mode can alter them on SQLite."""


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"{value!r} is not timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """The declarative base of herald's tables.

    Every row class says whether its table is public data, as a class keyword::

        class BulletinRow(Base, public=True): ...

    A write to a public table changes what readers may see, so it bumps the site
    generation (``herald.adapters.storage.site``); the declaration is kept in the
    table's ``info`` (``is_public`` reads it).
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        str: String(),
        datetime: UtcDateTime(),
        date: Date(),
    }

    def __init_subclass__(cls, *, public: bool | None = None, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if public is not None:
            cast(Table, cls.__table__).info[PUBLIC] = public


PUBLIC = "public"
"""The key of ``Table.info`` that holds a table's declaration (``Base``'s ``public``)."""

CASCADE = "CASCADE"
CHILDREN = "all, delete-orphan"


def is_public(table: Table) -> bool:
    """Whether writes to ``table`` change public data (a table that declares nothing
    counts as public: one bump too many is harmless, one too few serves stale pages)."""
    return table.info.get(PUBLIC) is not False
