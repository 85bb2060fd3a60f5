"""API tokens with scopes, an expiry, an owner and their last use.

Tokens made before this revision get the scope ``webhooks:own`` (what every token could
do), no owner, and an expiry 90 days after the upgrade (the default lifetime of a new
token), so that no token issued without an expiry keeps working for good.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 20:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY_LIFETIME = timedelta(days=90)
"""How long a token made before this revision keeps working after the upgrade."""

_tokens = sa.table(
    "api_tokens",
    sa.column("scopes", sa.JSON()),
    sa.column("expires_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("scopes", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("owner", sa.String(), nullable=True))
        batch.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            op.f("fk_api_tokens_owner_users"), "users", ["owner"], ["username"]
        )
    op.execute(
        _tokens.update().values(
            scopes=["webhooks:own"], expires_at=datetime.now(UTC) + LEGACY_LIFETIME
        )
    )
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("scopes", existing_type=sa.JSON(), nullable=False)
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_constraint(op.f("fk_api_tokens_owner_users"), type_="foreignkey")
        batch.drop_column("last_used_at")
        batch.drop_column("owner")
        batch.drop_column("expires_at")
        batch.drop_column("scopes")
