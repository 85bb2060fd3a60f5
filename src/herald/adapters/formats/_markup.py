"""Markdown helpers shared by the renderings: parsing, escaping, finding URLs.

Authored fields (title, problem, mitigations, narrative sections) are CommonMark.
Everything else a bulletin shows (the disclaimer, the composed sentences, notes,
change-log summaries) is plain text that may contain URLs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"'`\u00a0]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"


@dataclass(frozen=True)
class Piece:
    """A run of plain text, or a URL found in it."""

    text: str
    is_url: bool = False


def find_urls(text: str) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of every http(s) or mailto URL in ``text``.

    Punctuation that ends a sentence is not part of the URL; a closing parenthesis
    is, only when the URL opened one ("https://host/a_(b)").
    """
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start:
            last = text[end - 1]
            unbalanced = text.count("(", start, end) < text.count(")", start, end)
            if last not in _TRAILING and not (last == ")" and unbalanced):
                break
            end -= 1
        if text[start:end].rstrip("/").endswith(("://", ":")):
            continue
        yield start, end


def split_urls(text: str) -> tuple[Piece, ...]:
    """``text`` cut into plain runs and URLs, in order."""
    pieces: list[Piece] = []
    position = 0
    for start, end in find_urls(text):
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[start:end], is_url=True))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return tuple(pieces)


# --- Markdown source -------------------------------------------------------------

_ESCAPED = re.compile(r"([\\`*_\[\]<>~|&])")
_BLOCK_MARKER = re.compile(r"^([#>+=-])")
_ORDERED_MARKER = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text (URLs become autolinks)."""
    out: list[str] = []
    for piece in split_urls(text):
        if piece.is_url:
            out.append(f"<{piece.text}>")
        else:
            out.append(_ESCAPED.sub(r"\\\1", piece.text))
    lines = [line.strip() for line in "".join(out).split("\n")]
    return "\n".join(
        _ORDERED_MARKER.sub(r"\1\\\2", _BLOCK_MARKER.sub(r"\\\1", line)) for line in lines
    )


def one_line(text: str) -> str:
    """Text for a heading or a list line: every run of whitespace made one space."""
    return " ".join(text.split())


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:")
_SKIP_OR_URL = re.compile(
    r"(?P<escape>\\.)"
    r"|(?P<code>(?P<ticks>`+).*?(?P=ticks))"
    r"|(?P<angle><[^<>\n]*>)"
    r"|(?P<link>!?\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<url>(?:https?://|mailto:)[^\s<>\"'`\u00a0]+)",
    re.IGNORECASE,
)


def autolink_source(markdown: str) -> str:
    """Authored Markdown with its bare URLs written as autolinks (``<https://...>``).

    Everything else is kept as written. Code (fenced, indented or in backticks),
    existing links and autolinks are left alone.
    """
    lines = normalise_newlines(markdown).split("\n")
    fence: str | None = None
    previous_blank = True
    out: list[str] = []
    for line in lines:
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append(line)
        elif opening:
            fence = opening.group(1)
            out.append(line)
        elif (previous_blank and line.startswith(("    ", "\t"))) or _LINK_DEFINITION.match(line):
            out.append(line)
        else:
            out.append(_SKIP_OR_URL.sub(_autolink_match, line))
        previous_blank = not line.strip()
    return "\n".join(out)


def _autolink_match(match: re.Match[str]) -> str:
    if match.group("url") is None:
        return match.group(0)
    text = match.group(0)
    ends = list(find_urls(text))
    if not ends or ends[0][0] != 0:
        return text
    end = ends[0][1]
    return f"<{text[:end]}>{text[end:]}"


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def tidy_block(text: str) -> str:
    """Authored text as a block: no trailing spaces, no leading or trailing blank lines,
    and at most one blank line in a row outside fenced code."""
    lines = [line.rstrip() for line in normalise_newlines(text).split("\n")]
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
        elif opening:
            fence = opening.group(1)
        elif not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def ends_in_paragraph(markdown: str) -> bool:
    """Whether the last block of ``markdown`` is a top-level paragraph."""
    tokens = parser().parse(markdown)
    if not tokens:
        return False
    last = tokens[-1]
    return last.type == "paragraph_close" and last.level == 0


def append_sentence(markdown: str, sentence: str) -> str:
    """``sentence`` added to the last paragraph of ``markdown`` (or as its own paragraph).

    The reference bulletin runs the problem and "This issue has the following
    identifier:" together in one paragraph.
    """
    body = tidy_block(markdown)
    if not sentence or not body:
        return body or sentence
    if ends_in_paragraph(body):
        return f"{body} {sentence}"
    return f"{body}\n\n{sentence}"


# --- Markdown to HTML --------------------------------------------------------------


@cache
def parser() -> MarkdownIt:
    """CommonMark with raw HTML off, images off (shown as links) and bare URLs linked."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.core.ruler.before("text_join", "herald_linkify", _linkify)
    return md


def _linkify(state: StateCore) -> None:
    """Turn bare http(s)/mailto URLs in text into links, shown as written.

    markdown-it's own linkify needs linkify-it-py, which herald does not depend on.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        inside_link = 0
        for token in block.children:
            if token.type == "link_open":
                inside_link += 1
            elif token.type == "link_close":
                inside_link -= 1
            if token.type != "text" or inside_link:
                children.append(token)
                continue
            children.extend(_split_text_token(state, token))
        block.children = children


def _split_text_token(state: StateCore, token: Token) -> list[Token]:
    pieces = split_urls(token.content)
    if not any(piece.is_url for piece in pieces):
        return [token]
    md = state.md
    out: list[Token] = []
    for piece in pieces:
        href = md.normalizeLink(piece.text) if piece.is_url else ""
        if not piece.is_url or not md.validateLink(href):
            text = Token("text", "", 0, content=piece.text, level=token.level)
            out.append(text)
            continue
        link_open = Token("link_open", "a", 1, markup="linkify", info="auto")
        link_open.attrs = {"href": href}
        link_open.level = token.level
        out.append(link_open)
        out.append(Token("text", "", 0, content=piece.text, level=token.level + 1))
        out.append(Token("link_close", "a", -1, markup="linkify", info="auto", level=token.level))
    return out


def plain_text(markdown: str) -> str:
    """The words of an inline Markdown text without its markup (for ``<title>``)."""
    words: list[str] = []
    for token in parser().parseInline(one_line(markdown)):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
    return one_line("".join(words))
