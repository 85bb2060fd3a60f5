"""Identifiers and their parsers: CVE ids, article ids, product ids."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NewType

from herald.domain.errors import ValidationError

CveId = NewType("CveId", str)
"""A CVE id such as ``CVE-2026-4397``."""

ArticleId = NewType("ArticleId", str)
"""A bulletin's article id in the publisher's pattern, such as ``CTX696397``."""

ProductId = NewType("ProductId", str)
"""A product's short, stable key such as ``xenserver``."""

_CVE = re.compile(r"CVE-(\d{4})-(\d{4,19})")
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")


def parse_cve_id(text: str, field: str = "cves") -> CveId:
    """A CVE id in the form ``CVE-YYYY-NNNN`` (four or more digits after the year)."""
    candidate = text.strip() if isinstance(text, str) else text
    match = _CVE.fullmatch(candidate) if isinstance(candidate, str) else None
    if match is None or int(match.group(1)) < 1999:
        raise ValidationError(field, f"{text!r} is not a CVE id (expected CVE-YYYY-NNNN)")
    return CveId(candidate)


def cve_sort_key(cve: CveId) -> tuple[int, int]:
    """Order CVE ids by year, then number (CVE-2026-999 before CVE-2026-1000)."""
    _, year, number = cve.split("-")
    return int(year), int(number)


def parse_product_id(text: str, field: str = "product") -> ProductId:
    """A product key: lower-case letters, digits and inner hyphens."""
    if not isinstance(text, str) or not _SLUG.fullmatch(text):
        raise ValidationError(
            field, f"{text!r} is not a product id (lower-case letters, digits and hyphens)"
        )
    return ProductId(text)


@dataclass(frozen=True)
class ArticleIdPattern:
    """The publisher's article id scheme: a prefix and a fixed number of digits."""

    prefix: str = "CTX"
    """Letters before the number, e.g. ``CTX``."""
    digits: int = 6
    """How many digits follow the prefix."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{0,15}", self.prefix):
            raise ValidationError("article_id.prefix", f"{self.prefix!r} is not a valid prefix")
        if not 1 <= self.digits <= 12:
            raise ValidationError("article_id.digits", "must be between 1 and 12")

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(re.escape(self.prefix) + r"\d{" + str(self.digits) + "}")

    def describe(self) -> str:
        return f"{self.prefix} followed by {self.digits} digits"

    def parse(self, text: str, field: str = "article_id") -> ArticleId:
        if not isinstance(text, str) or not self.regex.fullmatch(text):
            raise ValidationError(field, f"{text!r} is not an article id ({self.describe()})")
        return ArticleId(text)

    def format(self, number: int) -> ArticleId:
        return ArticleId(f"{self.prefix}{number:0{self.digits}d}")

    def next_after(self, existing: Iterable[str]) -> ArticleId:
        """The next free id: one above the highest id of this pattern in use."""
        numbers = [
            int(article[len(self.prefix) :])
            for article in existing
            if self.regex.fullmatch(article)
        ]
        following = max(numbers, default=0) + 1
        if following >= 10**self.digits:
            raise ValidationError("article_id", f"no free article id left ({self.describe()})")
        return self.format(following)
