"""Rate limits: the events they count (confirmation emails asked for, per client and
in all), shared by every worker.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_events")),
    )
    op.create_index(op.f("ix_rate_limit_events_key_at"), "rate_limit_events", ["key", "at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rate_limit_events_key_at"), table_name="rate_limit_events")
    op.drop_table("rate_limit_events")
