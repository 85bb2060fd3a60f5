"""The SQL tables, as SQLAlchemy 2 declarative rows (separate from the domain dataclasses).

Natural keys throughout: a version is ``(product_id, name)``, a channel
``(product_id, version_name, name)`` and a release adds its name, so the bulletin
tables refer to them with real composite foreign keys and the database refuses a
dangling reference. Every ``position`` column keeps the order of a domain tuple.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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
    """The declarative base of herald's tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        str: String(),
        datetime: UtcDateTime(),
        date: Date(),
    }


_CASCADE = "CASCADE"
_CHILDREN = "all, delete-orphan"


class PublisherRow(Base):
    """The one publisher of this instance (``id`` is always 1)."""

    __tablename__ = "publisher"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str]
    short_name: Mapped[str]
    brand: Mapped[str]
    namespace_url: Mapped[str]
    update_instructions_url: Mapped[str]
    knowledge_center_url: Mapped[str]
    support_url: Mapped[str]
    alerts_url: Mapped[str]
    reporting_url: Mapped[str]
    disclaimer: Mapped[str] = mapped_column(Text)
    sections: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    """``[{"kind", "title", "body"}, ...]`` in the publisher's order."""
    preview_note: Mapped[str] = mapped_column(Text)
    end_of_life_note: Mapped[str] = mapped_column(Text)
    article_id_prefix: Mapped[str]
    article_id_digits: Mapped[int]
    severities: Mapped[list[str]] = mapped_column(JSON)
    """The severity scale, highest first."""


class ProductRow(Base):
    """A product; ``position`` is its place in the catalog's display order."""

    __tablename__ = "products"

    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    update_instructions_url: Mapped[str | None]
    position: Mapped[int]

    versions: Mapped[list[VersionRow]] = relationship(
        order_by="VersionRow.position", cascade=_CHILDREN, passive_deletes=True
    )


class VersionRow(Base):
    """A version of a product."""

    __tablename__ = "product_versions"

    product_id: Mapped[str] = mapped_column(
        ForeignKey("products.id", ondelete=_CASCADE), primary_key=True
    )
    name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    lifecycle: Mapped[str]
    lifecycle_label: Mapped[str | None]

    channels: Mapped[list[ChannelRow]] = relationship(
        order_by="ChannelRow.position", cascade=_CHILDREN, passive_deletes=True
    )


class ChannelRow(Base):
    """An update channel of a version."""

    __tablename__ = "update_channels"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
            ondelete=_CASCADE,
        ),
    )

    product_id: Mapped[str] = mapped_column(primary_key=True)
    version_name: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]

    releases: Mapped[list[ReleaseRow]] = relationship(
        order_by="ReleaseRow.position", cascade=_CHILDREN, passive_deletes=True
    )


class ReleaseRow(Base):
    """A release shipped on a channel."""

    __tablename__ = "releases"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name"],
            ["update_channels.product_id", "update_channels.version_name", "update_channels.name"],
            ondelete=_CASCADE,
        ),
    )

    product_id: Mapped[str] = mapped_column(primary_key=True)
    version_name: Mapped[str] = mapped_column(primary_key=True)
    channel_name: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    released_on: Mapped[date]

    components: Mapped[list[ComponentRow]] = relationship(
        order_by="ComponentRow.position", cascade=_CHILDREN, passive_deletes=True
    )


class ComponentRow(Base):
    """A component version a release ships."""

    __tablename__ = "release_components"
    __table_args__ = (
        ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name", "release_name"],
            [
                "releases.product_id",
                "releases.version_name",
                "releases.channel_name",
                "releases.name",
            ],
            ondelete=_CASCADE,
        ),
    )

    product_id: Mapped[str] = mapped_column(primary_key=True)
    version_name: Mapped[str] = mapped_column(primary_key=True)
    channel_name: Mapped[str] = mapped_column(primary_key=True)
    release_name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    version: Mapped[str]


class BulletinRow(Base):
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

    cves: Mapped[list[CveRow]] = relationship(
        order_by="CveRow.position", cascade=_CHILDREN, passive_deletes=True, lazy="raise"
    )
    cvss: Mapped[list[CvssRow]] = relationship(
        order_by="CvssRow.position", cascade=_CHILDREN, passive_deletes=True, lazy="raise"
    )
    affected: Mapped[list[AffectedRow]] = relationship(
        order_by="AffectedRow.position", cascade=_CHILDREN, passive_deletes=True, lazy="raise"
    )
    fixes: Mapped[list[FixRow]] = relationship(
        order_by="FixRow.position", cascade=_CHILDREN, passive_deletes=True, lazy="raise"
    )
    sections: Mapped[list[SectionOverrideRow]] = relationship(
        cascade=_CHILDREN, passive_deletes=True, lazy="raise"
    )
    not_covered: Mapped[list[NotCoveredRow]] = relationship(
        order_by="NotCoveredRow.position", cascade=_CHILDREN, passive_deletes=True, lazy="raise"
    )
    changelog: Mapped[list[ChangeLogRow]] = relationship(
        order_by="ChangeLogRow.position", passive_deletes="all", lazy="raise"
    )
    """Append-only: the repository never updates or deletes these rows."""


