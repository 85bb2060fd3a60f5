"""Webhook secret rotation with an overlap: the previous secret and until when it signs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 08:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}


def upgrade() -> None:
    op.add_column("alert_subscriptions", sa.Column("previous_secret", sa.String(), nullable=True))
    op.add_column(
        "alert_subscriptions",
        sa.Column("previous_until", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    # On SQLite the batch rebuilds the table: keep AUTOINCREMENT (numbers never reused).
    with op.batch_alter_table("alert_subscriptions", table_kwargs=_KEEP_AUTOINCREMENT) as batch:
        batch.drop_column("previous_until")
        batch.drop_column("previous_secret")
