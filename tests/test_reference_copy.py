"""The committed copy of the reference bulletin is the shared capture, byte for byte."""

from __future__ import annotations

import pytest

from tests.reference import COPY, SHARED_REFERENCE


def test_the_copy_matches_the_shared_capture() -> None:
    if not SHARED_REFERENCE.is_file():
        pytest.skip(f"no shared capture at {SHARED_REFERENCE} to compare the copy with")
    assert COPY.read_bytes() == SHARED_REFERENCE.read_bytes()
