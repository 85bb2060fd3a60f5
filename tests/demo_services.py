"""herald's services holding the demo data, for tests: built, loaded, closed afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from herald import demo
from herald.adapters.security import Argon2Hasher
from herald.adapters.source import SourceTextSerializer
from herald.bootstrap import Herald, SystemClock, build
from herald.config import Settings
from herald.services.ports.common import Clock
from herald.services.ports.unit_of_work import UnitOfWorkFactory
from herald.services.recording import Recorder
from herald.services.source import SourceItems, SourceService
from tests.conftest import DatabaseSnapshots

T = TypeVar("T")

TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
"""``HERALD_SECRET_KEY`` of the tests (long enough for the settings' check)."""
TEST_BASE_URL = "https://bulletins.example.com"


def demo_items() -> SourceItems:
    """The publisher, the catalog and CTX696397, as ``herald demo`` loads them."""
    return SourceItems(demo.publisher(), demo.catalog().products, (demo.reference_bulletin(),))


def settings_for(database_url: str, data_dir: Path, **changes: Any) -> Settings:
    """Settings for a test: its database and data folder, the test secret and base URL."""
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        base_url=TEST_BASE_URL,
        secret_key=TEST_SECRET_KEY,
    )
    return replace(settings, **changes)


@contextmanager
def with_demo_data(services: Herald) -> Iterator[Herald]:
    """``services`` with the demo data imported; closed when the block ends."""
    try:
        services.source.import_items(demo_items())
        yield services
    finally:
        services.close()


@contextmanager
def demo_services(
    settings: Settings, clock: Clock, snapshots: DatabaseSnapshots | None = None
) -> Iterator[Herald]:
    """herald built on ``settings`` (cheap password hashing) with the demo data.

    With ``snapshots`` (on a ``database_url`` nobody wrote yet), the demo data is imported
    once per worker and backend at the clock's time and put back for the next tests."""
    if snapshots is None:
        with with_demo_data(_build(settings, clock)) as services:
            yield services
        return
    with prepared_services(settings, clock, snapshots, "demo data", lambda _: None) as (loaded, _):
        yield loaded


@contextmanager
def prepared_services(
    settings: Settings,
    clock: Clock,
    snapshots: DatabaseSnapshots,
    key: object,
    prepare: Callable[[Herald], T],
) -> Iterator[tuple[Herald, T]]:
    """herald with the demo data and what ``prepare(services)`` adds, and its value.

    Made once per worker and backend (``key`` and the clock's time name it) and put back
    for the next tests: ``prepare`` must give the same result each time it runs."""

    def make() -> T:
        with with_demo_data(_build(settings, clock)) as services:
            return prepare(services)

    value = snapshots.restore_or_make((key, clock.now()), settings.data_dir, make)
    services = _build(settings, clock, migrate=False)  # the snapshot is of a migrated one
    try:
        yield services, value
    finally:
        services.close()


def _build(settings: Settings, clock: Clock, *, migrate: bool = True) -> Herald:
    return build(settings, migrate=migrate, clock=clock, hasher=Argon2Hasher(cheap=True))


def source_service(unit_of_work: UnitOfWorkFactory, clock: Clock | None = None) -> SourceService:
    """A ``SourceService`` on ``unit_of_work`` as ``build`` wires it (no alerts)."""
    return SourceService(unit_of_work, clock or SystemClock(), Recorder(SourceTextSerializer()))
