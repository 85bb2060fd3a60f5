"""Field paths inside a source file, and the problem found at one of them."""

from __future__ import annotations

import ast
import re

FieldPath = tuple[str | int, ...]
"""Where a value sits in a document: mapping keys and list indexes, from the top."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_TOKEN = re.compile(
    r"""\.?(?P<name>[^.\[\]'"]+)|\[(?P<index>\d+)\]|\[(?P<quoted>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\]"""
)


def render_field(path: FieldPath) -> str:
    """``versions[0].channels[1].name``; keys that are not plain names are quoted."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _NAME.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


def parse_field(text: str) -> FieldPath:
    """The path a field name stands for (the reverse of ``render_field``)."""
    parts: list[str | int] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            break
        if match["name"] is not None:
            parts.append(match["name"])
        elif match["index"] is not None:
            parts.append(int(match["index"]))
        else:
            parts.append(str(ast.literal_eval(match["quoted"])))
        position = match.end()
    return tuple(parts)


def describe_value(value: object) -> str:
    """A value as an error message shows it: its kind, or its text cut short."""
    if value is None:
        return "nothing (an empty value or null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + "...'"


class Problem(Exception):
    """A problem in one file, found at ``path`` (or at ``line`` when no path fits).

    ``domain_field`` is the field a domain constructor named, relative to ``path``.
    The reader turns a problem into a located ``ValidationError``.
    """

    def __init__(
        self,
        message: str,
        path: FieldPath = (),
        *,
        line: int | None = None,
        domain_field: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.domain_field = domain_field
