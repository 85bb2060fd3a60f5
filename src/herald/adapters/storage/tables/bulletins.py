"""Bulletins and their lists, one table per list (public).

Every ``position`` column keeps the order of a domain tuple.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from herald.adapters.storage.tables.base import CASCADE, CHILDREN, Base


class BulletinRow(Base, public=True):
    """A bulletin; its lists live in the ``bulletin_*`` tables."""

    __tablename__ = "bulletins"
    __table_args__ = (
        Index(None, "updated_at", "article_id"),
        Index(None, "status", "published_at", "article_id"),
        Index(None, "status", "updated_at", "article_id"),
        Index(None, "status", "release_at"),
    )

    article_id: Mapped[str] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    severity: Mapped[str | None]
    problem: Mapped[str] = mapped_column(Text)
    status: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    created_by: Mapped[str | None]
    submitted_by: Mapped[str | None]
    approved_by: Mapped[str | None]
    release_at: Mapped[datetime | None]
    """The embargo of a scheduled bulletin."""
    kind: Mapped[str] = mapped_column(server_default="advisory")
    """``advisory`` or ``vex`` (``BulletinKind``)."""

    cves: Mapped[list[CveRow]] = relationship(
        order_by="CveRow.position", cascade=CHILDREN, passive_deletes=True, lazy="raise"
    )
    cvss: Mapped[list[CvssRow]] = relationship(
        order_by="CvssRow.position", cascade=CHILDREN, passive_deletes=True, lazy="raise"
    )
    weaknesses: Mapped[list[WeaknessRow]] = relationship(
        order_by="WeaknessRow.position", cascade=CHILDREN, passive_deletes=True, lazy="raise"
    )
    affected: Mapped[list[AffectedRow]] = relationship(
        order_by="AffectedRow.position", cascade=CHILDREN, passive_deletes=True, lazy="raise"
    )
    fixes: Mapped[list[FixRow]] = relationship(
        order_by="FixRow.position", cascade=CHILDREN, passive_deletes=True, lazy="raise"
    )
    sections: Mapped[list[SectionOverrideRow]] = relationship(
        cascade=CHILDREN, passive_deletes=True, lazy="raise"
    )
    not_covered: Mapped[list[NotCoveredRow]] = relationship(
        order_by="NotCoveredRow.position", cascade=CHILDREN, passive_deletes=True, lazy="raise"
    )
    not_affected: Mapped[list[NotAffectedRow]] = relationship(
        order_by="NotAffectedRow.position", cascade=CHILDREN, passive_deletes=True, lazy="raise"
    )
    under_investigation: Mapped[list[UnderInvestigationRow]] = relationship(
        order_by="UnderInvestigationRow.position",
        cascade=CHILDREN,
        passive_deletes=True,
        lazy="raise",
    )
    changelog: Mapped[list[ChangeLogRow]] = relationship(
        order_by="ChangeLogRow.position", passive_deletes="all", lazy="raise"
    )
    """Append-only: the repository never updates or deletes these rows."""


def _bulletin_fk() -> Any:
    return ForeignKey("bulletins.article_id", ondelete=CASCADE)


class CveRow(Base, public=True):
    """A CVE id of a bulletin."""

    __tablename__ = "bulletin_cves"
    __table_args__ = (Index(None, "cve_id"),)

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    cve_id: Mapped[str]


class CvssRow(Base, public=True):
    """A CVSS base score of a bulletin."""

    __tablename__ = "bulletin_cvss"

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str]
    vector: Mapped[str]
    base_score: Mapped[float] = mapped_column(Numeric(3, 1, asdecimal=False))
    base_severity: Mapped[str]


class WeaknessRow(Base, public=True):
    """A CWE id of one CVE of a bulletin; ``position`` orders the CVE's ids."""

    __tablename__ = "bulletin_weaknesses"

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    cve_id: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    cwe_id: Mapped[str]


class AffectedRow(Base, public=True):
    """An affected version of a bulletin."""

    __tablename__ = "bulletin_affected"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
        ),
        Index(None, "product_id", "version_name"),
    )

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str]
    version_name: Mapped[str]


FIX_REMEDY_CHECK = (
    "NOT (release_name IS NOT NULL AND no_fix IS NOT NULL) AND (release_name IS NOT NULL "
    "OR mitigation IS NOT NULL OR workaround IS NOT NULL OR no_fix IS NOT NULL)"
)
"""A fixed release or "no fix", not both; and at least one of release, mitigation,
workaround and no fix (``domain.bulletin.Fix``; revision 0017)."""


class FixRow(Base, public=True):
    """The remedy of one channel: a fixed release or no fix, a mitigation, a workaround."""

    __tablename__ = "bulletin_fixes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name"],
            ["update_channels.product_id", "update_channels.version_name", "update_channels.name"],
        ),
        ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name", "release_name"],
            [
                "releases.product_id",
                "releases.version_name",
                "releases.channel_name",
                "releases.name",
            ],
        ),
        CheckConstraint(FIX_REMEDY_CHECK, name="remedy"),
    )

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str]
    version_name: Mapped[str]
    channel_name: Mapped[str]
    release_name: Mapped[str | None]
    mitigation: Mapped[str | None] = mapped_column(Text)
    workaround: Mapped[str | None] = mapped_column(Text)
    no_fix: Mapped[str | None]
    """``none_available`` or ``no_fix_planned`` (``NoFix``)."""
    no_fix_reason: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None]
    restart_required: Mapped[str | None]
    """A CSAF ``restart_required`` category (``Restart``)."""


class SectionOverrideRow(Base, public=True):
    """A narrative section body that replaces the publisher's template."""

    __tablename__ = "bulletin_section_overrides"

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    kind: Mapped[str] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)


class NotCoveredRow(Base, public=True):
    """A version the bulletin says it does not cover, and why."""

    __tablename__ = "bulletin_not_covered"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
        ),
    )

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str]
    version_name: Mapped[str]
    lifecycle: Mapped[str]
    label: Mapped[str]


class NotAffectedRow(Base, public=True):
    """A version the bulletin states not affected, with its justification and impact."""

    __tablename__ = "bulletin_not_affected"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
        ),
        Index(None, "product_id", "version_name"),
    )

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str]
    version_name: Mapped[str]
    justification: Mapped[str]
    """A VEX justification (``Justification``)."""
    impact: Mapped[str] = mapped_column(Text)


class UnderInvestigationRow(Base, public=True):
    """A version the bulletin states under investigation."""

    __tablename__ = "bulletin_under_investigation"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
        ),
        Index(None, "product_id", "version_name"),
    )

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str]
    version_name: Mapped[str]


class ChangeLogRow(Base, public=True):
    """One change-log entry; rows are inserted, never updated or deleted."""

    __tablename__ = "changelog_entries"

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text)
