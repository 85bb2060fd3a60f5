"""The one rule for text people give herald: no control characters, no bidi overrides.

Whatever way text comes in (the staff forms, the API, a YAML import, a CSAF import, the
command line), it may not hold the characters that make a terminal, a log or a browser
show something else than what was written (finding 13.5):

- C0 controls (ESC, NUL, BEL, ...) and DEL; a multi-line text keeps tab and line breaks,
  a one-line text (a title, a name) not even those;
- C1 controls (U+0080 to U+009F), which some terminals obey like ESC;
- the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to
  U+2069), which reorder what a reader sees (CVE-2021-42574, "Trojan Source").
"""

from __future__ import annotations

import re

from herald.domain.errors import ValidationError

_BIDI = "\u202a-\u202e\u2066-\u2069"
UNSAFE_IN_TEXT = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}]")
"""What a multi-line text may not hold."""
UNSAFE_IN_ONE_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
"""What a one-line text may not hold (line breaks and tabs too)."""


def check_text(value: str, field: str, *, one_line: bool = False) -> None:
    """``ValidationError`` naming ``field`` (and the first such character) when ``value``
    breaks the rule."""
    found = (UNSAFE_IN_ONE_LINE if one_line else UNSAFE_IN_TEXT).search(value)
    if found is None:
        return
    character = found.group()
    kind = "line breaks or control characters" if one_line else "control characters"
    code = f"U+{ord(character):04X}"
    raise ValidationError(field, f"must not contain {kind} ({code} at position {found.start()})")


def shown_safely(text: str) -> str:
    """``text`` with every character the rule refuses written as an escape (``\\x1b``,
    ``\\u202e``), tab and line breaks kept: for printing stored text to a terminal."""
    return UNSAFE_IN_TEXT.sub(lambda m: ascii(m.group())[1:-1], text)
