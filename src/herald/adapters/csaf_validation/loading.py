"""Reading untrusted JSON files safely: size, encoding, syntax and nesting limits."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from herald.domain.errors import HeraldError

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


@dataclass(frozen=True, slots=True)
class LoadLimits:
    """What the loader accepts."""

    max_bytes: int = DEFAULT_MAX_BYTES
    """Largest file read, in bytes (16 MiB by default)."""
    max_depth: int = DEFAULT_MAX_DEPTH
    """Deepest nesting of arrays and objects (64 by default; real advisories stay below 30)."""


class DocumentLoadError(HeraldError):
    """A file that cannot be read as a JSON document; names the file and a reason code."""

    def __init__(self, source: str, reason: str, detail: str) -> None:
        self.source = source
        self.reason = reason
        """``unreadable``, ``too_large``, ``not_utf8``, ``invalid_json`` or ``too_deep``."""
        self.detail = detail
        super().__init__(f"{source}: {detail}")


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (strings are skipped)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0
    return max(accumulate(_DEPTH_STEP[char] for char in brackets))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse_json_bytes(data: bytes, source: str, limits: LoadLimits = LoadLimits()) -> Any:
    """Decode UTF-8 JSON within the limits, or raise ``DocumentLoadError``."""
    if len(data) > limits.max_bytes:
        raise DocumentLoadError(
            source, "too_large", f"file is larger than the limit of {limits.max_bytes} bytes"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentLoadError(
            source, "not_utf8", f"not UTF-8: invalid byte at offset {error.start}"
        ) from None
    return parse_json_text(text, source, limits)


def parse_json_text(text: str, source: str, limits: LoadLimits = LoadLimits()) -> Any:
    """Parse JSON text within the depth limit, or raise ``DocumentLoadError``."""
    text = text.removeprefix("\ufeff")
    depth = nesting_depth(text)
    if depth > limits.max_depth:
        raise DocumentLoadError(
            source, "too_deep", f"JSON nests {depth} levels deep; the limit is {limits.max_depth}"
        )
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise DocumentLoadError(
            source,
            "invalid_json",
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
        ) from None
    except (ValueError, RecursionError) as error:
        raise DocumentLoadError(source, "invalid_json", f"not valid JSON: {error}") from None


def load_json_file(path: Path, limits: LoadLimits = LoadLimits()) -> Any:
    """Read one file within the limits; never reads more than ``max_bytes + 1`` bytes."""
    source = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(limits.max_bytes + 1)
    except OSError as error:
        raise DocumentLoadError(
            source, "unreadable", f"cannot read: {error.strerror or error}"
        ) from None
    return parse_json_bytes(data, source, limits)
