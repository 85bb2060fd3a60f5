"""The audit log: who did what to which object, when, with the state before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change. Entries are only ever added."""

    at: datetime
    """When (UTC)."""
    actor: str
    """The username, or ``system`` for herald's own steps (an embargo lifting)."""
    action: str
    """What was done, e.g. ``bulletin.approve``."""
    subject: str
    """What it was done to, e.g. ``bulletin:CTX696397`` or ``user:alice``."""
    before: str | None = None
    """The object's state before, as herald/v1 source text (None when it was created)."""
    after: str | None = None
    """The object's state after (None when it was deleted)."""
    id: int | None = None
    """The log's own sequence number, set when stored."""


SYSTEM_ACTOR = "system"
"""The actor of steps herald takes by itself."""
