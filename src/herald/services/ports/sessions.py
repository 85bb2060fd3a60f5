"""Staff browser sessions kept on the server, by the SHA-256 of their id (never the id)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

LAST_SEEN_PRECISION = timedelta(minutes=1)
"""A session's last use is written at most this often."""


@dataclass(frozen=True)
class StoredSession:
    """One browser's session as the server keeps it."""

    id_hash: str
    """The SHA-256 (hex) of the id in the cookie; the id itself is never stored."""
    username: str | None
    """The account it is for (signed in, or half-way through signing in); None for a
    visitor's session (a CSRF token for the sign-in form, a flash message)."""
    data: Mapping[str, Any]
    """What the web layer keeps in it (JSON values)."""
    created_at: datetime
    last_seen_at: datetime
    """The last request that used it, written at most once a minute."""
    expires_at: datetime
    """After this the session is over, however busy (fixed when it is made)."""


class SessionStore(Protocol):
    """Where sessions are kept (``UnitOfWork.sessions``)."""

    def find(self, id_hash: str) -> StoredSession | None:
        """The session whose id hashes to ``id_hash``, expired or not."""
        ...

    def add(self, session: StoredSession) -> None: ...

    def save(
        self, id_hash: str, username: str | None, data: Mapping[str, Any], seen_at: datetime
    ) -> bool:
        """Replace the data (and owner) of a session; False when there is none by that hash."""
        ...

    def touch(self, id_hash: str, at: datetime) -> None:
        """Set the last use to ``at`` unless one was written less than a minute before."""
        ...

    def delete(self, id_hash: str) -> None:
        """Forget a session (nothing happens when there is none)."""
        ...

    def delete_of(self, username: str) -> int:
        """Forget every session of ``username``; how many there were."""
        ...

    def prune(self, now: datetime) -> int:
        """Forget every session expired at ``now``; how many there were."""
        ...
