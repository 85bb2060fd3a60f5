"""Bulletin queries: filters, search, order, totals and pages, all decided in SQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Literal

import pytest
from sqlalchemy import event

from herald.adapters.storage import Database, SqlUnitOfWork
from herald.domain import Bulletin, Status, ValidationError, VersionRef
from herald.services.ports.bulletins import BulletinPage, BulletinQuery

from .samples import (
    CITRIX_HYPERVISOR,
    XENSERVER,
    hypervisor,
    listed,
    rich_bulletin,
    seed,
    xenserver,
)

UowFactory = Callable[[], SqlUnitOfWork]
Order = Literal["published", "updated"]

T0 = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
NEW_YEAR = datetime(2026, 1, 1, tzinfo=UTC)

A = listed(
    "CTX100001",
    Status.PUBLISHED,
    T0,
    title="XenServer fix for a 100% CPU_bug",
    cves=("CVE-2025-1111",),
    problem="A guest can make the host spin at **full** load.",
)
B = listed(
    "CTX100002",
    Status.PUBLISHED,
    NEW_YEAR,
    title="Old XenServer update",
    severity="Medium",
    cves=("CVE-2026-2222", "CVE-2026-2223"),
    problem="Memory of a terminated VM a/b may leak.",
    affected=(VersionRef(XENSERVER, "8.2"),),
)
C = listed(
    "CTX100003",
    Status.PUBLISHED,
    NEW_YEAR - timedelta(microseconds=1),
    title="Hypervisor update",
    severity="Low",
    cves=("CVE-2026-3333",),
    problem="Ünïcode and CPUxbug 1000 in the problem.",
    affected=(VersionRef(CITRIX_HYPERVISOR, "8.2 CU1"),),
)
D = listed(
    "CTX100004",
    Status.WITHDRAWN,
    datetime(2024, 3, 3, tzinfo=UTC),
    cves=("CVE-2024-4444",),
    affected=(VersionRef(XENSERVER, "8.4"), VersionRef(XENSERVER, "8.2")),
)
LATER = datetime(2026, 6, 1, tzinfo=UTC)
E = listed("CTX200001", Status.DRAFT, LATER, title="Draft about the 100% CPU_bug")
F = listed("CTX200002", Status.IN_REVIEW, LATER + timedelta(hours=1), cves=("CVE-2025-1111",))
G = listed("CTX200003", Status.APPROVED, LATER - timedelta(days=400))
H = listed("CTX200004", Status.SCHEDULED, LATER + timedelta(hours=2))
PUBLIC = (B, C, A, D)
"""The public bulletins, newest first by first publication."""
UNPUBLISHED = (H, F, E, G)
"""The others, by last change."""
EVERY = (A, B, C, D, E, F, G, H)


@pytest.fixture
def stored(uow_factory: UowFactory) -> UowFactory:
    with uow_factory() as uow:
        seed(uow, xenserver(), hypervisor())
    with uow_factory() as uow:
        for bulletin in EVERY:
            uow.bulletins.add(bulletin)
        uow.commit()
    return uow_factory


def ask(factory: UowFactory, **fields: object) -> BulletinPage:
    with factory() as uow:
        return uow.bulletins.query(BulletinQuery(**fields))  # type: ignore[arg-type]


def ids(page: BulletinPage | Sequence[Bulletin]) -> list[str]:
    bulletins = page.bulletins if isinstance(page, BulletinPage) else page
    return [bulletin.article_id for bulletin in bulletins]


def names(*bulletins: Bulletin) -> list[str]:
    return [bulletin.article_id for bulletin in bulletins]


def test_public_only_is_the_default_and_hides_every_unpublished_status(
    stored: UowFactory,
) -> None:
    page = ask(stored)
    assert ids(page) == names(*PUBLIC)
    assert page.total == 4
    assert page.bulletins == PUBLIC  # whole bulletins, every list loaded
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED):
        hidden = ask(stored, status=status)
        assert (hidden.bulletins, hidden.total) == ((), 0)


def test_unpublished_bulletins_come_last_by_their_last_change(stored: UowFactory) -> None:
    page = ask(stored, public_only=False)
    assert ids(page) == names(*PUBLIC, *UNPUBLISHED)
    assert page.total == 8


def test_by_last_change(stored: UowFactory) -> None:
    every = sorted(EVERY, key=lambda b: (b.updated_at, b.article_id), reverse=True)
    assert ids(ask(stored, public_only=False, order="updated")) == names(*every)
    public = [b for b in every if b.status.public]
    assert ids(ask(stored, order="updated")) == names(*public)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DRAFT, [E]),
        (Status.IN_REVIEW, [F]),
        (Status.APPROVED, [G]),
        (Status.SCHEDULED, [H]),
        (Status.PUBLISHED, [B, C, A]),
        (Status.WITHDRAWN, [D]),
    ],
)
def test_status(stored: UowFactory, status: Status, expected: list[Bulletin]) -> None:
    page = ask(stored, public_only=False, status=status)
    assert ids(page) == names(*expected)
    assert page.total == len(expected)


def test_product_and_version(stored: UowFactory) -> None:
    assert ids(ask(stored, product=XENSERVER)) == names(B, A, D)
    assert ids(ask(stored, product=XENSERVER, version="8.2")) == names(B, D)
    assert ids(ask(stored, product=XENSERVER, version="8.4")) == names(A, D)
    assert ids(ask(stored, product=CITRIX_HYPERVISOR)) == names(C)
    assert ids(ask(stored, product=XENSERVER, version="9")) == []
    assert ids(ask(stored, product="nothing")) == []
    with pytest.raises(ValidationError) as caught:
        ask(stored, version="8.4")
    assert caught.value.field == "version"


def test_severity(stored: UowFactory) -> None:
    assert ids(ask(stored, severity="High")) == names(A, D)
    assert ids(ask(stored, severity="Low")) == names(C)
    assert ids(ask(stored, severity="high")) == []


def test_year_is_the_utc_year_of_first_publication(stored: UowFactory) -> None:
    assert ids(ask(stored, year=2026)) == names(B)
    assert ids(ask(stored, year=2025)) == names(C, A)
    assert ids(ask(stored, year=2024)) == names(D)
    assert ids(ask(stored, year=2026, public_only=False)) == names(B)  # drafts have none
    for outside in (0, -1, 1, 9999, 10000):
        assert ask(stored, year=outside).total == 0


def test_cve(stored: UowFactory) -> None:
    assert ids(ask(stored, cve="CVE-2026-2223")) == names(B)
    assert ids(ask(stored, cve=" cve-2026-2223 ")) == names(B)
    assert ids(ask(stored, cve="CVE-2025-1111", public_only=False)) == names(A, F)
    assert ids(ask(stored, cve="CVE-2026-222")) == []  # whole ids only


SEARCHES: list[tuple[str, list[Bulletin]]] = [
    ("xenserver", [B, A]),  # title, any case
    ("HYPERVISOR", [C]),
    ("100003", [C]),  # article id
    ("terminated", [B]),  # problem
    ("ÜNÏCODE", [C]),  # problem, case folded beyond ASCII on both databases
    ("2026-3333", [C]),  # a CVE id
    ("cve-2025", [A]),
    ("update xenserver", [B]),  # every word, in any field
    ("old 3333", []),
    ("100%", [A]),  # % is a character, not a wildcard ("1000" does not match)
    ("CPU_bug", [A]),  # _ too ("CPUxbug" does not match)
    ("%", [A]),
    ("_", [A]),
    ("a/b", [B]),  # the escape character itself
    ("a\\b", []),
    ("'; drop table bulletins; --", []),
    ("", [B, C, A, D]),
    ("   ", [B, C, A, D]),
]


def test_text(stored: UowFactory) -> None:
    """One database for every search (creating one per case costs more than the searches)."""
    for text, expected in SEARCHES:
        page = ask(stored, text=text)
        assert (ids(page), page.total) == (names(*expected), len(expected)), text


def test_text_hides_unpublished_matches_unless_asked(stored: UowFactory) -> None:
    assert ids(ask(stored, text="cpu_bug")) == names(A)
    assert ids(ask(stored, text="cpu_bug", public_only=False)) == names(A, E)


def test_filters_combine(stored: UowFactory) -> None:
    page = ask(stored, product=XENSERVER, severity="High", year=2025, text="cpu")
    assert ids(page) == names(A)
    assert page.total == 1


def test_offset_pages(stored: UowFactory) -> None:
    every = names(*PUBLIC, *UNPUBLISHED)
    pages = [ask(stored, public_only=False, limit=3, offset=offset) for offset in (0, 3, 6, 9)]
    assert [ids(page) for page in pages] == [every[0:3], every[3:6], every[6:8], []]
    assert {page.total for page in pages} == {8}


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"offset": -1}, "offset")],
)
def test_pages_that_cannot_be(stored: UowFactory, fields: dict[str, int], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ask(stored, **fields)
    assert caught.value.field == field


def cursor(bulletin: Bulletin, order: Order) -> tuple[datetime, str]:
    """What a list page hands to the next one: the last bulletin's sort instant and id."""
    if order == "published" and bulletin.published_at is not None:
        return bulletin.published_at, bulletin.article_id
    return bulletin.updated_at, bulletin.article_id


