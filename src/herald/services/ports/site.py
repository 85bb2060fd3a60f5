"""The site generation, which public caches key on."""

from __future__ import annotations

from typing import Protocol


class SiteState(Protocol):
    """A counter that grows with every change that may alter a public surface."""

    def generation(self) -> int:
        """The current value (caches and ETags key on it)."""
        ...

    def bump(self) -> int:
        """Add one, within the current transaction; returns the new value."""
        ...