def _bulletin_fk() -> Any:
    return ForeignKey("bulletins.article_id", ondelete=_CASCADE)


class CveRow(Base):
    """A CVE id of a bulletin."""

    __tablename__ = "bulletin_cves"
    __table_args__ = (Index(None, "cve_id"),)

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    cve_id: Mapped[str]


class CvssRow(Base):
    """A CVSS base score of a bulletin."""

    __tablename__ = "bulletin_cvss"

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str]
    vector: Mapped[str]
    base_score: Mapped[float] = mapped_column(Numeric(3, 1, asdecimal=False))
    base_severity: Mapped[str]


class AffectedRow(Base):
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


class FixRow(Base):
    """The remedy of one channel: a fixed release or a mitigation."""

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
        CheckConstraint(
            "(release_name IS NULL) <> (mitigation IS NULL)", name="release_or_mitigation"
        ),
    )

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str]
    version_name: Mapped[str]
    channel_name: Mapped[str]
    release_name: Mapped[str | None]
    mitigation: Mapped[str | None] = mapped_column(Text)


class SectionOverrideRow(Base):
    """A narrative section body that replaces the publisher's template."""

    __tablename__ = "bulletin_section_overrides"

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    kind: Mapped[str] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)


class NotCoveredRow(Base):
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


class ChangeLogRow(Base):
    """One change-log entry; rows are inserted, never updated or deleted."""

    __tablename__ = "changelog_entries"

    article_id: Mapped[str] = mapped_column(_bulletin_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text)


# --- staff, audit and site state (revision 0002) ------------------------------------------


class UserRow(Base):
    """A staff account."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(primary_key=True)
    display_name: Mapped[str]
    roles: Mapped[list[str]] = mapped_column(JSON)
    """Role names, sorted."""
    password_hash: Mapped[str]
    active: Mapped[bool] = mapped_column(Boolean)
    session_generation: Mapped[int] = mapped_column(Integer, server_default="0")
    """Signing out moves it on: sessions of an earlier generation are over."""
    created_at: Mapped[datetime] = mapped_column(server_default=func.current_timestamp())
    """When the account was stored (set by the database)."""
    must_change_password: Mapped[bool] = mapped_column(Boolean, server_default="0")
    """The password is a temporary one (revision 0009)."""
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    """The base32 TOTP secret; None without a second factor."""
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    """A secret being enrolled."""
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The last TOTP step accepted (replay protection)."""
    recovery_codes: Mapped[list[str]] = mapped_column(JSON, server_default="[]")
    """SHA-256 hashes of the unused recovery codes, sorted."""


class AccountPolicyRow(Base):
    """Rules for every staff account, in a single row (``id`` is always 1; no row means
    the defaults)."""

    __tablename__ = "account_policy"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    require_second_factor: Mapped[bool] = mapped_column(Boolean)
    """Every member must have a second factor (they enroll at their next sign-in)."""


