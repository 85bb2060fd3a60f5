"""Product identity: a product's components, and the identifiers of versions, releases
and components (CPE 2.3 names, package URLs, hashes, model numbers, SKUs, serial
numbers, SBOM URLs; herald issue 14).

Each identifier is a row of its owner's table, with a composite foreign key to it (an
identifier goes when its owner goes) and an index on ``(kind, value)``. Nothing stored
before had identifiers or components, so the new tables start empty.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = "kind IN ('cpe', 'purl', 'hash', 'model_number', 'sku', 'serial_number', 'sbom_url')"
_HASH = "(kind = 'hash') = (algorithm IS NOT NULL AND file_name IS NOT NULL)"


def _identifier_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("algorithm", sa.String(), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=True),
    ]


def _identifier_table(
    table: str, owner: str, owner_columns: list[str], referred: list[str]
) -> None:
    op.create_table(
        table,
        *(sa.Column(name, sa.String(), nullable=False) for name in owner_columns),
        *_identifier_columns(),
        sa.ForeignKeyConstraint(
            owner_columns,
            [f"{owner}.{name}" for name in referred],
            name=op.f(f"fk_{table}_{owner_columns[0]}_{owner}"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(_KINDS, name=op.f(f"ck_{table}_kind")),
        sa.CheckConstraint(_HASH, name=op.f(f"ck_{table}_hash")),
        sa.PrimaryKeyConstraint(*owner_columns, "position", name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_kind_value"), table, ["kind", "value"])


def upgrade() -> None:
    op.create_table(
        "product_components",
        sa.Column("product_id", sa.String(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_components_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "kind IN ('application', 'library', 'kernel', 'firmware', 'other')",
            name=op.f("ck_product_components_kind"),
        ),
        sa.PrimaryKeyConstraint("product_id", "id", name=op.f("pk_product_components")),
    )
    _identifier_table(
        "version_identifiers",
        "product_versions",
        ["product_id", "version_name"],
        ["product_id", "name"],
    )
    _identifier_table(
        "release_identifiers",
        "releases",
        ["product_id", "version_name", "channel_name", "release_name"],
        ["product_id", "version_name", "channel_name", "name"],
    )
    _identifier_table(
        "component_identifiers",
        "product_components",
        ["product_id", "component_id"],
        ["product_id", "id"],
    )


def downgrade() -> None:
    for table in ("component_identifiers", "release_identifiers", "version_identifiers"):
        op.drop_index(op.f(f"ix_{table}_kind_value"), table_name=table)
        op.drop_table(table)
    op.drop_table("product_components")
