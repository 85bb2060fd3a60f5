"""YAML in and out.

Reading composes PyYAML's node tree with the safe machinery only (no Python objects
are ever constructed), refuses anchors, aliases, tags and duplicate keys, and records
the line of every value. Unquoted values are text: ``8.10`` stays ``"8.10"`` and
``yes`` stays ``"yes"``; only ``~``, ``null`` and an empty value mean "not set".

Writing quotes any text another YAML tool would read as something else (``'8.4'``,
``'yes'``, ``'null'``), uses literal blocks for multi-line text and Markdown, folds
long prose, and writes UTF-8 without Python tags.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import yaml
from yaml.composer import Composer, ComposerError
from yaml.error import Mark, MarkedYAMLError
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from herald.adapters.source._fields import FieldPath, Problem

MAX_DEPTH = 32
"""How deeply collections may nest; herald's own files need fewer than ten levels."""

WIDTH = 80
"""Where the writer folds long prose."""

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class Document:
    """A parsed file: plain data (dicts, lists, text, None) and the line of every value."""

    data: object
    lines: Mapping[FieldPath, int]


class _Resolver(BaseResolver):
    """Unquoted values are text; only ``~``, ``null`` and an empty value are null."""


_Resolver.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class _Loader(Reader, Scanner, Parser, Composer, _Resolver):
    """The safe reader, scanner and parser; a composer without anchors or deep nesting."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            raise _refused("aliases (*name) are not supported; write the value out", event)
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise _refused(
                f"anchors (&{event.anchor}) are not supported; write the value out", event
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _refused(f"nested more than {MAX_DEPTH} levels deep", event)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _refused(problem: str, event: NodeEvent) -> ComposerError:
    return ComposerError(None, None, problem, cast(Mark, event.start_mark))


def parse(text: str) -> Document:
    """Parse one YAML document; raise ``Problem`` with a line for anything malformed."""
    try:
        loader = _Loader(text)
    except ReaderError as error:
        raise _reader_problem(text, error) from error
    try:
        node = loader.get_single_node()
    except ReaderError as error:
        raise _reader_problem(text, error) from error
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = error.problem or error.context or "malformed YAML"
        if "expected a single document" in (error.context or ""):
            problem = "a second YAML document; a herald file holds exactly one"
        raise Problem(f"invalid YAML: {_one_line(problem)}", line=line) from error
    finally:
        loader.dispose()
    if node is None:
        raise Problem("the file is empty; it should start with 'schema: herald/v1'", line=1)
    lines: dict[FieldPath, int] = {(): node.start_mark.line + 1}
    return Document(_convert(node, (), lines), lines)


def _convert(node: Node, path: FieldPath, lines: dict[FieldPath, int]) -> object:
    line = node.start_mark.line + 1
    if isinstance(node, ScalarNode):
        if node.tag == _NULL:
            return None
        if node.tag == _STR:
            return node.value
        raise _tag_problem(node, path)
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            raise _tag_problem(node, path)
        items: list[object] = []
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            items.append(_convert(item, (*path, index), lines))
        return items
    if isinstance(node, MappingNode):
        if node.tag != _MAP:
            raise _tag_problem(node, path)
        mapping: dict[str, object] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _NULL):
                raise Problem("a key must be plain text", path, line=key_line)
            key = str(key_node.value)
            child = (*path, key)
            if key in mapping:
                first = lines[child]
                raise Problem(
                    f"{key!r} appears twice (first on line {first})", child, line=key_line
                )
            lines[child] = key_line
            mapping[key] = _convert(value_node, child, lines)
        return mapping
    raise Problem("unexpected YAML node", path, line=line)  # pragma: no cover - PyYAML has 3 kinds


def _tag_problem(node: Node, path: FieldPath) -> Problem:
    return Problem(
        f"YAML tags such as {_shorthand(node.tag)} are not supported",
        path,
        line=node.start_mark.line + 1,
    )


def _reader_problem(text: str, error: ReaderError) -> Problem:
    position = max(0, min(int(error.position), len(text)))
    line = text.count("\n", 0, position) + 1
    character = error.character
    code = ord(character) if isinstance(character, str) else int(character)
    shown = f"{code:#06x}"
    return Problem(
        f"invalid YAML: character {shown} is not allowed in a YAML file; "
        "write it as an escape inside double quotes",
        line=line,
    )


def _shorthand(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- writing ---------------------------------------------------------------------------


class BlockText(str):
    """Text written as a literal block (``|``) even when it is one line: Markdown."""

    __slots__ = ()


_ESCAPED_ONLY = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
"""Characters a YAML reader would drop or turn into a line break unless escaped."""


def _style(text: str, block: bool) -> str | None:
    if _ESCAPED_ONLY.search(text):
        return '"'
    if "\n" in text or (block and text):
        return "|"
    if len(text) > WIDTH and " " in text and text == text.strip():
        return ">"
    return None


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents lists under their key and writes dates unquoted."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# Dates and times are written plain (``date: 2026-03-24``); the reader takes them as text
# and the format's models parse them, so the YAML timestamp type is never involved.
_Dumper.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _represent_text(dumper: yaml.SafeDumper, text: str) -> ScalarNode:
    return dumper.represent_scalar(_STR, text, style=_style(text, block=False))


def _represent_block(dumper: yaml.SafeDumper, text: BlockText) -> ScalarNode:
    return dumper.represent_scalar(_STR, str(text), style=_style(text, block=True))


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(BlockText, _represent_block)


def dump(data: Mapping[str, Any]) -> str:
    """One YAML document, keys in the order given."""
    return yaml.dump(
        dict(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=WIDTH,
        indent=2,
        line_break="\n",
    )
