"""Events counted against rate limits (revision 0012; private)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from herald.adapters.storage.tables.base import Base


class RateLimitEventRow(Base, public=False):
    """One limited event (say, a confirmation email asked for) under a key."""

    __tablename__ = "rate_limit_events"
    __table_args__ = (Index(None, "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str]
    at: Mapped[datetime]
