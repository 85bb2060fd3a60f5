"""The reference capture of CTX696397 and the comparison the issue allows.

Allowed differences: white space (NBSP included), the icon words ``book`` and
``calendar_today``, and the date that fills the capture's empty ``Updated On:``.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "CTX696397.txt"
"""The capture of CTX696397 as published, shared beside the team's checkouts."""
COPY = Path(__file__).resolve().parent / "data" / "CTX696397.txt"
"""A byte-identical copy, so that a clone anywhere (CI) still runs the comparison."""
REFERENCE = SHARED_REFERENCE if SHARED_REFERENCE.is_file() else COPY

ICON_WORDS = {"book", "calendar_today"}


def normalise(text: str, *, updated_on: str | None = None) -> list[str]:
    """Non-blank lines with white space collapsed; icon words dropped.

    With ``updated_on``, an empty ``Updated On:`` line (the capture's) gets that date.
    """
    lines = []
    for raw in text.splitlines():
        if raw.strip() in ICON_WORDS:
            continue
        line = re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip()
        if not line:
            continue
        if updated_on is not None and line == "Updated On:":
            line = f"Updated On: {updated_on}"
        lines.append(line)
    return lines


def reference_differences(rendered: str) -> str:
    """A unified diff of the reference against ``rendered``; empty when they agree."""
    expected = normalise(REFERENCE.read_text(encoding="utf-8"), updated_on="2026-03-24")
    actual = normalise(rendered)
    return "\n".join(
        difflib.unified_diff(expected, actual, "reference", "herald", lineterm="", n=1)
    )
