"""API tokens: what lets a machine manage webhooks through the JSON API.

A token is shown once when it is issued; herald keeps only its SHA-256 (the token is
32 random bytes, so a fast hash is enough) and finds it by that hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from herald.domain.errors import ValidationError

TOKEN_PREFIX = "hrld_"  # noqa: S105 - a public prefix, not a secret
"""Every token starts with it, so that secret scanners can recognise one."""

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


@dataclass(frozen=True)
class ApiToken:
    """An issued token (never the token itself)."""

    id: int
    name: str
    """Unique; says whose or what for, e.g. ``siem-integration``."""
    created_at: datetime
    created_by: str
    """Who issued it (a username, or ``cli``)."""
    revoked_at: datetime | None = None
    """Set when revoked; a revoked token never works again."""

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def describe(self) -> str:
        """Its state as the audit log keeps it."""
        lines = [
            f"name: {self.name}",
            f"created_at: {self.created_at.isoformat()}",
            f"created_by: {self.created_by}",
        ]
        if self.revoked_at is not None:
            lines.append(f"revoked_at: {self.revoked_at.isoformat()}")
        return "\n".join(lines) + "\n"


def parse_token_name(text: str, field: str = "name") -> str:
    """1 to 64 lower-case letters, digits, '.', '-' or '_', starting with a letter or digit."""
    if not isinstance(text, str) or not _NAME.fullmatch(text):
        raise ValidationError(
            field,
            "use 1 to 64 lower-case letters, digits, '.', '-' or '_', "
            "starting with a letter or digit",
        )
    return text
