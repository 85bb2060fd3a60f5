"""``database_snapshots`` puts back exactly what was made once: rows, numbering and files.

Tests that share a slow setup (the demo data, the authorization matrix's world) get it
from a snapshot; a snapshot that leaked one test's writes into the next, or lost part of
what was made, would make those tests pass or fail for the wrong reason.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

from herald import demo
from herald.adapters.storage import Database
from herald.domain.audit import AuditEntry
from tests.conftest import DatabaseSnapshots

AT = datetime(2026, 5, 1, tzinfo=UTC)


def _append_audit(url: str, actor: str) -> int:
    """Commit one audit entry; the id it got."""
    database = Database(url)
    try:
        with database.unit_of_work() as uow:
            stored = uow.audit.append(AuditEntry(at=AT, actor=actor, action="x.y", subject="s"))
            uow.commit()
        assert stored.id is not None
        return stored.id
    finally:
        database.dispose()


def _contents(url: str) -> tuple[bool, list[str]]:
    """Whether the publisher is there, and who wrote the audit entries."""
    database = Database(url)
    try:
        with database.unit_of_work() as uow:
            return uow.publisher.get() is not None, [e.actor for e in uow.audit.list()]
    finally:
        database.dispose()


def test_a_snapshot_comes_back_without_what_was_written_after_it(
    database_url: str, database_snapshots: DatabaseSnapshots, tmp_path: Path
) -> None:
    key = f"test {secrets.token_hex(4)}"  # made here, not by another test
    data_dir = tmp_path / "var"
    made: list[int] = []

    def make() -> int:
        database = Database(database_url)
        try:
            with database.unit_of_work() as uow:
                uow.publisher.save(demo.publisher())
                uow.commit()
        finally:
            database.dispose()
        made.append(_append_audit(database_url, "maker"))
        (data_dir / "kept").mkdir(parents=True)
        (data_dir / "kept" / "file.txt").write_text("made once", encoding="utf-8")
        return 41

    assert database_snapshots.restore_or_make(key, data_dir, make) == 41
    first_id = made[0]
    assert _append_audit(database_url, "later") == first_id + 1  # written after the snapshot
    (data_dir / "kept" / "file.txt").write_text("changed", encoding="utf-8")

    again = database_snapshots.restore_or_make(key, data_dir, lambda: -1)

    assert again == 41 and made == [first_id]  # put back, not made again
    assert _contents(database_url) == (True, ["maker"])
    assert _append_audit(database_url, "next") == first_id + 1  # the numbering too
    assert (data_dir / "kept" / "file.txt").read_text(encoding="utf-8") == "made once"
