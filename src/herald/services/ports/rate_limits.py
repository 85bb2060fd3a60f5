"""Events counted against a rate limit, shared by every worker (``domain.rate_limits``)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class RateLimitStore(Protocol):
    """Timestamps of limited events per key (``confirm:client:<address>``, ...)."""

    def count(self, key: str, since: datetime) -> int:
        """Events of ``key`` after ``since``."""
        ...

    def oldest(self, key: str, since: datetime) -> datetime | None:
        """The earliest event of ``key`` after ``since``, or None."""
        ...

    def record(self, key: str, at: datetime) -> None: ...

    def prune(self, before: datetime) -> int:
        """Forget events older than ``before``, of every key; how many."""
        ...
