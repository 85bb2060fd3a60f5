"""Reading untrusted JSON files safely: size, encoding, syntax and nesting limits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
import pydantic_core

from herald.domain.errors import HeraldError

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
_BOM = b"\xef\xbb\xbf"


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


@lru_cache(maxsize=8)
def _depth_validator(max_depth: int) -> Any:
    """A compiled schema that accepts a value iff it nests at most ``max_depth`` levels.

    ``d0`` accepts scalars and ``dN`` containers whose members satisfy ``dN-1``; checking it
    in Rust costs a fraction of a walk in Python.
    """
    definitions: dict[str, Any] = {"d0": {"type": ["string", "number", "boolean", "null"]}}
    for level in range(1, max_depth + 1):
        below = {"$ref": f"#/$defs/d{level - 1}"}
        definitions[f"d{level}"] = {"items": below, "additionalProperties": below}
    return jsonschema_rs.validator_for({"$defs": definitions, "$ref": f"#/$defs/d{max_depth}"})


def within_depth(value: Any, max_depth: int) -> bool:
    """True when arrays and objects in ``value`` nest at most ``max_depth`` levels deep."""
    return bool(_depth_validator(max_depth).is_valid(value))


def parse_json_bytes(data: bytes, source: str, limits: LoadLimits = LoadLimits()) -> Any:
    """Parse UTF-8 JSON within the limits, or raise ``DocumentLoadError``.

    orjson (Rust) parses first: strict UTF-8, no ``NaN``/``Infinity``, recursion bounded
    (1024 levels), about twice as fast as the alternatives on real advisories. Whatever
    it refuses is parsed again by pydantic-core's parser (jiter), which names the error
    (its recursion is bounded at 200 levels). orjson reads an integer beyond 64 bits
    as a float, as JavaScript does. ``max_depth`` is then checked on the parsed value.
    """
    if len(data) > limits.max_bytes:
        raise DocumentLoadError(
            source, "too_large", f"file is larger than the limit of {limits.max_bytes} bytes"
        )
    data = data.removeprefix(_BOM)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        try:
            value = pydantic_core.from_json(data, allow_inf_nan=False, cache_strings="all")
        except ValueError as error:
            raise _parse_failure(data, source, limits, str(error)) from None
    if not within_depth(value, limits.max_depth):
        raise _too_deep(source, limits)
    return value


def parse_json_text(text: str, source: str, limits: LoadLimits = LoadLimits()) -> Any:
    """Parse JSON text within the limits (see ``parse_json_bytes``)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentLoadError(
            source, "not_utf8", "the text has characters UTF-8 cannot encode"
        ) from None
    return parse_json_bytes(data, source, limits)


def _parse_failure(data: bytes, source: str, limits: LoadLimits, message: str) -> DocumentLoadError:
    if "recursion limit" in message:
        return _too_deep(source, limits)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return DocumentLoadError(
            source, "not_utf8", f"not UTF-8: invalid byte at offset {error.start}"
        )
    return DocumentLoadError(source, "invalid_json", f"not valid JSON: {message}")


def _too_deep(source: str, limits: LoadLimits) -> DocumentLoadError:
    return DocumentLoadError(
        source, "too_deep", f"JSON nests deeper than the limit of {limits.max_depth} levels"
    )


def load_json_file(path: Path, limits: LoadLimits = LoadLimits()) -> Any:
    """Read one file within the limits; never reads more than ``max_bytes + 1`` bytes.

    The buffer is sized from the file's size (asking for ``max_bytes + 1`` would
    allocate 16 MiB for every file); a file that grew, or has no size (a pipe), is
    read on up to the limit.
    """
    source = str(path)
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(min(size, limits.max_bytes) + 1)
            if len(data) > size:
                data += stream.read(limits.max_bytes + 1 - len(data))
    except OSError as error:
        raise DocumentLoadError(
            source, "unreadable", f"cannot read: {error.strerror or error}"
        ) from None
    return parse_json_bytes(data, source, limits)
