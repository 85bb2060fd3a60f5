"""Fixtures for the web tests: herald with the demo data on each backend, a movable
clock, cheap password hashing, and an in-process client.

- ``clock``: a ``MovableClock`` starting at 2026-11-02 10:00 UTC; ``clock.advance(...)``.
- ``herald``: the services on ``database_url`` (SQLite and PostgreSQL), demo data loaded.
- ``app``: ``create_app(herald, run_scheduler=False)`` (tests release embargoes
  through reads, or by calling ``herald.authoring.release_due()``).
- ``client``: a ``fastapi.testclient.TestClient`` on ``app`` (``https://testserver``).
- ``staff``: creates users ``alice`` (author), ``bob`` (reviewer), ``carol``
  (publisher), ``root`` (admin), each with password ``PASSWORD``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from herald.adapters.web import create_app
from herald.bootstrap import Herald
from tests.conftest import DatabaseSnapshots
from tests.demo_services import prepared_services, settings_for

PASSWORD = "correct horse battery staple"
START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@dataclass
class MovableClock:
    """A clock the test moves by hand."""

    current: datetime = field(default=START)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


STAFF = {
    "author": ("alice", "Alice Author"),
    "reviewer": ("bob", "Bob Reviewer"),
    "publisher": ("carol", "Carol Publisher"),
    "admin": ("root", "Rita Admin"),
}
"""role: (username, display name) of the ``staff`` fixture's accounts."""


def add_staff(herald: Herald) -> dict[str, str]:
    """Add the ``STAFF`` accounts that are not there yet; usernames by role."""
    for role, (username, name) in STAFF.items():
        if herald.accounts.user(username) is None:
            herald.accounts.add_user(username, name, [role], PASSWORD)
    return {role: username for role, (username, _) in STAFF.items()}


@pytest.fixture
def herald(
    request: pytest.FixtureRequest,
    database_url: str,
    tmp_path: Path,
    clock: MovableClock,
    database_snapshots: DatabaseSnapshots,
) -> Iterator[Herald]:
    """The demo data, and the ``staff`` accounts when the test asks for them (both made
    once per worker and backend, then put back for each test)."""
    settings = settings_for(database_url, tmp_path / "var")
    if "staff" in request.fixturenames:
        prepared = prepared_services(settings, clock, database_snapshots, "staff", add_staff)
    else:
        prepared = prepared_services(settings, clock, database_snapshots, "demo", lambda _: {})
    with prepared as (services, _):
        yield services


@pytest.fixture
def app(herald: Herald) -> FastAPI:
    return create_app(herald, run_scheduler=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def staff(herald: Herald) -> dict[str, str]:
    """Usernames by role (``STAFF``); every password is ``PASSWORD``."""
    return add_staff(herald)


def later(clock: MovableClock, **delta: float) -> datetime:
    """An instant ``delta`` after the clock's current time."""
    return clock.now() + timedelta(**delta)
