"""herald's services holding the demo data, for tests: built, loaded, closed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from herald import demo
from herald.adapters.security import Argon2Hasher
from herald.adapters.source import SourceTextSerializer
from herald.bootstrap import Herald, SystemClock, build
from herald.config import Settings
from herald.services.ports.common import Clock
from herald.services.ports.unit_of_work import UnitOfWorkFactory
from herald.services.recording import Recorder
from herald.services.source import SourceItems, SourceService

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
def demo_services(settings: Settings, clock: Clock) -> Iterator[Herald]:
    """herald built on ``settings`` (cheap password hashing) with the demo data."""
    with with_demo_data(build(settings, clock=clock, hasher=Argon2Hasher(cheap=True))) as services:
        yield services


def source_service(unit_of_work: UnitOfWorkFactory, clock: Clock | None = None) -> SourceService:
    """A ``SourceService`` on ``unit_of_work`` as ``build`` wires it (no alerts)."""
    return SourceService(unit_of_work, clock or SystemClock(), Recorder(SourceTextSerializer()))
