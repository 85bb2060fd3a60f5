"""Where the OASIS CSAF data lives (``shared/standards/csaf`` beside the repository).

When it is absent, tests that need it are skipped with the reason; with
``HERALD_REQUIRE_STANDARDS=1`` they fail instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]
CSAF = REPOSITORY.parent / "shared" / "standards" / "csaf"
SUITE = CSAF / "tests" / "2.0" / "validator" / "data"
EXAMPLES = CSAF / "examples" / "2.0" / "csaf"


def require(path: Path) -> Path:
    """``path`` if it exists; otherwise skip the test (or fail it when required)."""
    if path.exists():
        return path
    reason = f"the OASIS CSAF data is not at {path}"
    if os.environ.get("HERALD_REQUIRE_STANDARDS") == "1":
        pytest.fail(f"{reason} (and HERALD_REQUIRE_STANDARDS=1)")
    pytest.skip(reason)


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def suite_files() -> list[Path]:
    """Every file ``testcases.json`` names (skipped or failing as ``require`` says)."""
    index = load(require(SUITE / "testcases.json"))
    names = {
        spec["name"]
        for test in index["tests"]
        for kind in ("valid", "failures")
        for spec in test.get(kind, [])
    }
    return sorted(SUITE / name for name in names)
