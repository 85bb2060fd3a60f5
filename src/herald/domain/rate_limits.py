"""Limits on what anyone may make herald do for them: so many per window, then wait.

Used for the confirmation emails of the public subscription form and API (finding
13.2): without a limit one client could have herald mail hundreds of addresses. A limit
holds across every worker, because the events it counts are stored (not kept in one
process's memory).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from herald.domain.errors import TooManyAttempts, ValidationError


@dataclass(frozen=True)
class RateLimit:
    """At most ``count`` events per ``window``; 0 means none at all."""

    count: int
    window: timedelta

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValidationError("count", "must not be negative")
        if self.window <= timedelta(0):
            raise ValidationError("window", "must be positive")

    def check(self, seen: int, oldest: datetime | None, now: datetime, what: str) -> None:
        """``TooManyAttempts`` (naming ``what``, with the seconds until a slot frees) when
        ``seen`` events since ``now - window`` already fill the limit; ``oldest`` is the
        earliest of them."""
        if seen < self.count:
            return
        frees_at = (oldest or now) + self.window
        seconds = max(1, ceil((frees_at - now).total_seconds()))
        raise TooManyAttempts(f"too many {what}; try again in {_duration(seconds)}", seconds)


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{ceil(seconds / 60)} minutes"
