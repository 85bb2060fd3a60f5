"""The audit log's hash chain: every entry's hash covers the hash of the entry before it.

The rule, version 1::

    chain_hash(entry) = SHA-256( previous_hash + "\\n" + canonical(entry) )   (lower-case hex)

``previous_hash`` is the ``chain_hash`` of the entry before (in sequence-number order), or
``GENESIS_HASH`` for the first entry. ``canonical(entry)`` is the UTF-8 of a compact JSON
array (non-ASCII escaped, so the bytes are plain ASCII and never depend on a normal form)::

    ["herald-audit/1", id, "YYYY-MM-DDTHH:MM:SS.ffffffZ", actor, action, subject, before, after]

JSON strings are quoted and escaped and an absent ``before``/``after`` is ``null``, so no
two different entries share an encoding; the previous hash always has 64 characters, so
the concatenation is unambiguous too.

Each stored entry keeps the hash it links to (``previous_hash``) beside its own, so that a
verifier can tell a changed entry (its hash no longer matches its fields) from a deleted
one (the next entry links to a hash no longer in the log) and from an inserted one (the
entry after it links past it). ``verify_chain`` reports the first break it meets.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from enum import StrEnum

from herald.domain.audit import AuditEntry
from herald.domain.errors import ValidationError

GENESIS_HASH = "0" * 64
"""What the first entry links to."""

ENCODING = "herald-audit/1"
"""The first item of every canonical encoding: the version of this rule."""

_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ChainedEntry:
    """An audit entry as stored: with its sequence number, its link and its own hash."""

    entry: AuditEntry
    """The entry; its ``id`` is set."""
    previous_hash: str
    """The ``chain_hash`` of the entry before it, or ``GENESIS_HASH``."""
    chain_hash: str
    """SHA-256 over ``previous_hash`` and the entry's canonical encoding."""

    @property
    def id(self) -> int:
        if self.entry.id is None:
            raise ValidationError("id", "a chained entry has a sequence number")
        return self.entry.id


class Break(StrEnum):
    """What is wrong where the chain breaks."""

    CHANGED = "changed"
    """The entry's fields no longer give its hash: it was edited after it was written."""
    DELETED = "deleted"
    """The entry links to a hash no longer in the log: entries before it were removed."""
    INSERTED = "inserted"
    """The entry after it links past it: it was added afterwards."""
    BROKEN_LINK = "broken_link"
    """The entry matches neither its hash nor its link (several changes at once)."""
    TRUNCATED = "truncated"
    """A hash noted earlier is not in the log: its end was removed, or the log rewritten."""


@dataclass(frozen=True)
class ChainIntact:
    """Every entry matches its hash and links to the one before it."""

    count: int
    """How many entries were checked."""
    last: ChainedEntry | None
    """The newest entry (None when the log is empty)."""

    @property
    def last_hash(self) -> str:
        """The hash to note outside herald (``GENESIS_HASH`` for an empty log)."""
        return self.last.chain_hash if self.last is not None else GENESIS_HASH


@dataclass(frozen=True)
class ChainBroken:
    """The first place where the chain does not hold."""

    entry_id: int | None
    """The entry at fault (None when a noted hash is missing from an empty log)."""
    kind: Break
    detail: str
    """One sentence for people, naming the entry."""
    verified: int
    """How many entries before it were intact."""


ChainReport = ChainIntact | ChainBroken


def canonical_entry(entry: AuditEntry) -> bytes:
    """The unambiguous bytes of an entry that its hash covers (sequence number included)."""
    if entry.id is None:
        raise ValidationError("id", "only a numbered entry can be chained")
    if entry.at.tzinfo is None:
        raise ValidationError("at", f"{entry.at.isoformat()} is not timezone-aware")
    instant = entry.at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    fields = [
        ENCODING,
        entry.id,
        f"{instant}Z",
        entry.actor,
        entry.action,
        entry.subject,
        entry.before,
        entry.after,
    ]
    return json.dumps(fields, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def chain_hash(previous_hash: str, entry: AuditEntry) -> str:
    """The hash of ``entry`` linked to ``previous_hash``."""
    parse_chain_hash(previous_hash, "previous_hash")
    digest = hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical_entry(entry))
    return digest.hexdigest()


