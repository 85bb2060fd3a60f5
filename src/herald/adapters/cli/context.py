"""How a command gets herald's services: built once per invocation from the environment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from herald.bootstrap import Herald, build
from herald.config import Settings


@contextmanager
def herald_app() -> Iterator[Herald]:
    """herald's services for one command, closed afterwards."""
    app = build(Settings.from_environment())
    try:
        yield app
    finally:
        app.close()