class AuditRow(Base):
    """One audit-log entry; rows are inserted, never updated or deleted (``append`` sets
    ``chain_hash`` right after the insert, once the number is known, in the same transaction)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "subject", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str]
    action: Mapped[str]
    subject: Mapped[str]
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    previous_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """The ``chain_hash`` of the entry before (revision 0005); unique, so the log never forks."""
    chain_hash: Mapped[str] = mapped_column(String(64))
    """SHA-256 over ``previous_hash`` and this entry (``herald.domain.audit_chain``)."""


class SignInFailureRow(Base):
    """One failed sign-in for a throttle key (a username or a client address)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index(None, "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str]
    at: Mapped[datetime]


class SiteStateRow(Base):
    """The site generation, in a single row (``id`` is always 1, seeded by the migration)."""

    __tablename__ = "site_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger)


# --- alerts (revision 0003) ------------------------------------------------------------


class AlertGroupRow(Base):
    """A subscriber group and its email template."""

    __tablename__ = "alert_groups"

    name: Mapped[str] = mapped_column(primary_key=True)
    title: Mapped[str]
    subject_prefix: Mapped[str]
    intro: Mapped[str] = mapped_column(Text)


class AlertSubscriptionRow(Base):
    """One email address or webhook URL and what it wants; never deleted (unsubscribed)."""

    __tablename__ = "alert_subscriptions"
    __table_args__ = (
        Index(None, "channel", "target", unique=True),
        Index(None, "status", "channel"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str]
    target: Mapped[str]
    status: Mapped[str]
    group_name: Mapped[str | None] = mapped_column(
        ForeignKey("alert_groups.name", ondelete="SET NULL")
    )
    products: Mapped[list[str]] = mapped_column(JSON)
    versions: Mapped[list[str]] = mapped_column(JSON)
    minimum_severity: Mapped[str | None]
    editorial: Mapped[bool] = mapped_column(Boolean)
    secret: Mapped[str | None]
    previous_secret: Mapped[str | None]
    """The secret before the last rotation, signing too until ``previous_until``."""
    previous_until: Mapped[datetime | None]
    confirm_nonce: Mapped[str | None]
    """The single-use part of the pending confirmation token (cleared when used)."""
    confirm_expires_at: Mapped[datetime | None]
    confirm_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]


class AlertEventRow(Base):
    """An event of the outbox; ``details`` holds the rest of ``AlertEvent``."""

    __tablename__ = "alert_events"
    __table_args__ = (Index(None, "article_id", "at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str]
    at: Mapped[datetime]
    article_id: Mapped[str | None]
    revision: Mapped[int]
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class AlertDeliveryRow(Base):
    """One event for one subscription: the outbox row a worker claims, sends and records."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        Index(None, "event_id", "subscription_id", unique=True),
        Index(None, "status", "next_attempt_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    event_id: Mapped[str] = mapped_column(String(32), ForeignKey("alert_events.id"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("alert_subscriptions.id"))
    channel: Mapped[str]
    status: Mapped[str]
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claim: Mapped[str | None] = mapped_column(String(32))
    """The fencing token of the claim holding the row."""
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class AlertPredisclosureRow(Base):
    """The predisclosure group of a bulletin not yet public, and the event once emitted."""

    __tablename__ = "alert_predisclosures"

    article_id: Mapped[str] = mapped_column(
        ForeignKey("bulletins.article_id", ondelete=_CASCADE), primary_key=True
    )
    group_name: Mapped[str] = mapped_column(ForeignKey("alert_groups.name", ondelete=_CASCADE))
    event_id: Mapped[str | None] = mapped_column(String(32))


# --- review of published bulletins (revision 0008) ----------------------------------------


class ReviewPolicyRow(Base):
    """The publisher's review policy for amendments, in a single row (``id`` is 1)."""

    __tablename__ = "review_policy"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    amendments: Mapped[str] = mapped_column(String(16))


class ProposalRow(Base):
    """A change to a published bulletin waiting for a second person (one per bulletin)."""

    __tablename__ = "bulletin_proposals"

    article_id: Mapped[str] = mapped_column(
        ForeignKey("bulletins.article_id", ondelete=_CASCADE), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    on_date: Mapped[date | None] = mapped_column(Date)
    proposed_by: Mapped[str]
    proposed_at: Mapped[datetime]
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The proposed content (amendments), as ``storage.proposals`` writes it."""
    changed: Mapped[list[str]] = mapped_column(JSON)


class EmergencyStepRow(Base):
    """A bulletin published or changed without a second person, until reviewed."""

    __tablename__ = "emergency_steps"
    __table_args__ = (Index(None, "reviewed_at", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("bulletins.article_id", ondelete=_CASCADE))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    taken_by: Mapped[str]
    taken_at: Mapped[datetime]
    reviewed_by: Mapped[str | None]
    reviewed_at: Mapped[datetime | None]


PRIVATE_TABLES = frozenset(
    {
        UserRow.__tablename__,
        AccountPolicyRow.__tablename__,
        AuditRow.__tablename__,
        SignInFailureRow.__tablename__,
        SiteStateRow.__tablename__,
        AlertGroupRow.__tablename__,
        AlertSubscriptionRow.__tablename__,
        AlertEventRow.__tablename__,
        AlertDeliveryRow.__tablename__,
        AlertPredisclosureRow.__tablename__,
        ReviewPolicyRow.__tablename__,
        ProposalRow.__tablename__,
        EmergencyStepRow.__tablename__,
        "api_tokens",
        "api_token_webhooks",
    }
)
"""Tables no public surface shows; every other table's changes bump the site generation."""
