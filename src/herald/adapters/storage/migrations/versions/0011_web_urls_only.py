"""Product update-instructions URLs that are not web addresses are dropped.

From this revision every URL field holds an absolute ``https:`` (or ``http:``) address
with a host (``herald.domain.urls``; security finding 13.4). A product stored earlier
with anything else (say ``javascript:alert(1)``) would no longer load, so its URL is
cleared: the product's bulletins then point to the publisher's update instructions,
as for a product that never had its own. The publisher's URLs were already checked
for ``http(s)://`` when stored.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 10:30:00.000000
"""

from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_products = sa.table(
    "products", sa.column("id", sa.String()), sa.column("update_instructions_url", sa.String())
)


def _is_web_url(url: str) -> bool:
    """The rule of this revision, kept here so that later changes to it do not change
    what this migration did."""
    if len(url) > 2000 or not url.isprintable() or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (
        parts.scheme in ("https", "http")
        and bool(parts.hostname)
        and (url.startswith(f"{parts.scheme}://"))
    )


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_products.c.id, _products.c.update_instructions_url).where(
            _products.c.update_instructions_url.is_not(None)
        )
    ).all()
    for product_id, url in rows:
        if not _is_web_url(url.strip()):
            connection.execute(
                _products.update()
                .where(_products.c.id == product_id)
                .values(update_instructions_url=None)
            )


def downgrade() -> None:
    """Nothing to undo: a dropped URL is not restored."""
