"""The benchmark seeder writes bulletins the workflow could have produced, on both databases."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.seed import bench_catalog, seed_bulletins

from herald import demo
from herald.adapters.storage import Database
from herald.domain import Status
from herald.domain.workflow import check_consistent
from herald.services.ports.bulletins import BulletinQuery


def test_seeded_bulletins_are_consistent_and_queryable(database: Database) -> None:
    first = seed_bulletins(database, 150, seed=1)
    again = seed_bulletins(database, 50, seed=2)  # a second call adds, never collides

    assert len(set(first) | set(again)) == 200
    with database.unit_of_work(read_only=True) as uow:
        catalog = uow.catalog.load()
        publisher = uow.publisher.get()
        bulletins = uow.bulletins.list()
        generation = uow.site.generation()
        public = uow.bulletins.query(BulletinQuery(limit=1))
    assert publisher == demo.publisher()
    assert catalog == bench_catalog()
    assert len(bulletins) == 200
    for bulletin in bulletins:
        check_consistent(bulletin, catalog, publisher)
    statuses = Counter(bulletin.status for bulletin in bulletins)
    assert statuses[Status.PUBLISHED] > 150
    assert public.total == statuses[Status.PUBLISHED] + statuses[Status.WITHDRAWN]
    assert generation == 3  # the catalog once, then once per call


def test_the_same_seed_gives_the_same_bulletins(tmp_path: Path, database: Database) -> None:
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        seed_bulletins(database, 40, seed=7)
        seed_bulletins(other, 40, seed=7)
        with database.unit_of_work(read_only=True) as a, other.unit_of_work(read_only=True) as b:
            assert a.bulletins.list() == b.bulletins.list()
    finally:
        other.dispose()
