"""The list page's parameters: read, checked and turned into a query and into links.

Every parameter is checked before it reaches the database; a bad one is a
``ValidationError`` naming it (the site answers 422), never a 500. An unknown product,
version or severity is a bad parameter too: the form only offers known ones, so such
a value comes from a hand-written or outdated link, and saying so beats an empty list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from herald.domain.errors import ValidationError
from herald.services.ports.bulletins import BulletinQuery

PAGE_SIZE = 20
"""Bulletins per list page."""
MAX_QUERY_LENGTH = 200
"""The longest search text accepted."""
MAX_PAGE = 1_000_000
"""Larger page numbers are refused before any arithmetic (no offset overflow)."""
YEARS = range(1970, 3000)
"""Years a filter may name."""
FILTERS = ("q", "product", "version", "severity", "year")
"""The filter parameters, in the order links spell them."""


@dataclass(frozen=True)
class ListFilters:
    """What the reader filters the list by; all None is the whole list."""

    q: str | None = None
    product: str | None = None
    version: str | None = None
    severity: str | None = None
    year: int | None = None

    @property
    def active(self) -> bool:
        return any(getattr(self, name) is not None for name in FILTERS)

    def query(self, page: int) -> BulletinQuery:
        return BulletinQuery(
            public_only=True,
            product=self.product,
            version=self.version,
            severity=self.severity,
            year=self.year,
            text=self.q,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )

    def url(self, page: int = 1) -> str:
        """The canonical link to ``page`` of this list.

        Without filters, numbered pages are paths (``/page/2/``) so that a static copy
        served by a plain file server keeps them; with filters, a query string.
        """
        params = [(name, str(getattr(self, name))) for name in FILTERS if getattr(self, name)]
        if not params:
            return "/" if page == 1 else f"/page/{page}/"
        if page > 1:
            params.append(("page", str(page)))
        return f"/?{urlencode(params)}"


def parse_filters(
    params: Mapping[str, str],
    products: Mapping[str, Sequence[str]],
    severities: Sequence[str],
) -> ListFilters:
    """The filters in ``params``; ``products`` maps product ids to their version names."""
    q = _text(params, "q")
    if q is not None and len(q) > MAX_QUERY_LENGTH:
        raise ValidationError("q", f"the search text is longer than {MAX_QUERY_LENGTH} characters")
    product = _text(params, "product")
    if product is not None and product not in products:
        known = ", ".join(products) or "none"
        raise ValidationError("product", f"there is no product {product!r} (known: {known})")
    version = _text(params, "version")
    if version is not None:
        if product is None:
            raise ValidationError("version", "choose a product to filter by one of its versions")
        if version not in products[product]:
            raise ValidationError("version", f"product {product!r} has no version {version!r}")
    severity = _text(params, "severity")
    if severity is not None and severity not in severities:
        raise ValidationError(
            "severity", f"{severity!r} is not a severity (one of {', '.join(severities)})"
        )
    year_text = _text(params, "year")
    year = None
    if year_text is not None:
        year = _whole_number(year_text, "year", digits=4)
        if year not in YEARS:
            raise ValidationError("year", f"{year_text!r} is not a year from 1970 to 2999")
    return ListFilters(q=q, product=product, version=version, severity=severity, year=year)


def parse_page(text: str | None) -> int:
    """A page number from 1; None is page 1."""
    if text is None or text == "":
        return 1
    page = _whole_number(text, "page", digits=len(str(MAX_PAGE)))
    if not 1 <= page <= MAX_PAGE:
        raise ValidationError("page", f"{text!r} is not a page number (1 or more)")
    return page


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if any(ord(char) < 32 or 0xD800 <= ord(char) <= 0xDFFF for char in value):
        raise ValidationError(name, "must not contain control characters")
    value = " ".join(value.split())
    return value or None


def _whole_number(text: str, name: str, *, digits: int) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(name, f"{text[:40]!r} is not a whole number")
    if len(text) > digits:
        raise ValidationError(name, f"{text[:40]!r} is out of range")
    return int(text)
