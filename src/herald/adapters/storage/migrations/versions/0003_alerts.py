"""Alerts: subscriber groups, subscriptions, the outbox (events and deliveries) and
predisclosure groups of scheduled bulletins. New tables only; nothing existing changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 03:45:54.405507
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("article_id", sa.String(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_events")),
    )
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_events_article_id_at"), ["article_id", "at"], unique=False
        )

    op.create_table(
        "alert_groups",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("subject_prefix", sa.String(), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_alert_groups")),
    )
    op.create_table(
        "alert_predisclosures",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_alert_predisclosures_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_name"],
            ["alert_groups.name"],
            name=op.f("fk_alert_predisclosures_group_name_alert_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_alert_predisclosures")),
    )
    op.create_table(
        "alert_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=True),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("minimum_severity", sa.String(), nullable=True),
        sa.Column("editorial", sa.Boolean(), nullable=False),
        sa.Column("secret", sa.String(), nullable=True),
        sa.Column("confirm_nonce", sa.String(), nullable=True),
        sa.Column("confirm_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirm_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_name"],
            ["alert_groups.name"],
            name=op.f("fk_alert_subscriptions_group_name_alert_groups"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_subscriptions")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("alert_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_subscriptions_channel_target"), ["channel", "target"], unique=True
        )
        batch_op.create_index(
            batch_op.f("ix_alert_subscriptions_status_channel"), ["status", "channel"], unique=False
        )

    op.create_table(
        "alert_deliveries",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["alert_events.id"],
            name=op.f("fk_alert_deliveries_event_id_alert_events"),
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["alert_subscriptions.id"],
            name=op.f("fk_alert_deliveries_subscription_id_alert_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_deliveries_event_id_subscription_id"),
            ["event_id", "subscription_id"],
            unique=True,
        )
        batch_op.create_index(
            batch_op.f("ix_alert_deliveries_status_next_attempt_at"),
            ["status", "next_attempt_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_deliveries_status_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_alert_deliveries_event_id_subscription_id"))

    op.drop_table("alert_deliveries")
    with op.batch_alter_table("alert_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_subscriptions_status_channel"))
        batch_op.drop_index(batch_op.f("ix_alert_subscriptions_channel_target"))

    op.drop_table("alert_subscriptions")
    op.drop_table("alert_predisclosures")
    op.drop_table("alert_groups")
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_events_article_id_at"))

    op.drop_table("alert_events")
