"""Staff browser sessions kept on the server: the cookie carries only a random id.

A session id is ``secrets.token_urlsafe(32)`` (256 random bits); the server keeps the
session under the SHA-256 of the id, never the id, so a copy of the table opens no
session. A session ends ``SESSION_LIFETIME`` after it was made, however busy; its last
use is written at most once a minute (``LAST_SEEN_PRECISION``). Expired sessions are
deleted along the way, at most once a minute per process.

The web layer decides what a session holds (``herald.adapters.web.sessions``); this
service only keeps it: one read by the hash of the id per request, and a write only
when something changed (or the last use is a minute old).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from herald.services.ports.common import Clock
from herald.services.ports.sessions import LAST_SEEN_PRECISION, StoredSession
from herald.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

SESSION_LIFETIME = timedelta(hours=8)
"""A session ends this long after it was made (signing in makes a new one)."""
PRUNE_INTERVAL = timedelta(minutes=1)
"""Expired sessions are deleted at most this often (per process)."""
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")
"""What ``secrets.token_urlsafe(32)`` looks like: anything else is looked up nowhere."""


def session_hash(session_id: str) -> str:
    """The SHA-256 (hex) of a session id: the key the session is kept under."""
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def well_formed(session_id: str) -> bool:
    """Whether ``session_id`` looks like an id this service hands out."""
    return _SESSION_ID.fullmatch(session_id) is not None


@dataclass(frozen=True)
class OpenSession:
    """A live session, as a request found it."""

    id: str
    """The id in the cookie."""
    data: Mapping[str, Any]
    last_seen_at: datetime
    expires_at: datetime


class SessionService:
    """Start, open, save and end staff sessions."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        read: UnitOfWorkFactory,
        clock: Clock,
        *,
        lifetime: timedelta = SESSION_LIFETIME,
    ) -> None:
        self._units = units
        self._read = read
        self._clock = clock
        self._lifetime = lifetime
        self._pruned_at: datetime | None = None

    def open(self, session_id: str) -> OpenSession | None:
        """The live session ``session_id`` names; None for an unknown, malformed or
        expired id."""
        if not well_formed(session_id):
            return None
        with self._read() as unit:
            found = unit.sessions.find(session_hash(session_id))
        if found is None or self._clock.now() >= found.expires_at:
            return None
        return OpenSession(session_id, dict(found.data), found.last_seen_at, found.expires_at)

    def start(
        self, data: Mapping[str, Any], username: str | None, *, replacing: str | None = None
    ) -> OpenSession:
        """A new session holding ``data``, under a new id; the session ``replacing`` names
        (the one the browser had) ends in the same transaction."""
        session_id = secrets.token_urlsafe(32)
        now = self._clock.now()
        stored = StoredSession(
            id_hash=session_hash(session_id),
            username=username,
            data=dict(data),
            created_at=now,
            last_seen_at=now,
            expires_at=now + self._lifetime,
        )
        with self._units() as unit:
            if replacing is not None and well_formed(replacing):
                unit.sessions.delete(session_hash(replacing))
            unit.sessions.add(stored)
            self._prune(unit, now)
            unit.commit()
        return OpenSession(session_id, stored.data, now, stored.expires_at)

    def save(self, session: OpenSession, data: Mapping[str, Any], username: str | None) -> bool:
        """Keep ``data`` as what ``session`` holds; False when the session ended meanwhile
        (signed out elsewhere, or pruned): it is not made again."""
        now = self._clock.now()
        with self._units() as unit:
            kept = unit.sessions.save(session_hash(session.id), username, data, now)
            self._prune(unit, now)
            unit.commit()
        return kept

    def seen(self, session: OpenSession) -> None:
        """Note that ``session`` was used now: a write at most once a minute."""
        now = self._clock.now()
        if abs(now - session.last_seen_at) < LAST_SEEN_PRECISION:
            return
        with self._units() as unit:
            unit.sessions.touch(session_hash(session.id), now)
            self._prune(unit, now)
            unit.commit()

    def end(self, session_id: str) -> None:
        """End the session ``session_id`` names (harmless when there is none)."""
        if not well_formed(session_id):
            return
        with self._units() as unit:
            unit.sessions.delete(session_hash(session_id))
            unit.commit()

    def end_all(self, username: str) -> int:
        """End every session of ``username`` (signing out everywhere); how many there were."""
        with self._units() as unit:
            ended = unit.sessions.delete_of(username)
            unit.commit()
        return ended

    def _prune(self, unit: UnitOfWork, now: datetime) -> None:
        last = self._pruned_at
        if last is not None and abs(now - last) < PRUNE_INTERVAL:
            return
        unit.sessions.prune(now)
        self._pruned_at = now
