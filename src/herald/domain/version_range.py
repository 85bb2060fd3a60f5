"""A set of versions in the ``vers`` notation, e.g. ``vers:rpm/>=4.17.5-1|<4.17.5-20``.

``vers`` is the package-url project's version range specifier (VERSION-RANGE-SPEC): a
versioning scheme (``generic``, ``rpm``, ``deb``, ``pypi``, ``npm``, ...) and
constraints joined by ``|``. herald uses it wherever a set of versions is meant (a
component's versions affected as part of a product version). The ``univers`` package
parses and compares; it stays behind this module, so the rest of herald sees only
``VersionRange`` and its three operations (parse, text, contains).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from univers.version_range import RANGE_CLASS_BY_SCHEMES
from univers.version_range import VersionRange as _UniversRange

from herald.domain.errors import ValidationError
from herald.domain.text import check_text

_CLASS_NAME = re.compile(r"<class '[\w.]*?(\w+?)Version'>")
"""How univers names a version class in its messages."""

RANGE_LIMIT = 500
"""The longest range text accepted."""


@dataclass(frozen=True)
class VersionRange:
    """A ``vers:`` range, kept as written (after a check that it parses)."""

    text: str
    """The range, e.g. ``vers:generic/>=1.2|<1.4``."""

    def __post_init__(self) -> None:
        _parsed(self.text, "")

    @property
    def scheme(self) -> str:
        """The versioning scheme, e.g. ``rpm``."""
        return self.text.split(":", 1)[1].split("/", 1)[0].lower()

    def contains(self, version: str) -> bool:
        """Whether ``version`` (compared by the range's scheme) is in the range;
        ``ValidationError`` naming ``version`` when the scheme cannot read it."""
        parsed = _parsed(self.text, "")
        try:
            return bool(parsed.version_class(version) in parsed)
        except Exception as error:  # univers raises its own and builtin errors alike
            raise ValidationError(
                "version", f"{version!r} is not a {self.scheme} version: {error}"
            ) from None

    def __str__(self) -> str:
        return self.text


def parse_version_range(text: str, field: str = "versions") -> VersionRange:
    """``text`` without surrounding blanks as a ``VersionRange``; ``ValidationError``
    naming ``field`` when it is not a ``vers:`` range."""
    stripped = text.strip()
    _parsed(stripped, field)
    return VersionRange(stripped)


def _parsed(text: str, field: str) -> Any:
    if not text:
        raise ValidationError(field, "must not be empty")
    if len(text) > RANGE_LIMIT:
        raise ValidationError(field, f"is too long ({len(text)} characters; at most {RANGE_LIMIT})")
    check_text(text, field, one_line=True)
    if not text.startswith("vers:"):
        raise ValidationError(
            field,
            f"{text[:100]!r} is not a vers range: such a range starts with 'vers:' and a scheme",
        )
    try:
        return _UniversRange.from_string(text)  # type: ignore[no-untyped-call]
    except Exception as error:  # univers raises ValueError and its own InvalidVersion
        schemes = ", ".join(sorted(RANGE_CLASS_BY_SCHEMES))
        reason = _CLASS_NAME.sub(lambda m: f"{m[1].lower()} version", str(error))
        hint = f" (schemes: {schemes})" if "versioning scheme" in reason else ""
        raise ValidationError(
            field, f"{text[:100]!r} is not a vers range: {reason}{hint}"
        ) from None
