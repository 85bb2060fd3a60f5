"""The site generation: it moves with every public change, and only then; which tables
are public is declared on each table."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from herald import demo
from herald.adapters.storage import Database, SqlUnitOfWork
from herald.adapters.storage.tables import Base
from herald.adapters.storage.tables.base import PUBLIC, is_public
from herald.domain import Status
from herald.domain.accounts import Role, User
from herald.domain.api_tokens import Scope
from herald.domain.audit import AuditEntry

from .samples import hypervisor, listed, seed, xenserver

UowFactory = Callable[[], SqlUnitOfWork]
AT = datetime(2026, 5, 1, tzinfo=UTC)


def generation(database: Database) -> int:
    with database.unit_of_work(read_only=True) as uow:
        return uow.site.generation()


PUBLIC_TABLES = {
    "publisher",
    "products",
    "product_versions",
    "update_channels",
    "releases",
    "release_components",
    "product_components",
    "version_identifiers",
    "release_identifiers",
    "component_identifiers",
    "bulletins",
    "bulletin_cves",
    "bulletin_cvss",
    "bulletin_weaknesses",
    "bulletin_affected",
    "bulletin_fixes",
    "bulletin_section_overrides",
    "bulletin_not_covered",
    "bulletin_not_affected",
    "bulletin_under_investigation",
    "changelog_entries",
}
"""What readers can see: the publisher, the catalog, bulletins and their lists."""


def test_every_table_declares_whether_it_is_public() -> None:
    undeclared = sorted(
        name
        for name, table in Base.metadata.tables.items()
        if not isinstance(table.info.get(PUBLIC), bool)
    )
    assert undeclared == [], f"declare class ...Row(Base, public=True or False): {undeclared}"


def test_the_public_tables_are_the_publisher_the_catalog_and_bulletins() -> None:
    public = {name for name, table in Base.metadata.tables.items() if is_public(table)}
    assert public == PUBLIC_TABLES


def test_a_new_database_starts_at_zero(database: Database) -> None:
    assert generation(database) == 0


def test_bump_adds_one_within_the_transaction(database: Database) -> None:
    with database.unit_of_work() as uow:
        assert uow.site.bump() == 1
        assert uow.site.bump() == 2
        assert uow.site.generation() == 2
    assert generation(database) == 0  # rolled back with the transaction
    with database.unit_of_work() as uow:
        assert uow.site.bump() == 1
        uow.commit()
    assert generation(database) == 1


def test_every_public_write_bumps_once_per_commit(database: Database) -> None:
    with database.unit_of_work() as uow:
        seed(uow, xenserver())  # publisher and a product: one commit
    assert generation(database) == 1
    with database.unit_of_work() as uow:
        uow.catalog.save_product(hypervisor())
        uow.commit()
    assert generation(database) == 2
    draft = listed("CTX100001", Status.DRAFT, AT)
    steps: list[Callable[[SqlUnitOfWork], None]] = [
        lambda uow: uow.bulletins.add(draft),
        lambda uow: uow.bulletins.update(replace(draft, title="Changed")),
        lambda uow: uow.bulletins.delete("CTX100001"),
        lambda uow: uow.publisher.save(replace(demo.publisher(), brand="Other")),
    ]
    for expected, step in enumerate(steps, start=3):
        with database.unit_of_work() as uow:
            step(uow)
            uow.commit()
        assert generation(database) == expected


def test_reads_and_private_writes_do_not_bump(database: Database) -> None:
    with database.unit_of_work() as uow:
        seed(uow, xenserver())
    with database.unit_of_work() as uow:
        uow.bulletins.add(listed("CTX100001", Status.PUBLISHED, AT))
        uow.commit()
    before = generation(database)
    with database.unit_of_work(read_only=True) as uow:
        uow.bulletins.list()
        uow.catalog.load()
        uow.commit()
    with database.unit_of_work() as uow:
        uow.bulletins.find("CTX100001")
        uow.publisher.get()
        uow.commit()
    with database.unit_of_work() as uow:
        uow.users.add(User("alice", "Alice", frozenset({Role.ADMIN}), "hash"))
        uow.audit.append(AuditEntry(AT, "alice", "user.add", "user:alice"))
        uow.sign_in.record_failure("user:bob", AT)
        uow.sign_in.clear("user:bob")
        uow.commit()
    with database.unit_of_work() as uow:
        token = uow.tokens.add(
            "ci", "0" * 64, AT, "alice", frozenset({Scope.WEBHOOKS_OWN}), AT + timedelta(30), None
        )
        uow.tokens.record_use(token.id, AT)
        uow.tokens.revoke(token.id, AT)
        uow.commit()
    with database.unit_of_work() as uow:
        uow.catalog.save_product(xenserver())  # the same product again: nothing changes
        uow.commit()
    assert generation(database) == before


def test_a_rolled_back_write_does_not_bump(database: Database) -> None:
    with database.unit_of_work() as uow:
        seed(uow, xenserver())
    before = generation(database)
    with database.unit_of_work() as uow:
        uow.bulletins.add(listed("CTX100001", Status.DRAFT, AT))
    assert generation(database) == before


def test_an_explicit_bump_is_not_doubled_by_the_commit(database: Database) -> None:
    with database.unit_of_work() as uow:
        seed(uow, xenserver())
    before = generation(database)
    with database.unit_of_work() as uow:
        uow.bulletins.add(listed("CTX100001", Status.DRAFT, AT))
        assert uow.site.bump() == before + 1
        uow.commit()
    assert generation(database) == before + 1
    with database.unit_of_work() as uow:
        uow.site.bump()
        uow.bulletins.add(listed("CTX100002", Status.DRAFT, AT))  # written after the bump
        uow.commit()
    assert generation(database) == before + 3


def test_concurrent_writers_each_get_their_own_generation(database: Database) -> None:
    with database.unit_of_work() as uow:
        seed(uow, xenserver())
    before = generation(database)
    seen: list[int] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        with database.unit_of_work() as uow:
            uow.bulletins.add(listed(f"CTX2000{n:02d}", Status.DRAFT, AT))
            value = uow.site.bump()
            uow.commit()
        with lock:
            seen.append(value)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(before + 1, before + 9))
    assert generation(database) == before + 8
