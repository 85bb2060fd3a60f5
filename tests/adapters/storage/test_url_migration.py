"""Migration 0011: a product URL that is not a web address is dropped (finding 13.4).

A product stored before URLs were checked could hold ``javascript:``; after the
upgrade it loads, without that URL (its bulletins point to the publisher's update
instructions), and a good URL is kept.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from herald.adapters.storage import Database
from herald.adapters.storage.database import alembic_config


def test_product_urls_that_are_not_web_addresses_are_cleared(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    try:
        with database.migration_connection() as connection:
            command.upgrade(alembic_config(connection), "0010")
            for position, (product_id, url) in enumerate(
                [
                    ("bad", "javascript:alert(1)"),
                    ("blank", "https:// x"),
                    ("good", "https://docs.example.com/update"),
                    ("none", None),
                ]
            ):
                connection.execute(
                    text(
                        "INSERT INTO products (id, name, update_instructions_url, position) "
                        "VALUES (:id, :name, :url, :position)"
                    ),
                    {
                        "id": product_id,
                        "name": product_id.title(),
                        "url": url,
                        "position": position,
                    },
                )
        database.migrate()
        with database.unit_of_work(read_only=True) as uow:
            products = {p.id: p.update_instructions_url for p in uow.catalog.load().products}
        assert products == {
            "bad": None,
            "blank": None,
            "good": "https://docs.example.com/update",
            "none": None,
        }
    finally:
        database.dispose()
