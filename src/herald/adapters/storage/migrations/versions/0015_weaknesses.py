"""Weaknesses: the CWE ids of each CVE of a bulletin (``bulletin_weaknesses``).

A row is one CWE id of one CVE a bulletin names; ``position`` orders that CVE's ids.
Bulletins stored earlier name no weakness, so the table starts empty. Going down drops
the table and with it every weakness recorded.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-09 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bulletin_weaknesses",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("cve_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cwe_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_bulletin_weaknesses_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "article_id", "cve_id", "position", name=op.f("pk_bulletin_weaknesses")
        ),
    )


def downgrade() -> None:
    op.drop_table("bulletin_weaknesses")
