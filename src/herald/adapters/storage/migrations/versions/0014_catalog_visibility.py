"""Catalog visibility: ``hidden`` on products, versions, update channels and releases.

An entry marked hidden stays off every public surface until a public bulletin names it
(``herald.domain.catalog.public_catalog``; security finding 13.3). Entries stored
earlier were public, so every existing row starts visible (``false``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("products", "product_versions", "update_channels", "releases")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("hidden", sa.Boolean(), server_default="0", nullable=False))


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("hidden")
