"""The audit log's hash chain as a rule: its hash, and what verification reports."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from herald.domain.audit import AuditEntry
from herald.domain.audit_chain import (
    GENESIS_HASH,
    Break,
    ChainBroken,
    ChainedEntry,
    ChainIntact,
    canonical_entry,
    chain_hash,
    link,
    parse_chain_hash,
    verify_chain,
)
from herald.domain.errors import ValidationError

AT = datetime(2026, 4, 1, 9, 30, 15, 250000, tzinfo=UTC)


def entry(number: int, **changes: object) -> AuditEntry:
    base = AuditEntry(
        at=AT + timedelta(seconds=number),
        actor="alice",
        action="bulletin.submit",
        subject=f"bulletin:CTX{number:06d}",
        before="status: draft\n",
        after="status: in_review\n",
        id=number,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def chained(numbers: list[int]) -> list[ChainedEntry]:
    found: list[ChainedEntry] = []
    previous = GENESIS_HASH
    for number in numbers:
        found.append(link(previous, entry(number)))
        previous = found[-1].chain_hash
    return found


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_encoding() -> None:
    first = entry(1)
    encoded = canonical_entry(first)
    assert encoded == (
        b'["herald-audit/1",1,"2026-04-01T09:30:16.250000Z","alice","bulletin.submit",'
        b'"bulletin:CTX000001","status: draft\\n","status: in_review\\n"]'
    )
    expected = hashlib.sha256(GENESIS_HASH.encode() + b"\n" + encoded).hexdigest()
    assert chain_hash(GENESIS_HASH, first) == expected
    assert link(GENESIS_HASH, first) == ChainedEntry(first, GENESIS_HASH, expected)


def test_the_instant_is_hashed_in_utc_whatever_zone_it_was_given_in() -> None:
    paris = timezone(timedelta(hours=2))
    local = entry(1, at=(AT + timedelta(seconds=1)).astimezone(paris))
    assert canonical_entry(local) == canonical_entry(entry(1))
    with pytest.raises(ValidationError) as caught:
        canonical_entry(entry(1, at=datetime(2026, 4, 1, 9, 30)))  # naive, on purpose
    assert caught.value.field == "at"
    with pytest.raises(ValidationError) as caught:
        canonical_entry(entry(1, id=None))
    assert caught.value.field == "id"


@pytest.mark.parametrize(
    "changes",
    [
        {"id": 2},
        {"at": AT + timedelta(seconds=1, microseconds=1)},
        {"actor": "bob"},
        {"action": "bulletin.approve"},
        {"subject": "bulletin:CTX000002"},
        {"before": None},
        {"before": ""},
        {"after": None},
        # Moving text from one field to the next never gives the same encoding.
        {"actor": "alice", "action": "", "subject": "bulletin.submitbulletin:CTX000001"},
        {"before": "status: draft\nstatus: in_review\n", "after": ""},
    ],
)
def test_every_field_counts(changes: dict[str, object]) -> None:
    assert chain_hash(GENESIS_HASH, entry(1, **changes)) != chain_hash(GENESIS_HASH, entry(1))


def test_non_ascii_text_is_encoded_as_escaped_ascii() -> None:
    encoded = canonical_entry(entry(1, actor="zoë", after="\udcff lone surrogate"))
    assert encoded.isascii()
    assert b"zo\\u00eb" in encoded


def test_an_intact_chain_reports_its_count_and_last_hash() -> None:
    entries = chained([1, 2, 5, 6])  # numbers may skip (a rolled-back append)
    report = verify_chain(entries)
    assert report == ChainIntact(4, entries[-1])
    assert report.last_hash == entries[-1].chain_hash
    empty = verify_chain([])
    assert empty == ChainIntact(0, None)
    assert empty.last_hash == GENESIS_HASH


def broken(report: object) -> tuple[int | None, Break]:
    assert isinstance(report, ChainBroken), report
    return report.entry_id, report.kind


def test_a_changed_entry_is_named() -> None:
    entries = chained([1, 2, 3, 4])
    entries[1] = replace(entries[1], entry=replace(entries[1].entry, after="status: approved\n"))
    report = verify_chain(entries)
    assert broken(report) == (2, Break.CHANGED)
    assert isinstance(report, ChainBroken)
    assert "entry #2 was changed" in report.detail
    assert report.verified == 1


def test_a_changed_last_entry_is_named() -> None:
    entries = chained([1, 2, 3])
    entries[2] = replace(entries[2], entry=replace(entries[2].entry, actor="mallory"))
    assert broken(verify_chain(entries)) == (3, Break.CHANGED)


def test_a_deleted_entry_is_named_by_where_it_was() -> None:
    entries = chained([1, 2, 3, 4])
    del entries[1]
    report = verify_chain(entries)
    assert broken(report) == (3, Break.DELETED)
    assert isinstance(report, ChainBroken)
    assert "deleted after entry #1" in report.detail


def test_deleting_the_first_entries_is_seen() -> None:
    entries = chained([1, 2, 3])
    report = verify_chain(entries[1:])
    assert broken(report) == (2, Break.DELETED)
    assert isinstance(report, ChainBroken)
    assert "at the start of the log" in report.detail


def test_an_inserted_entry_with_made_up_hashes_is_named() -> None:
    entries = chained([1, 2, 4, 5])
    forged = ChainedEntry(entry(3, actor="mallory"), "f" * 64, "e" * 64)
    entries.insert(2, forged)
    assert broken(verify_chain(entries)) == (3, Break.INSERTED)


def test_an_inserted_entry_with_correct_hashes_is_named_by_its_successor() -> None:
    entries = chained([1, 2, 4, 5])
    forged = link(entries[1].chain_hash, entry(3, actor="mallory"))
    entries.insert(2, forged)
    report = verify_chain(entries)
    assert broken(report) == (3, Break.INSERTED)
    assert isinstance(report, ChainBroken)
    assert report.verified == 2


def test_an_entry_changed_with_its_link_is_a_broken_link() -> None:
    entries = chained([1, 2, 3])
    entries[1] = replace(
        entries[1], previous_hash="a" * 64, entry=replace(entries[1].entry, actor="x")
    )
    assert broken(verify_chain(entries)) == (2, Break.BROKEN_LINK)


def test_a_stored_link_that_is_not_a_hash_is_a_break_not_a_crash() -> None:
    entries = chained([1, 2, 3])
    entries[2] = replace(entries[2], previous_hash="not a hash")
    assert broken(verify_chain(entries)) == (3, Break.BROKEN_LINK)


def test_a_noted_hash_detects_truncation() -> None:
    entries = chained([1, 2, 3, 4])
    noted = entries[-1].chain_hash
    assert verify_chain(entries, noted_hash=noted.upper()) == ChainIntact(4, entries[-1])
    longer = chained([1, 2, 3, 4, 5])
    assert isinstance(verify_chain(longer, noted_hash=noted), ChainIntact)

    report = verify_chain(entries[:-1], noted_hash=noted)
    assert broken(report) == (3, Break.TRUNCATED)
    assert isinstance(report, ChainBroken)
    assert noted in report.detail and "ends at entry #3" in report.detail
    assert broken(verify_chain([], noted_hash=noted)) == (None, Break.TRUNCATED)
    assert isinstance(verify_chain([], noted_hash=GENESIS_HASH), ChainIntact)


def test_a_noted_hash_must_look_like_one() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_chain_hash("abc", "--expect")
    assert caught.value.field == "--expect"
    assert parse_chain_hash(f" {'AB' * 32} ", "x") == "ab" * 32


@given(
    size=st.integers(min_value=2, max_value=12),
    data=st.data(),
)
def test_any_single_change_deletion_or_insertion_in_the_middle_is_found_where_it_is(
    size: int, data: st.DataObject
) -> None:
    numbers = list(range(1, 2 * size, 2))  # odd numbers: room for an insertion
    entries = chained(numbers)
    position = data.draw(st.integers(min_value=0, max_value=size - 2), label="position")
    kind = data.draw(st.sampled_from([Break.CHANGED, Break.DELETED, Break.INSERTED]))
    if kind is Break.CHANGED:
        target = entries[position]
        entries[position] = replace(target, entry=replace(target.entry, subject="user:mallory"))
        expected = numbers[position]
    elif kind is Break.DELETED:
        del entries[position]
        expected = numbers[position + 1]  # the entry that links to the deleted one
    else:
        before = entries[position].chain_hash
        forged = link(before, entry(numbers[position] + 1, actor="mallory"))
        entries.insert(position + 1, forged)
        expected = numbers[position] + 1
    assert broken(verify_chain(entries)) == (expected, kind)