def link(previous_hash: str, entry: AuditEntry) -> ChainedEntry:
    """``entry`` chained after the entry whose hash is ``previous_hash``."""
    return ChainedEntry(entry, previous_hash, chain_hash(previous_hash, entry))


def parse_chain_hash(text: str, field: str) -> str:
    """A chain hash as written by a person (64 hex digits, any case), in its stored form."""
    cleaned = text.strip().lower()
    if not _HASH.fullmatch(cleaned):
        raise ValidationError(field, f"{text!r} is not a chain hash (expected 64 hex digits)")
    return cleaned


def verify_chain(entries: Iterable[ChainedEntry], *, noted_hash: str | None = None) -> ChainReport:
    """Check ``entries`` (oldest first, all of them) and report the first break.

    ``noted_hash`` is a hash noted outside herald earlier (the admin page and the verify
    command show the newest one): it must still be in the log, or entries were removed
    from its end.
    """
    noted = parse_chain_hash(noted_hash, "noted_hash") if noted_hash is not None else None
    last: ChainedEntry | None = None
    before_last = GENESIS_HASH  # the hash ``last`` links to
    count = 0
    noted_seen = noted is None or noted == GENESIS_HASH
    for current, following in _with_next(entries):
        found = _break_at(current, following, last, before_last, count)
        if found is not None:
            return found
        before_last = last.chain_hash if last is not None else GENESIS_HASH
        last = current
        count += 1
        noted_seen = noted_seen or current.chain_hash == noted
    if not noted_seen:
        end = f"ends at entry #{last.id}" if last is not None else "is empty"
        return ChainBroken(
            last.id if last is not None else None,
            Break.TRUNCATED,
            f"the noted hash {noted} is not in the log, which {end}: entries after the "
            "noted one were deleted, or the log was rewritten",
            count,
        )
    return ChainIntact(count, last)


def _break_at(
    current: ChainedEntry,
    following: ChainedEntry | None,
    last: ChainedEntry | None,
    before_last: str,
    verified: int,
) -> ChainBroken | None:
    """What is wrong with ``current``, given the last intact entry before it, if anything."""
    expected = last.chain_hash if last is not None else GENESIS_HASH
    matches = _matches(current)
    linked = current.previous_hash == expected
    if matches and linked:
        return None
    skipped = following is not None and following.previous_hash == expected
    where = f"entry #{current.id}"
    after_last = f"after entry #{last.id}" if last is not None else "at the start of the log"
    if not linked and matches and last is not None and current.previous_hash == before_last:
        return ChainBroken(
            last.id,
            Break.INSERTED,
            f"entry #{last.id} was inserted: {where} links to the entry before it",
            verified - 1,
        )
    if skipped:
        return ChainBroken(
            current.id,
            Break.INSERTED,
            f"{where} was inserted: the entry after it links to the one before it",
            verified,
        )
    if linked:
        return ChainBroken(
            current.id,
            Break.CHANGED,
            f"{where} was changed: its fields no longer match its hash",
            verified,
        )
    if matches:
        return ChainBroken(
            current.id,
            Break.DELETED,
            f"entries were deleted {after_last}: {where} links to an entry no longer in the log",
            verified,
        )
    return ChainBroken(
        current.id,
        Break.BROKEN_LINK,
        f"{where} matches neither its hash nor its link to the entry before it",
        verified,
    )


def _matches(chained: ChainedEntry) -> bool:
    try:
        return chain_hash(chained.previous_hash, chained.entry) == chained.chain_hash
    except ValidationError:
        return False


def _with_next(
    entries: Iterable[ChainedEntry],
) -> Iterator[tuple[ChainedEntry, ChainedEntry | None]]:
    iterator = iter(entries)
    current = next(iterator, None)
    while current is not None:
        following = next(iterator, None)
        yield current, following
        current = following


__all__ = [
    "ENCODING",
    "GENESIS_HASH",
    "Break",
    "ChainBroken",
    "ChainIntact",
    "ChainReport",
    "ChainedEntry",
    "canonical_entry",
    "chain_hash",
    "link",
    "parse_chain_hash",
    "verify_chain",
]
