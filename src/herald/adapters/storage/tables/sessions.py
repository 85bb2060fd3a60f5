"""Staff browser sessions, kept by the hash of their id (revision 0013; private)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from herald.adapters.storage.tables.base import Base


class StaffSessionRow(Base, public=False):
    """One browser's session: the SHA-256 of the id in its cookie (never the id), the
    account it is for, what the web layer keeps in it, and its times."""

    __tablename__ = "staff_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str | None] = mapped_column(index=True)
    """The account (signed in or signing in); null for a visitor's session."""
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
