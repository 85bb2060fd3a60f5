"""Catalog visibility in storage (security finding 13.3), on SQLite and PostgreSQL: the
``hidden`` flag at every level reads back as written, and ``public_references`` names
what the public bulletins name, nothing of a draft or an embargoed bulletin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import inspect, text

from herald.adapters.storage import Database, SqlUnitOfWork
from herald.adapters.storage.database import alembic_config
from herald.domain import (
    ChannelRef,
    Fix,
    Lifecycle,
    NotCovered,
    Product,
    ProductVersion,
    Release,
    Status,
    UpdateChannel,
    VersionRef,
)
from herald.domain.bulletin import named_by
from herald.domain.catalog import CatalogReferences, public_catalog
from herald.domain.catalog_editing import with_hidden
from herald.domain.ids import ArticleId

from .samples import XENSERVER, draft, rich_bulletin, seed, xenserver

UowFactory = Callable[[], SqlUnitOfWork]
AT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def _hidden_everywhere() -> Product:
    """XenServer with a hidden version (its channel and release not hidden themselves), a
    hidden channel and a hidden release on 8.4."""
    product = xenserver()
    v84 = product.version("8.4")
    normal = v84.channel("Normal")
    normal = replace(
        normal,
        releases=(*normal.releases, Release("8.4.embargoed", date(2026, 11, 2), hidden=True)),
    )
    hotfix = UpdateChannel("Hotfix", (Release("8.4.hf1", date(2026, 11, 1)),), hidden=True)
    v84 = replace(v84, channels=(v84.channel("Early Access"), normal, hotfix))
    v10 = ProductVersion(
        "10",
        Lifecycle.SUPPORTED,
        channels=(UpdateChannel("Normal", (Release("10.0", date(2026, 11, 2)),)),),
        hidden=True,
    )
    versions = tuple(v84 if v.name == "8.4" else v for v in product.versions)
    return replace(product, versions=(*versions, v10))


def test_hidden_reads_back_at_every_level(uow_factory: UowFactory) -> None:
    product = _hidden_everywhere()
    with uow_factory() as uow:
        seed(uow, replace(product, hidden=True))
    with uow_factory() as uow:
        stored = uow.catalog.load().product(XENSERVER)
    assert stored == replace(product, hidden=True)
    assert stored.hidden and stored.version("10").hidden
    assert stored.version("8.4").channel("Hotfix").hidden
    assert stored.version("8.4").channel("Normal").release("8.4.embargoed").hidden

    revealed = with_hidden(
        with_hidden(with_hidden(stored, False), False, "10"),
        False,
        "8.4",
        "Normal",
        "8.4.embargoed",
    )
    with uow_factory() as uow:
        uow.catalog.save_product(revealed)
        uow.commit()
    with uow_factory() as uow:
        again = uow.catalog.load().product(XENSERVER)
    assert again == revealed
    assert not again.hidden and not again.version("10").hidden
    assert again.version("8.4").channel("Hotfix").hidden


def test_rows_stored_without_the_flag_are_visible(database: Database) -> None:
    """The columns' default: what was stored before 0014 (and any row written without
    them) is public."""
    with database.engine.begin() as connection:
        for statement in (
            "INSERT INTO products (id, name, update_instructions_url, position) "
            "VALUES ('plain', 'Plain', NULL, 0)",
            "INSERT INTO product_versions (product_id, name, position, lifecycle) "
            "VALUES ('plain', '1', 0, 'supported')",
            "INSERT INTO update_channels (product_id, version_name, name, position) "
            "VALUES ('plain', '1', 'Normal', 0)",
            "INSERT INTO releases (product_id, version_name, channel_name, name, position, "
            "released_on) VALUES ('plain', '1', 'Normal', '1.0', 0, '2026-11-02')",
        ):
            connection.execute(text(statement))
    with database.unit_of_work(read_only=True) as uow:
        catalog = uow.catalog.load()
    assert catalog.product("plain").version("1").channel("Normal").release("1.0")
    assert not catalog.has_hidden


def test_public_references_name_only_what_public_bulletins_name(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        seed(uow, _hidden_everywhere())
    with uow_factory() as uow:
        assert uow.bulletins.public_references() == CatalogReferences()

    base = rich_bulletin()
    embargoed = Fix(ChannelRef(XENSERVER, "8.4", "Normal"), release="8.4.embargoed")
    hotfix = Fix(ChannelRef(XENSERVER, "8.4", "Hotfix"), release="8.4.hf1")
    secret = replace(
        base,
        fixes=(embargoed, hotfix, Fix(ChannelRef(XENSERVER, "10", "Normal"), release="10.0")),
        affected=(VersionRef(XENSERVER, "8.4"), VersionRef(XENSERVER, "10")),
        not_covered=(),
        changelog=(),
        published_at=None,
    )
    unpublished = [
        replace(secret, article_id=ArticleId("CTX800001"), status=Status.DRAFT),
        replace(secret, article_id=ArticleId("CTX800002"), status=Status.IN_REVIEW),
        replace(
            secret, article_id=ArticleId("CTX800003"), status=Status.APPROVED, approved_by="bob"
        ),
        replace(
            secret,
            article_id=ArticleId("CTX800004"),
            status=Status.SCHEDULED,
            approved_by="bob",
            release_at=AT,
        ),
        replace(draft("CTX800005", AT), fixes=(embargoed,)),
    ]
    with uow_factory() as uow:
        for bulletin in unpublished:
            uow.bulletins.add(bulletin)
        uow.commit()
    with uow_factory() as uow:
        assert uow.bulletins.public_references() == CatalogReferences()

    published = base
    withdrawn = replace(
        base,
        article_id=ArticleId("CTX700002"),
        status=Status.WITHDRAWN,
        withdrawn_at=AT,
        fixes=(*base.fixes, hotfix),
        not_covered=(
            NotCovered(VersionRef(XENSERVER, "10"), Lifecycle.END_OF_LIFE, "End of Life"),
        ),
    )
    with uow_factory() as uow:
        uow.bulletins.add(published)
        uow.bulletins.add(withdrawn)
        uow.commit()
    with uow_factory() as uow:
        references = uow.bulletins.public_references()
        catalog = uow.catalog.load()
    assert references == named_by([published, withdrawn])
    assert ChannelRef(XENSERVER, "8.4", "Hotfix") in references.channels
    assert VersionRef(XENSERVER, "10") in references.versions
    assert (ChannelRef(XENSERVER, "8.4", "Normal"), "8.4.embargoed") not in references.releases
    public = public_catalog(catalog, references)
    assert [r.name for r in public.channel(ChannelRef(XENSERVER, "8.4", "Normal")).releases] == [
        "8.4.2026-03-24"
    ]
    assert public.version(VersionRef(XENSERVER, "10")).channels[0].releases[0].name == "10.0"


def test_0014_goes_down_and_up_keeping_the_catalog(own_database: Database) -> None:
    """Down to 0013 the flags go (the catalog stays); up again every entry is visible."""
    with own_database.unit_of_work() as uow:
        seed(uow, _hidden_everywhere())
    with own_database.migration_connection() as connection:
        command.downgrade(alembic_config(connection), "0013")
    with own_database.engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("releases")}
        names = connection.execute(text("SELECT name FROM releases ORDER BY name")).scalars()
        assert "hidden" not in columns
        assert "8.4.embargoed" in list(names)
    own_database.migrate()
    with own_database.unit_of_work(read_only=True) as uow:
        catalog = uow.catalog.load()
    assert not catalog.has_hidden
    assert catalog.channel(ChannelRef(XENSERVER, "8.4", "Normal")).release("8.4.embargoed")
