"""How long a failed sign-in makes the next one wait: a growing delay, never a lock.

A hard lock after a few failures lets anyone who knows a username keep its owner out
(finding 13.7). Here the first ``FREE_FAILURES`` failures of a key in ``FAILURE_WINDOW``
cost nothing; each further one doubles the wait before the next attempt, from
``FIRST_DELAY`` up to ``MAX_DELAY``, counted from the latest failure. An attempt made
while waiting is refused without counting, so a stranger gets one guess per wait at
most, and the owner's right password works as soon as the wait is over.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FAILURE_WINDOW = timedelta(minutes=15)
"""Failed sign-ins count for this long."""
FREE_FAILURES = 5
"""Failures of one key in the window before any wait."""
FIRST_DELAY = timedelta(seconds=2)
"""The wait after the first failure past ``FREE_FAILURES``."""
MAX_DELAY = timedelta(minutes=2)
"""The longest wait, however many failures."""


def delay_after(failures: int) -> timedelta:
    """The wait ``failures`` recent failures impose (zero up to ``FREE_FAILURES``)."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES, 16)
    delay: timedelta = FIRST_DELAY * (2**doublings)
    return min(delay, MAX_DELAY)


def wait_left(failures: int, latest: datetime | None, now: datetime) -> timedelta:
    """How long from ``now`` until the next attempt may be made (zero: now)."""
    if latest is None:
        return timedelta(0)
    return max(latest + delay_after(failures) - now, timedelta(0))
