"""Review and embargo: who wrote, submitted and approved a bulletin, its release instant;
staff accounts, the audit log, sign-in failures and the site generation; indexes for the
public queries.

Existing bulletins keep every value; the new columns start empty (NULL), which is what
the domain says of a bulletin imported without review. The site generation starts at 0.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 01:02:42.860988
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BULLETIN_INDEXES = {
    "ix_bulletins_status_published_at_article_id": ["status", "published_at", "article_id"],
    "ix_bulletins_status_updated_at_article_id": ["status", "updated_at", "article_id"],
    "ix_bulletins_status_release_at": ["status", "release_at"],
}


def upgrade() -> None:
    # ADD COLUMN needs no table copy, not even on SQLite: existing rows stay as they are.
    with op.batch_alter_table("bulletins") as batch:
        batch.add_column(sa.Column("created_by", sa.String(), nullable=True))
        batch.add_column(sa.Column("submitted_by", sa.String(), nullable=True))
        batch.add_column(sa.Column("approved_by", sa.String(), nullable=True))
        batch.add_column(sa.Column("release_at", sa.DateTime(timezone=True), nullable=True))
    for name, columns in _BULLETIN_INDEXES.items():
        op.create_index(op.f(name), "bulletins", columns)
    op.create_index(op.f("ix_bulletin_cves_cve_id"), "bulletin_cves", ["cve_id"])
    op.create_index(
        op.f("ix_bulletin_affected_product_id_version_name"),
        "bulletin_affected",
        ["product_id", "version_name"],
    )

    op.create_table(
        "users",
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_users")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sqlite_autoincrement=True,  # ids are never reused, even after the last row
    )
    op.create_index(op.f("ix_audit_log_subject_id"), "audit_log", ["subject", "id"])
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(op.f("ix_sign_in_failures_key_at"), "sign_in_failures", ["key", "at"])
    site_state = op.create_table(
        "site_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_site_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_state")),
    )
    op.bulk_insert(site_state, [{"id": 1, "generation": 0}])


def downgrade() -> None:
    op.drop_table("site_state")
    op.drop_index(op.f("ix_sign_in_failures_key_at"), table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
    op.drop_index(op.f("ix_audit_log_subject_id"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("users")
    op.drop_index(
        op.f("ix_bulletin_affected_product_id_version_name"), table_name="bulletin_affected"
    )
    op.drop_index(op.f("ix_bulletin_cves_cve_id"), table_name="bulletin_cves")
    for name in _BULLETIN_INDEXES:
        op.drop_index(op.f(name), table_name="bulletins")
    with op.batch_alter_table("bulletins") as batch:
        batch.drop_column("release_at")
        batch.drop_column("approved_by")
        batch.drop_column("submitted_by")
        batch.drop_column("created_by")
