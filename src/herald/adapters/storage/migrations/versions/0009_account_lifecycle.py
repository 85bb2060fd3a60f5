"""Account lifecycle: password resets, second factor (TOTP), recovery codes.

New columns on ``users`` (a temporary password that must be changed, the TOTP secret,
one being enrolled, the last step accepted, the hashes of unused recovery codes) and a
single-row ``account_policy`` (whether every member must have a second factor).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_pending_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("recovery_codes", sa.JSON(), server_default="[]", nullable=False)
        )
    op.create_table(
        "account_policy",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("require_second_factor", sa.Boolean(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_account_policy_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_policy")),
    )


def downgrade() -> None:
    op.drop_table("account_policy")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("recovery_codes")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_pending_secret")
        batch.drop_column("totp_secret")
        batch.drop_column("must_change_password")
