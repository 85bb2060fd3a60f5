"""Review of published bulletins: the review policy for amendments, changes waiting for
a second person, and emergency steps waiting for a review after the fact. New tables.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_policy",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("amendments", sa.String(length=16), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_review_policy_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_policy")),
    )
    op.create_table(
        "bulletin_proposals",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("proposed_by", sa.String(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("changed", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_bulletin_proposals_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_bulletin_proposals")),
    )
    op.create_table(
        "emergency_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("taken_by", sa.String(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_emergency_steps_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_steps")),
    )
    op.create_index(
        op.f("ix_emergency_steps_reviewed_at_article_id"),
        "emergency_steps",
        ["reviewed_at", "article_id"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_emergency_steps_reviewed_at_article_id"), table_name="emergency_steps")
    op.drop_table("emergency_steps")
    op.drop_table("bulletin_proposals")
    op.drop_table("review_policy")
