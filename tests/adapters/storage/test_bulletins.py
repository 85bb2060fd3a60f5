"""Bulletins stored and read back; the change log only grows; transactions hold."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, insert

from herald import demo
from herald.adapters.storage import Database, SqlUnitOfWork
from herald.adapters.storage.errors import storage_errors
from herald.adapters.storage.tables.bulletins import BulletinRow
from herald.domain import (
    Bulletin,
    Catalog,
    ChangeLogEntry,
    ChannelRef,
    Conflict,
    CveId,
    CweId,
    Fix,
    NotFound,
    RuleViolation,
    SectionKind,
    Status,
    ValidationError,
    VersionRef,
)
from herald.domain.workflow import amend, withdraw

from .samples import XENSERVER, draft, rich_bulletin, seed, xenserver

UowFactory = Callable[[], SqlUnitOfWork]
REFERENCE = demo.REFERENCE_ID


@pytest.fixture
def seeded(uow_factory: UowFactory) -> UowFactory:
    """The demo publisher and catalog (with an end-of-life 8.2) stored."""
    with uow_factory() as uow:
        seed(uow, xenserver())
    return uow_factory


@contextmanager
def recorded(database: Database) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(" ".join(str(args[2]).split()))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def _add(factory: UowFactory, *bulletins: Bulletin) -> None:
    with factory() as uow:
        for bulletin in bulletins:
            uow.bulletins.add(bulletin)
        uow.commit()


def test_reference_bulletin_round_trip(seeded: UowFactory) -> None:
    _add(seeded, demo.reference_bulletin())
    with seeded() as uow:
        assert uow.bulletins.find(REFERENCE) == demo.reference_bulletin()
        assert uow.bulletins.list() == [demo.reference_bulletin()]
        assert uow.bulletins.article_ids() == [REFERENCE]


def test_rich_bulletin_round_trip(seeded: UowFactory) -> None:
    written = rich_bulletin()
    _add(seeded, written)
    with seeded() as uow:
        read = uow.bulletins.find(written.article_id)
    assert read == written
    assert read is not None
    assert [score.version.value for score in read.cvss] == ["3.1", "4.0"]
    assert read.cves == (CveId("CVE-2026-5001"), CveId("CVE-2026-10002"), CveId("CVE-2025-999999"))
    assert read.fixes[1].mitigation == "Disable *PCI passthrough* until the next update."
    assert list(read.sections) == [SectionKind.CUSTOMER_ACTION, SectionKind.VENDOR_ACTION]
    for moment in (read.created_at, read.updated_at, read.published_at):
        assert moment is not None
        assert moment.utcoffset() == timedelta(0)
    assert read.published_at == datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
    assert read.updated_at.microsecond == 123456


def test_find_unknown_is_none(seeded: UowFactory) -> None:
    with seeded() as uow:
        assert uow.bulletins.find("CTX000000") is None
        assert uow.bulletins.list() == []
        assert uow.bulletins.article_ids() == []


def test_list_is_newest_first_then_by_article_id(seeded: UowFactory) -> None:
    noon = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    _add(
        seeded,
        draft("CTX000001", noon),
        draft("CTX000002", noon + timedelta(hours=1)),
        draft("CTX000003", noon),
        draft("CTX000004", noon - timedelta(days=1)),
    )
    with seeded() as uow:
        order = [bulletin.article_id for bulletin in uow.bulletins.list()]
        assert order == ["CTX000002", "CTX000003", "CTX000001", "CTX000004"]
        assert list(uow.bulletins.article_ids()) == sorted(order)


def test_list_reads_in_a_fixed_number_of_queries(seeded: UowFactory, database: Database) -> None:
    _add(seeded, rich_bulletin("CTX700001"))
    with seeded() as uow, recorded(database) as one:
        uow.bulletins.list()
    _add(seeded, *(rich_bulletin(f"CTX70000{n}") for n in range(2, 7)))
    with seeded() as uow, recorded(database) as six:
        assert len(uow.bulletins.list()) == 6
    assert len(six) == len(one) <= 12  # begin, the rows, one per list of a bulletin


def test_add_refuses_a_taken_article_id(seeded: UowFactory) -> None:
    _add(seeded, demo.reference_bulletin())
    with seeded() as uow, pytest.raises(Conflict, match=REFERENCE):
        uow.bulletins.add(replace(demo.reference_bulletin(), title="Another"))
    with seeded() as uow:
        uow.bulletins.add(draft("CTX000009", datetime(2026, 5, 1, tzinfo=UTC)))
        with pytest.raises(Conflict):
            uow.bulletins.add(draft("CTX000009", datetime(2026, 5, 2, tzinfo=UTC)))


def test_a_key_the_database_finds_taken_is_a_conflict(
    seeded: UowFactory, database: Database
) -> None:
    """The database's own unique-key error becomes ``Conflict``, never a raw exception."""
    _add(seeded, demo.reference_bulletin())
    at = datetime(2026, 1, 1, tzinfo=UTC)
    again = insert(BulletinRow).values(
        article_id=REFERENCE, title="x", problem="", status="draft", created_at=at, updated_at=at
    )
    with database.engine.connect() as connection:
        with pytest.raises(Conflict, match="already taken"), storage_errors("test"):
            connection.execute(again)
        connection.rollback()


