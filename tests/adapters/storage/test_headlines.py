"""Headlines (the light query of long lists) and the generation a process committed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import event

from herald import demo
from herald.adapters.storage import Database
from herald.domain import Bulletin, ValidationError
from herald.services.ports.bulletins import MAX_HEADLINES, BulletinHeadline, BulletinQuery

from .test_queries import EVERY, UowFactory, ask, stored  # noqa: F401  (the fixture)


def headlines(factory: UowFactory, **fields: object) -> list[BulletinHeadline]:
    with factory() as uow:
        return list(uow.bulletins.headlines(BulletinQuery(**fields)))  # type: ignore[arg-type]


def headline(bulletin: Bulletin) -> BulletinHeadline:
    return BulletinHeadline(
        bulletin.article_id,
        bulletin.title,
        bulletin.status,
        bulletin.published_at,
        bulletin.updated_at,
    )


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"public_only": False},
        {"order": "updated"},
        {"public_only": False, "order": "updated"},
        {"product": "xenserver"},
        {"product": "xenserver", "version": "8.2"},
        {"severity": "Medium"},
        {"year": 2026},
        {"cve": "CVE-2025-1111", "public_only": False},
        {"text": "cpu_bug", "public_only": False},
        {"limit": 2, "offset": 1},
        {"public_only": False, "limit": 3, "offset": 2},
    ],
)
def test_headlines_select_what_the_query_selects_in_its_order(
    stored: UowFactory,  # noqa: F811
    fields: dict[str, object],
) -> None:
    page = ask(stored, **fields)
    assert headlines(stored, **fields) == [headline(b) for b in page.bulletins]


def test_headlines_follow_a_cursor(stored: UowFactory) -> None:  # noqa: F811
    first = ask(stored, public_only=False, limit=3).bulletins
    last = first[-1]
    after: tuple[datetime, str] = (last.published_at or last.updated_at, last.article_id)
    rest = ask(stored, public_only=False, after=after, limit=100).bulletins
    found = headlines(stored, public_only=False, after=after, limit=100)
    assert found == [headline(b) for b in rest]
    assert len(first) + len(found) == len(EVERY)


def test_headlines_take_long_pages_in_one_statement(
    stored: UowFactory,  # noqa: F811
    database: Database,
) -> None:
    with _statements(database) as statements:
        found = headlines(stored, public_only=False, limit=MAX_HEADLINES)
    assert len(found) == len(EVERY)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    with pytest.raises(ValidationError, match="limit"):
        headlines(stored, limit=MAX_HEADLINES + 1)
    with pytest.raises(ValidationError, match="limit"):
        ask(stored, limit=MAX_HEADLINES)  # full bulletins keep their smaller pages


def test_the_database_knows_the_newest_generation_its_commits_made(database: Database) -> None:
    assert database.committed_generation() == 0
    with database.unit_of_work() as uow:
        uow.publisher.save(replace(demo.publisher(), brand="Someone"))
        uow.commit()
    with database.unit_of_work(read_only=True) as uow:
        first = uow.site.generation()
    assert database.committed_generation() == first == 1
    with database.unit_of_work() as uow:
        uow.users.find("nobody")
        uow.commit()  # nothing public written: no bump, nothing to hear
    with database.unit_of_work() as uow:
        uow.publisher.save(replace(demo.publisher(), brand="Else"))  # rolled back
    assert database.committed_generation() == 1
    with database.unit_of_work() as uow:
        uow.site.bump()
        uow.commit()
    assert database.committed_generation() == 2


def test_another_database_object_does_not_hear_the_commits(database: Database) -> None:
    other = Database(database.url)
    try:
        with other.unit_of_work() as uow:
            uow.site.bump()
            uow.commit()
        assert other.committed_generation() == 1
        assert database.committed_generation() == 0, "a process hears only its own commits"
    finally:
        other.dispose()


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
