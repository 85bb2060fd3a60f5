"""Weaknesses stored per CVE (``bulletin_weaknesses``, migration 0015), on both databases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from alembic import command
from sqlalchemy import inspect, text

from herald import demo
from herald.adapters.storage import Database, SqlUnitOfWork
from herald.adapters.storage.database import alembic_config
from herald.adapters.storage.review import content_from_json, content_to_json
from herald.domain import CveId, CweId, Status

from .samples import rich_bulletin, seed, xenserver

UowFactory = Callable[[], SqlUnitOfWork]
CVE_5001 = CveId("CVE-2026-5001")
CVE_OLD = CveId("CVE-2025-999999")


def _seeded(factory: UowFactory) -> UowFactory:
    with factory() as uow:
        seed(uow, xenserver())
    return factory


def test_each_cve_keeps_its_cwe_ids_in_order(uow_factory: UowFactory) -> None:
    factory = _seeded(uow_factory)
    written = rich_bulletin()
    with factory() as uow:
        uow.bulletins.add(written)
        uow.commit()
    with factory() as uow:
        read = uow.bulletins.find(written.article_id)
        listed = uow.bulletins.list()
    assert read is not None
    assert read.weaknesses == {CVE_5001: ("CWE-787", "CWE-20"), CVE_OLD: ("CWE-416",)}
    assert CveId("CVE-2026-10002") not in read.weaknesses
    assert listed == [read]


def test_an_edit_replaces_the_weaknesses_and_a_delete_drops_them(
    uow_factory: UowFactory, database: Database
) -> None:
    factory = _seeded(uow_factory)
    first = replace(rich_bulletin("CTX800001"), status=Status.DRAFT, changelog=())
    with factory() as uow:
        uow.bulletins.add(first)
        uow.commit()
    second = replace(first, weaknesses={CVE_OLD: (CweId("CWE-20"), CweId("CWE-416"))})
    with factory() as uow:
        uow.bulletins.update(second)
        uow.commit()
    with factory() as uow:
        assert uow.bulletins.find("CTX800001") == second
    with factory() as uow:
        uow.bulletins.update(replace(second, weaknesses={}))
        uow.commit()
    with factory() as uow:
        found = uow.bulletins.find("CTX800001")
        assert found is not None
        assert found.weaknesses == {}
        uow.bulletins.update(second)
        uow.commit()
    with factory() as uow:
        uow.bulletins.delete("CTX800001")
        uow.commit()
    with database.engine.connect() as connection:
        left = connection.execute(text("SELECT count(*) FROM bulletin_weaknesses")).scalar()
    assert left == 0


def test_a_proposed_change_keeps_its_weaknesses() -> None:
    content = replace(
        demo.reference_content(), weaknesses={demo.reference_content().cves[0]: (CweId("CWE-787"),)}
    )
    assert content_from_json(content_to_json(content)) == content
    before_0015 = content_to_json(demo.reference_content())
    del before_0015["weaknesses"]
    assert content_from_json(before_0015) == demo.reference_content()


def test_0015_goes_down_and_up_keeping_the_bulletins(own_database: Database) -> None:
    """Down to 0014 the table goes (the bulletin stays, without weaknesses); up again it
    is back, empty."""
    with own_database.unit_of_work() as uow:
        seed(uow, xenserver())
    with own_database.unit_of_work() as uow:
        uow.bulletins.add(rich_bulletin())
        uow.commit()
    with own_database.migration_connection() as connection:
        command.downgrade(alembic_config(connection), "0014")
    with own_database.engine.connect() as connection:
        assert "bulletin_weaknesses" not in inspect(connection).get_table_names()
        titles = connection.execute(text("SELECT title FROM bulletins")).scalars()
        assert list(titles) == [rich_bulletin().title]
    own_database.migrate()
    with own_database.unit_of_work(read_only=True) as uow:
        read = uow.bulletins.find(rich_bulletin().article_id)
    assert read == replace(rich_bulletin(), weaknesses={})
