"""Staff accounts and the throttle of failed sign-ins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from herald.domain.accounts import User


class UserRepository(Protocol):
    """Staff accounts."""

    def find(self, username: str) -> User | None: ...

    def list(self) -> Sequence[User]:
        """Every account, by username."""
        ...

    def add(self, user: User) -> None:
        """``Conflict`` when the username is taken."""
        ...

    def update(self, user: User) -> None: ...

    def lock(self) -> None:
        """Hold every account row until the transaction ends (a change that counts the
        admins waits for another)."""
        ...

    def second_factor_required(self) -> bool:
        """Whether every member must have a second factor."""
        ...

    def require_second_factor(self, required: bool) -> None: ...


class SignInThrottle(Protocol):
    """Failed sign-ins per key (username, client address), shared by every worker."""

    def failures(self, key: str, since: datetime) -> int:
        """Failed attempts for ``key`` after ``since``."""
        ...

    def latest_failure(self, key: str, since: datetime) -> datetime | None:
        """The last failed attempt for ``key`` after ``since``, or None."""
        ...

    def record_failure(self, key: str, at: datetime) -> None: ...

    def clear(self, key: str) -> None: ...

    def prune(self, before: datetime) -> int:
        """Forget failures older than ``before``, of every key; how many."""
        ...