def walk(factory: UowFactory, order: Order, public_only: bool, limit: int) -> list[str]:
    seen: list[str] = []
    after: tuple[datetime, str] | None = None
    for _ in range(100):
        page = ask(factory, order=order, public_only=public_only, limit=limit, after=after)
        seen.extend(ids(page))
        if len(page.bulletins) < limit:
            return seen
        after = cursor(page.bulletins[-1], order)
    raise AssertionError("the walk does not end")


@pytest.fixture
def crowded(uow_factory: UowFactory) -> UowFactory:
    """31 bulletins: ties on every instant, every status, published ones changed later."""
    with uow_factory() as uow:
        seed(uow, xenserver())
    statuses = list(Status)
    with uow_factory() as uow:
        for n in range(31):
            status = statuses[n % len(statuses)]
            at = T0 + timedelta(hours=n // 4)  # four at a time share an instant
            changed = T0 + timedelta(hours=(n * 7) % 5) if status.public else None
            uow.bulletins.add(listed(f"CTX3{n % 3}{n:04d}", status, at, updated_at=changed))
        uow.commit()
    return uow_factory


@pytest.mark.parametrize("order", ["published", "updated"])
@pytest.mark.parametrize("public_only", [True, False])
@pytest.mark.parametrize("limit", [1, 4, 7])
def test_a_keyset_walk_sees_every_bulletin_once_in_order(
    crowded: UowFactory, order: Order, public_only: bool, limit: int
) -> None:
    whole = ask(crowded, order=order, public_only=public_only, limit=1000)
    walked = walk(crowded, order, public_only, limit)
    assert walked == ids(whole)
    assert len(set(walked)) == whole.total == (10 if public_only else 31)


def test_a_cursor_keeps_the_filters_and_total(stored: UowFactory) -> None:
    first = ask(stored, product=XENSERVER, limit=2)
    second = ask(stored, product=XENSERVER, limit=2, after=cursor(first.bulletins[-1], "published"))
    assert ids(first) + ids(second) == names(B, A, D)
    assert first.total == second.total == 3


def test_a_cursor_needs_its_time_zone(stored: UowFactory) -> None:
    with pytest.raises(ValidationError) as caught:
        ask(stored, after=(datetime(2026, 1, 1), "CTX100001"))
    assert caught.value.field == "after"


@contextmanager
def counted(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def test_a_page_is_read_in_a_fixed_number_of_statements(
    uow_factory: UowFactory, database: Database
) -> None:
    with uow_factory() as uow:
        seed(uow, xenserver())
    with uow_factory() as uow:
        for n in range(30):
            uow.bulletins.add(replace(rich_bulletin(f"CTX9{n:05d}"), title=f"Rich {n}"))
        uow.commit()
    counts = []
    for limit in (1, 10, 30):
        with uow_factory() as uow, counted(database) as statements:
            page = uow.bulletins.query(BulletinQuery(limit=limit, text="rich"))
        assert len(page.bulletins) == limit
        assert page.total == 30
        counts.append(len(statements))
    assert len(set(counts)) == 1
    assert counts[0] <= 15  # the page, its total, and one read per list of a bulletin


# --- embargo -----------------------------------------------------------------------------


def scheduled(article_id: str, release_at: datetime) -> Bulletin:
    return listed(article_id, Status.SCHEDULED, release_at)


def test_next_release_and_what_is_due(uow_factory: UowFactory) -> None:
    ten = datetime(2026, 4, 14, 10, 0, tzinfo=UTC)
    with uow_factory() as uow:
        seed(uow, xenserver())
    with uow_factory() as uow:
        assert uow.bulletins.next_release_at() is None
        assert uow.bulletins.due_for_release(ten) == []
        for bulletin in (
            scheduled("CTX400002", ten + timedelta(hours=2)),
            scheduled("CTX400001", ten),
            scheduled("CTX400003", ten),
            listed("CTX400004", Status.APPROVED, ten - timedelta(days=1)),
            listed("CTX400005", Status.PUBLISHED, ten - timedelta(days=1)),
        ):
            uow.bulletins.add(bulletin)
        uow.commit()
    with uow_factory() as uow:
        assert uow.bulletins.next_release_at() == ten
        assert uow.bulletins.due_for_release(ten - timedelta(microseconds=1)) == []
        due = uow.bulletins.due_for_release(ten + timedelta(hours=1))
        assert ids(due) == ["CTX400001", "CTX400003"]
        assert due[0] == scheduled("CTX400001", ten)
        assert ids(uow.bulletins.due_for_release(ten + timedelta(days=1))) == [
            "CTX400001",
            "CTX400003",
            "CTX400002",
        ]
    with uow_factory() as uow, pytest.raises(ValidationError, match="timezone-aware"):
        uow.bulletins.due_for_release(datetime(2026, 4, 14, 11, 0))


def test_two_workers_never_release_one_bulletin_twice(
    uow_factory: UowFactory, database: Database
) -> None:
    ten = datetime(2026, 4, 14, 10, 0, tzinfo=UTC)
    with uow_factory() as uow:
        seed(uow, xenserver())
    with uow_factory() as uow:
        uow.bulletins.add(scheduled("CTX500001", ten))
        uow.bulletins.add(scheduled("CTX500002", ten + timedelta(minutes=1)))
        uow.commit()
    now = ten + timedelta(hours=1)
    if database.is_sqlite:
        # No row locks: the second writer waits for the first one's transaction.
        released: list[list[str]] = []

        def worker() -> None:
            with uow_factory() as uow:
                due = uow.bulletins.due_for_release(now)
                released.append(ids(due))
                for bulletin in due:
                    uow.bulletins.update(replace(bulletin, status=Status.PUBLISHED))
                uow.commit()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(released) == [[], ["CTX500001", "CTX500002"]]
        return
    with uow_factory() as first, uow_factory() as second:
        assert ids(first.bulletins.due_for_release(now)) == ["CTX500001", "CTX500002"]
        assert ids(second.bulletins.due_for_release(now)) == []  # locked: skipped, no wait
        first.commit()
    with uow_factory() as third:
        assert ids(third.bulletins.due_for_release(now)) == ["CTX500001", "CTX500002"]