def test_a_dangling_reference_is_a_validation_error(seeded: UowFactory) -> None:
    ghost = replace(
        draft("CTX000010", datetime(2026, 5, 1, tzinfo=UTC)),
        affected=(VersionRef(XENSERVER, "7.1"),),
    )
    with seeded() as uow, pytest.raises(ValidationError) as caught:
        uow.bulletins.add(ghost)
    assert "does not exist" in caught.value.reason
    with seeded() as uow:
        assert uow.bulletins.find("CTX000010") is None


def _amended(bulletin: Bulletin, on: date, summary: str) -> Bulletin:
    content = replace(bulletin.content(), problem=bulletin.problem + " Updated.")
    at = datetime.combine(on, datetime.min.time(), UTC)
    return amend(
        bulletin, content, ChangeLogEntry(on, summary), xenserver_catalog(), demo.publisher(), at
    )


def xenserver_catalog() -> Catalog:
    return Catalog((xenserver(),))


def test_update_appends_to_the_change_log_and_never_rewrites_it(
    seeded: UowFactory, database: Database
) -> None:
    published = demo.reference_bulletin()
    _add(seeded, published)
    amended = _amended(published, date(2026, 3, 30), "Updated the problem description")
    withdrawn = withdraw(
        amended, ChangeLogEntry(date(2026, 4, 2), "Withdrawn"), datetime(2026, 4, 2, tzinfo=UTC)
    )
    for state in (amended, withdrawn):
        with seeded() as uow, recorded(database) as statements:
            uow.bulletins.update(state)
            uow.commit()
        log_writes = [s for s in statements if "changelog_entries" in s and "SELECT" not in s]
        assert len(log_writes) == 1
        assert log_writes[0].startswith("INSERT INTO changelog_entries")
        with seeded() as uow:
            assert uow.bulletins.find(REFERENCE) == state
    assert withdrawn.status is Status.WITHDRAWN
    assert withdrawn.revision == 3


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ("edit", "changelog[0]", "never edited"),
        ("drop", "changelog[1]", "never removed"),
        ("empty", "changelog[0]", "never removed"),
    ],
)
def test_update_refuses_to_edit_or_drop_an_entry(
    seeded: UowFactory, change: str, field: str, reason: str
) -> None:
    stored = _amended(demo.reference_bulletin(), date(2026, 3, 30), "Clarified")
    _add(seeded, stored)
    log = stored.changelog
    if change == "edit":
        changed_log = (replace(log[0], summary="First publication"), *log[1:])
    elif change == "drop":
        changed_log = log[:1]
    else:
        changed_log = ()
    attempt = replace(stored, title="Changed too", changelog=changed_log)
    with seeded() as uow:
        with pytest.raises(RuleViolation) as caught:
            uow.bulletins.update(attempt)
        uow.commit()  # nothing was half-written before the refusal
    assert caught.value.field == field
    assert reason in caught.value.reason
    with seeded() as uow:
        assert uow.bulletins.find(REFERENCE) == stored


def test_update_rewrites_the_lists_of_a_draft(seeded: UowFactory) -> None:
    first = replace(rich_bulletin("CTX800001"), status=Status.DRAFT, changelog=())
    _add(seeded, first)
    second = replace(
        first,
        cves=(first.cves[2], first.cves[0]),
        cvss=(first.cvss[1],),
        weaknesses={first.cves[0]: (CweId("CWE-20"), CweId("CWE-787"))},
        affected=(VersionRef(XENSERVER, "8.4"),),
        fixes=(Fix(ChannelRef(XENSERVER, "8.4", "Early Access"), release="8.4.2026-03-19"),),
        sections={SectionKind.SUPPORT: "Call us."},
        not_covered=(),
        updated_at=first.updated_at + timedelta(minutes=5),
    )
    with seeded() as uow:
        uow.bulletins.update(second)
        uow.commit()
    with seeded() as uow:
        assert uow.bulletins.find("CTX800001") == second


def test_update_of_an_unknown_bulletin_is_not_found(seeded: UowFactory) -> None:
    with seeded() as uow, pytest.raises(NotFound):
        uow.bulletins.update(demo.reference_bulletin())


def test_nothing_is_kept_without_commit(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.bulletins.add(demo.reference_bulletin())
        assert uow.bulletins.find(REFERENCE) == demo.reference_bulletin()
    with pytest.raises(RuntimeError), seeded() as uow:
        uow.bulletins.add(demo.reference_bulletin())
        raise RuntimeError("boom")
    with seeded() as uow:
        assert uow.bulletins.find(REFERENCE) is None
        assert uow.bulletins.article_ids() == []


def test_delete_removes_a_draft_with_its_lists(seeded: UowFactory) -> None:
    doomed = replace(rich_bulletin("CTX800002"), status=Status.DRAFT, changelog=())
    _add(seeded, doomed, draft("CTX800003", datetime(2026, 5, 1, tzinfo=UTC)))
    with seeded() as uow:
        uow.bulletins.delete("CTX800002")
        uow.commit()
    with seeded() as uow:
        assert uow.bulletins.article_ids() == ["CTX800003"]
        with pytest.raises(NotFound):
            uow.bulletins.delete("CTX800002")
    with seeded() as uow:
        uow.bulletins.add(doomed)  # no row of the old one is left behind
        uow.commit()


def test_a_naive_timestamp_is_refused(seeded: UowFactory) -> None:
    naive = replace(
        draft("CTX800004", datetime(2026, 5, 1, tzinfo=UTC)), updated_at=datetime(2026, 5, 1)
    )
    with seeded() as uow, pytest.raises(ValidationError, match="timezone-aware"):
        uow.bulletins.add(naive)
