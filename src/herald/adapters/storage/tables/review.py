"""Review of published bulletins: the policy, proposals, emergency steps (revision 0008;
private).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from herald.adapters.storage.tables.base import CASCADE, Base


class ReviewPolicyRow(Base, public=False):
    """The publisher's review policy for amendments, in a single row (``id`` is 1)."""

    __tablename__ = "review_policy"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    amendments: Mapped[str] = mapped_column(String(16))


class ProposalRow(Base, public=False):
    """A change to a published bulletin waiting for a second person (one per bulletin)."""

    __tablename__ = "bulletin_proposals"

    article_id: Mapped[str] = mapped_column(
        ForeignKey("bulletins.article_id", ondelete=CASCADE), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    on_date: Mapped[date | None] = mapped_column(Date)
    proposed_by: Mapped[str]
    proposed_at: Mapped[datetime]
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The proposed content (amendments), as ``storage.proposals`` writes it."""
    changed: Mapped[list[str]] = mapped_column(JSON)


class EmergencyStepRow(Base, public=False):
    """A bulletin published or changed without a second person, until reviewed."""

    __tablename__ = "emergency_steps"
    __table_args__ = (Index(None, "reviewed_at", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("bulletins.article_id", ondelete=CASCADE))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    taken_by: Mapped[str]
    taken_at: Mapped[datetime]
    reviewed_by: Mapped[str | None]
    reviewed_at: Mapped[datetime | None]
