"""The CWE catalogue (MITRE CWE 4.14, weaknesses only) for test 6.1.11."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

CWE_VERSION = "4.14"


@cache
def weakness_names() -> dict[str, str]:
    """``CWE-79`` → its name in the catalogue."""
    text = (
        resources.files(__package__)
        .joinpath("data")
        .joinpath(f"cwe-{CWE_VERSION}.json")
        .read_text("utf-8")
    )
    names: dict[str, str] = json.loads(text)["weaknesses"]
    return names
