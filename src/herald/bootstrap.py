"""The composition root: the one place that knows which adapter serves which port."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from herald.adapters.storage import Database
from herald.config import Settings
from herald.services.authoring import AuthoringService
from herald.services.reading import ReadingService
from herald.services.source import SourceService


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Herald:
    """herald's services, wired to their adapters."""

    settings: Settings
    database: Database
    authoring: AuthoringService
    reading: ReadingService
    source: SourceService

    def close(self) -> None:
        self.database.dispose()


def build(settings: Settings, *, migrate: bool = True) -> Herald:
    """Open the database (migrating it to the current schema) and build the services."""
    database = Database(settings.database_url)
    if migrate:
        database.migrate()
    clock = SystemClock()
    return Herald(
        settings=settings,
        database=database,
        authoring=AuthoringService(database.unit_of_work, clock),
        reading=ReadingService(partial(database.unit_of_work, read_only=True)),
        source=SourceService(database.unit_of_work),
    )
