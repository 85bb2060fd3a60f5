"""Bulletin statements: the bulletin's kind, versions not affected or under investigation,
and remedies of every CSAF category.

``bulletins.kind`` is ``advisory`` or ``vex`` (every bulletin stored earlier is an
advisory). A fix now has a workaround, "no fix" (``none_available`` or
``no_fix_planned``) with a reason, a URL and what its release restarts; a release may
come with a mitigation, so the old rule "a release or a mitigation, not both" becomes
"a release or no fix, not both, and at least one of release, mitigation, workaround and
no fix" (every row stored earlier keeps to it). Two lists, as ``bulletin_affected``:
``bulletin_not_affected`` (with the VEX justification and the impact statement) and
``bulletin_under_investigation``.

Going down drops what the old schema cannot hold: the new columns and tables, and the
fixes the old rule refuses (a release with a mitigation keeps its release; a fix with
only a workaround or only "no fix" is removed).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-09 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_RULE = "(release_name IS NULL) <> (mitigation IS NULL)"
_NEW_RULE = (
    "NOT (release_name IS NOT NULL AND no_fix IS NOT NULL) AND (release_name IS NOT NULL "
    "OR mitigation IS NOT NULL OR workaround IS NOT NULL OR no_fix IS NOT NULL)"
)
_FIX_COLUMNS = ("workaround", "no_fix", "no_fix_reason", "url", "restart_required")


def _version_list(name: str, *extra: sa.Column[object]) -> None:
    op.create_table(
        name,
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(), nullable=False),
        sa.Column("version_name", sa.String(), nullable=False),
        *extra,
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f(f"fk_{name}_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
            name=op.f(f"fk_{name}_product_id_product_versions"),
        ),
        sa.PrimaryKeyConstraint("article_id", "position", name=op.f(f"pk_{name}")),
    )
    op.create_index(
        op.f(f"ix_{name}_product_id_version_name"), name, ["product_id", "version_name"]
    )


def upgrade() -> None:
    op.add_column(
        "bulletins",
        sa.Column("kind", sa.String(), server_default="advisory", nullable=False),
    )
    with op.batch_alter_table("bulletin_fixes") as batch:
        batch.add_column(sa.Column("workaround", sa.Text(), nullable=True))
        batch.add_column(sa.Column("no_fix", sa.String(), nullable=True))
        batch.add_column(sa.Column("no_fix_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("url", sa.String(), nullable=True))
        batch.add_column(sa.Column("restart_required", sa.String(), nullable=True))
        batch.drop_constraint(op.f("ck_bulletin_fixes_release_or_mitigation"), type_="check")
        batch.create_check_constraint(op.f("ck_bulletin_fixes_remedy"), _NEW_RULE)
    _version_list(
        "bulletin_not_affected",
        sa.Column("justification", sa.String(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
    )
    _version_list("bulletin_under_investigation")


def downgrade() -> None:
    for name in ("bulletin_under_investigation", "bulletin_not_affected"):
        op.drop_index(op.f(f"ix_{name}_product_id_version_name"), table_name=name)
        op.drop_table(name)
    op.execute(
        "UPDATE bulletin_fixes SET mitigation = NULL "
        "WHERE release_name IS NOT NULL AND mitigation IS NOT NULL"
    )
    op.execute("DELETE FROM bulletin_fixes WHERE release_name IS NULL AND mitigation IS NULL")
    with op.batch_alter_table("bulletin_fixes") as batch:
        batch.drop_constraint(op.f("ck_bulletin_fixes_remedy"), type_="check")
        for column in reversed(_FIX_COLUMNS):
            batch.drop_column(column)
        batch.create_check_constraint(op.f("ck_bulletin_fixes_release_or_mitigation"), _OLD_RULE)
    with op.batch_alter_table("bulletins") as batch:
        batch.drop_column("kind")
