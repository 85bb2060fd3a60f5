"""Settings, read once from the environment at start-up and passed in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from herald.domain.errors import ValidationError

ENVIRONMENT_VARIABLES: Mapping[str, str] = {
    "HERALD_DATA_DIR": "Folder for herald's own files; the embedded SQLite database lives here "
    "(default: ./var).",
    "HERALD_DATABASE_URL": "Database URL, e.g. postgresql://user@host:5432/herald "
    "(default: sqlite:///$HERALD_DATA_DIR/herald.db).",
}
"""Every environment variable herald reads, with what it does (the README lists them too)."""


@dataclass(frozen=True)
class Settings:
    """Where herald keeps its data."""

    data_dir: Path
    """Folder for herald's own files."""
    database_url: str
    """SQLAlchemy-ready or user-written database URL."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("HERALD_DATA_DIR") or "var")
        database_url = env.get("HERALD_DATABASE_URL") or f"sqlite:///{data_dir / 'herald.db'}"
        if "://" not in database_url:
            raise ValidationError(
                "HERALD_DATABASE_URL",
                f"{database_url!r} is not a URL (e.g. postgresql://user@host:5432/herald)",
            )
        return cls(data_dir=data_dir, database_url=database_url)
