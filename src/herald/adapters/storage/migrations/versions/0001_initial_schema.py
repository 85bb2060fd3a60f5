"""Initial schema: publisher, catalog and bulletins.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 00:43:57.388652
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bulletins",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_bulletins")),
    )
    op.create_index(
        op.f("ix_bulletins_updated_at_article_id"), "bulletins", ["updated_at", "article_id"]
    )
    op.create_table(
        "products",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("update_instructions_url", sa.String(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    op.create_table(
        "publisher",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("short_name", sa.String(), nullable=False),
        sa.Column("brand", sa.String(), nullable=False),
        sa.Column("namespace_url", sa.String(), nullable=False),
        sa.Column("update_instructions_url", sa.String(), nullable=False),
        sa.Column("knowledge_center_url", sa.String(), nullable=False),
        sa.Column("support_url", sa.String(), nullable=False),
        sa.Column("alerts_url", sa.String(), nullable=False),
        sa.Column("reporting_url", sa.String(), nullable=False),
        sa.Column("disclaimer", sa.Text(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("preview_note", sa.Text(), nullable=False),
        sa.Column("end_of_life_note", sa.Text(), nullable=False),
        sa.Column("article_id_prefix", sa.String(), nullable=False),
        sa.Column("article_id_digits", sa.Integer(), nullable=False),
        sa.Column("severities", sa.JSON(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_publisher_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publisher")),
    )
    op.create_table(
        "bulletin_cves",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cve_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_bulletin_cves_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "position", name=op.f("pk_bulletin_cves")),
    )
    op.create_table(
        "bulletin_cvss",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("vector", sa.String(), nullable=False),
        sa.Column("base_score", sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
        sa.Column("base_severity", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_bulletin_cvss_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "position", name=op.f("pk_bulletin_cvss")),
    )
    op.create_table(
        "bulletin_section_overrides",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_bulletin_section_overrides_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "kind", name=op.f("pk_bulletin_section_overrides")),
    )
    op.create_table(
        "changelog_entries",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_changelog_entries_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "position", name=op.f("pk_changelog_entries")),
    )
    op.create_table(
        "product_versions",
        sa.Column("product_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("lifecycle", sa.String(), nullable=False),
        sa.Column("lifecycle_label", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_versions_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", "name", name=op.f("pk_product_versions")),
    )
    op.create_table(
        "bulletin_affected",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(), nullable=False),
        sa.Column("version_name", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_bulletin_affected_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
            name=op.f("fk_bulletin_affected_product_id_product_versions"),
        ),
        sa.PrimaryKeyConstraint("article_id", "position", name=op.f("pk_bulletin_affected")),
    )
    op.create_table(
        "bulletin_not_covered",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(), nullable=False),
        sa.Column("version_name", sa.String(), nullable=False),
        sa.Column("lifecycle", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_bulletin_not_covered_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
            name=op.f("fk_bulletin_not_covered_product_id_product_versions"),
        ),
        sa.PrimaryKeyConstraint("article_id", "position", name=op.f("pk_bulletin_not_covered")),
    )
    op.create_table(
        "update_channels",
        sa.Column("product_id", sa.String(), nullable=False),
        sa.Column("version_name", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id", "version_name"],
            ["product_versions.product_id", "product_versions.name"],
            name=op.f("fk_update_channels_product_id_product_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "product_id", "version_name", "name", name=op.f("pk_update_channels")
        ),
    )
    op.create_table(
        "releases",
        sa.Column("product_id", sa.String(), nullable=False),
        sa.Column("version_name", sa.String(), nullable=False),
        sa.Column("channel_name", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name"],
            ["update_channels.product_id", "update_channels.version_name", "update_channels.name"],
            name=op.f("fk_releases_product_id_update_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "product_id", "version_name", "channel_name", "name", name=op.f("pk_releases")
        ),
    )
    op.create_table(
        "bulletin_fixes",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(), nullable=False),
        sa.Column("version_name", sa.String(), nullable=False),
        sa.Column("channel_name", sa.String(), nullable=False),
        sa.Column("release_name", sa.String(), nullable=True),
        sa.Column("mitigation", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(release_name IS NULL) <> (mitigation IS NULL)",
            name=op.f("ck_bulletin_fixes_release_or_mitigation"),
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["bulletins.article_id"],
            name=op.f("fk_bulletin_fixes_article_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name", "release_name"],
            [
                "releases.product_id",
                "releases.version_name",
                "releases.channel_name",
                "releases.name",
            ],
            name=op.f("fk_bulletin_fixes_product_id_releases"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name"],
            ["update_channels.product_id", "update_channels.version_name", "update_channels.name"],
            name=op.f("fk_bulletin_fixes_product_id_update_channels"),
        ),
        sa.PrimaryKeyConstraint("article_id", "position", name=op.f("pk_bulletin_fixes")),
    )
    op.create_table(
        "release_components",
        sa.Column("product_id", sa.String(), nullable=False),
        sa.Column("version_name", sa.String(), nullable=False),
        sa.Column("channel_name", sa.String(), nullable=False),
        sa.Column("release_name", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id", "version_name", "channel_name", "release_name"],
            [
                "releases.product_id",
                "releases.version_name",
                "releases.channel_name",
                "releases.name",
            ],
            name=op.f("fk_release_components_product_id_releases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "product_id",
            "version_name",
            "channel_name",
            "release_name",
            "position",
            name=op.f("pk_release_components"),
        ),
    )


def downgrade() -> None:
    op.drop_table("release_components")
    op.drop_table("bulletin_fixes")
    op.drop_table("releases")
    op.drop_table("update_channels")
    op.drop_table("bulletin_not_covered")
    op.drop_table("bulletin_affected")
    op.drop_table("product_versions")
    op.drop_table("changelog_entries")
    op.drop_table("bulletin_section_overrides")
    op.drop_table("bulletin_cvss")
    op.drop_table("bulletin_cves")
    op.drop_table("publisher")
    op.drop_table("products")
    op.drop_index(op.f("ix_bulletins_updated_at_article_id"), table_name="bulletins")
    op.drop_table("bulletins")
