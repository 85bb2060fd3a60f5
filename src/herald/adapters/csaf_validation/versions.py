"""CSAF version numbers (``version_t``): integer versioning or semantic versioning."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_INTEGER = re.compile(r"(0|[1-9][0-9]*)")
_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class Version:
    """A parsed ``version_t``."""

    text: str
    """As written."""
    integer: bool
    """True for integer versioning (``"3"``), False for semantic versioning."""
    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...]
    """Dot-separated pre-release identifiers (empty when there are none)."""
    build: str | None
    """Build metadata after ``+``, if any."""

    def precedence_key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        """Orders versions as SemVer 2.0 does; an integer version ``n`` is ``n.0.0``."""
        identifiers = tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.prerelease
        )
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, identifiers)

    def without_build(self) -> str:
        return self.text.split("+", 1)[0]

    def without_prerelease_and_build(self) -> str:
        return self.text.split("+", 1)[0].split("-", 1)[0]


def parse_version(text: object) -> Version | None:
    """The version, or None when ``text`` is not a ``version_t``."""
    return _parse(text) if isinstance(text, str) else None


@lru_cache(maxsize=4096)
def _parse(text: str) -> Version | None:
    """Versions repeat across tests and documents; a ``Version`` is immutable."""
    if _INTEGER.fullmatch(text):
        return Version(text, True, int(text), 0, 0, (), None)
    match = _SEMVER.fullmatch(text)
    if match is None:
        return None
    major, minor, patch, prerelease, build = match.groups()
    return Version(
        text,
        False,
        int(major),
        int(minor),
        int(patch),
        tuple(prerelease.split(".")) if prerelease else (),
        build,
    )
