"""The embargo keeper's reuse of a site generation, and its bounds, on both backends.

A server process reuses a generation it read less than ``max_age`` seconds ago (the
monotonic clock here is moved by hand). The guarantees: a scheduled bulletin never
shows before its instant and shows on the first read after it; this process's own
changes show on its next read; another process's changes show within ``max_age``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest

from herald import demo
from herald.adapters.source import SourceTextSerializer
from herald.adapters.storage import Database, SqlUnitOfWork
from herald.domain import NotFound, Status
from herald.services.actors import Actor
from herald.services.authoring import AuthoringService
from herald.services.ports.bulletins import BulletinQuery
from herald.services.publication import EmbargoKeeper, PublicationService
from tests.demo_services import demo_items, source_service

MAX_AGE = 0.5
START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@dataclass
class Clocks:
    """The wall clock (UTC) and the monotonic one, both moved by hand."""

    current: datetime = START
    seconds: float = 1000.0

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return self.seconds


@dataclass
class Process:
    """One server process: its own ``Database`` object, keeper and services."""

    database: Database
    clocks: Clocks
    reads: list[int] = field(default_factory=list)
    max_age: float = MAX_AGE

    def __post_init__(self) -> None:
        self.authoring = AuthoringService(
            self.database.unit_of_work, self.clocks, SourceTextSerializer()
        )
        self.keeper = EmbargoKeeper(
            self._read,
            self.authoring.release_due,
            self.clocks,
            max_age=self.max_age,
            committed=self.database.committed_generation,
            monotonic=self.clocks.monotonic,
        )
        self.publication = PublicationService(self._read, self.keeper)

    def _read(self) -> SqlUnitOfWork:
        self.reads.append(1)
        return self.database.unit_of_work(read_only=True)

    def visible(self, article_id: str) -> bool:
        try:
            self.publication.bulletin(article_id)
        except NotFound:
            return False
        return True


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def here(database: Database, clocks: Clocks) -> Process:
    source_service(database.unit_of_work).import_items(demo_items())
    return Process(database, clocks)


@pytest.fixture
def elsewhere(database: Database, clocks: Clocks) -> Iterator[Process]:
    """Another worker process on the same database."""
    other = Process(Database(database.url), clocks)
    try:
        yield other
    finally:
        other.database.dispose()


def _approved(process: Process) -> str:
    draft = process.authoring.create_draft(demo.reference_content())
    process.authoring.submit(draft.article_id)
    process.authoring.approve(draft.article_id, Actor("another-operator"))
    return draft.article_id


def test_a_fresh_generation_is_reused_without_any_read(here: Process, clocks: Clocks) -> None:
    generation = here.publication.generation()
    reads = len(here.reads)
    assert here.publication.known_generation() == generation
    assert here.publication.generation() == generation
    assert len(here.reads) == reads, "no unit of work within max_age"
    clocks.seconds += MAX_AGE
    assert here.publication.known_generation() is None
    assert here.publication.generation() == generation
    assert len(here.reads) == reads + 1


def test_without_max_age_every_call_reads(database: Database, clocks: Clocks) -> None:
    process = Process(database, clocks, max_age=0.0)
    process.publication.generation()
    assert process.publication.known_generation() is None
    reads = len(process.reads)
    process.publication.generation()
    assert len(process.reads) == reads + 1


def test_this_process_sees_its_own_change_at_once(here: Process) -> None:
    before = here.publication.generation()
    here.authoring.create_draft(demo.reference_content())
    assert here.publication.known_generation() is None
    assert here.publication.generation() > before


def test_another_process_change_shows_within_max_age(
    here: Process, elsewhere: Process, clocks: Clocks
) -> None:
    before = here.publication.generation()
    elsewhere.authoring.create_draft(demo.reference_content())
    clocks.seconds += MAX_AGE * 0.9
    assert here.publication.generation() == before, "reused: the change is not seen yet"
    clocks.seconds += MAX_AGE * 0.1
    assert here.publication.generation() > before


def test_an_embargo_lifts_on_the_first_read_after_its_instant(
    here: Process, clocks: Clocks
) -> None:
    article_id = _approved(here)
    here.authoring.schedule(article_id, START + timedelta(hours=1))
    assert not here.visible(article_id)
    clocks.current = START + timedelta(hours=1) - timedelta(microseconds=1)
    assert not here.visible(article_id), "never early"
    assert here.publication.known_generation() is not None
    clocks.current = START + timedelta(hours=1)
    assert here.publication.known_generation() is None, "a due release is never reused away"
    assert here.visible(article_id)
    listed = here.publication.bulletins(BulletinQuery()).bulletins
    assert listed[0].article_id == article_id


def test_a_schedule_made_elsewhere_releases_on_time_everywhere(
    here: Process, elsewhere: Process, clocks: Clocks
) -> None:
    here.publication.generation()
    article_id = _approved(elsewhere)
    elsewhere.authoring.schedule(article_id, START + timedelta(minutes=5))
    clocks.seconds += MAX_AGE  # the schedule is learnt within max_age...
    assert not here.visible(article_id)
    clocks.current = START + timedelta(minutes=5)  # ...and kept until its instant
    assert here.visible(article_id), "the first read after the instant releases it"
    assert elsewhere.publication.known_generation() is None, "the release moved the generation"
    assert elsewhere.visible(article_id)


def test_a_release_made_elsewhere_shows_at_the_instant_without_waiting(
    here: Process, elsewhere: Process, clocks: Clocks
) -> None:
    article_id = _approved(here)
    here.authoring.schedule(article_id, START + timedelta(minutes=5))
    elsewhere.publication.generation()
    here.publication.generation()
    clocks.current = START + timedelta(minutes=5)
    assert elsewhere.visible(article_id)  # released by the other process
    assert here.visible(article_id), "due here too: read again, nothing left to release"


def test_the_catalog_is_kept_per_generation(
    here: Process, elsewhere: Process, clocks: Clocks
) -> None:
    first = here.publication.catalog()
    assert here.publication.catalog() is first
    assert here.publication.bulletin("CTX696397").document is not None
    assert here.publication.catalog() is first, "a bulletin's document reuses it"
    product = first.products[0]
    with elsewhere.database.unit_of_work() as uow:
        uow.catalog.save_product(replace(product, name="Renamed"))
        uow.commit()
    renamed = here.publication.catalog()
    assert renamed.products[0].name == "Renamed", "read with the generation, not after max_age"
    assert here.publication.publisher() == demo.publisher()


def test_bulletins_read_at_this_generation_are_answered_from_memory(
    here: Process, elsewhere: Process, clocks: Clocks
) -> None:
    """A bulletin read once (alone, in a list or for a CVE) is not read again at the same
    generation; a change anywhere shows on the read after it, as without memory."""
    listed = here.publication.bulletins(BulletinQuery(limit=10)).bulletins
    reads = len(here.reads)
    public = here.publication.bulletin("CTX696397")
    assert public.bulletin == listed[0]
    assert here.publication.bulletin("CTX696397") is public
    assert here.publication.by_cve("CVE-2026-4397") == [public.bulletin]
    assert len(here.reads) == reads + 2, "the catalog once, the CVE's headlines once"

    elsewhere.authoring.withdraw("CTX696397", "Withdrawn: not affected")
    clocks.seconds += MAX_AGE
    withdrawn = here.publication.bulletin("CTX696397").bulletin
    assert withdrawn.status is Status.WITHDRAWN
    assert here.publication.by_cve("CVE-2026-4397") == [withdrawn]
    assert elsewhere.publication.bulletin("CTX696397").bulletin == withdrawn
