"""The site generation itself (revision 0002; private: bumping it is not a change to bump for)."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Integer
from sqlalchemy.orm import Mapped, mapped_column

from herald.adapters.storage.tables.base import Base


class SiteStateRow(Base, public=False):
    """The site generation, in a single row (``id`` is always 1, seeded by the migration)."""

    __tablename__ = "site_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger)
