"""Web addresses herald stores and links to: ``https:`` (``http:`` where allowed), nothing else.

A URL field is a link on every page and in every document herald makes, so a
``javascript:`` or ``data:`` address there would run in a reader's browser wherever no
Content-Security-Policy stops it (a static copy on a plain file server). Every URL a
user gives is checked here, whichever way it comes in (finding 13.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from herald.domain.errors import ValidationError

URL_LIMIT = 2000
"""The longest URL accepted (what browsers and proxies handle everywhere)."""


def is_web_url(text: str, *, allow_http: bool = True) -> bool:
    """Whether ``text`` is an absolute ``https:`` URL with a host (or ``http:`` if allowed),
    printable, without blanks, at most ``URL_LIMIT`` characters."""
    if (
        not text
        or len(text) > URL_LIMIT
        or not text.isprintable()
        or any(c.isspace() for c in text)
    ):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    schemes = ("https", "http") if allow_http else ("https",)
    return (
        parts.scheme in schemes and bool(parts.hostname) and text.startswith(f"{parts.scheme}://")
    )


def checked_web_url(text: str, field: str, *, allow_http: bool = True) -> str:
    """``text`` without surrounding blanks if it ``is_web_url``; ``ValidationError`` naming
    ``field`` otherwise."""
    url = text.strip()
    if len(url) > URL_LIMIT:
        raise ValidationError(field, f"is too long (at most {URL_LIMIT} characters)")
    if not is_web_url(url, allow_http=allow_http):
        wanted = "an http(s) URL" if allow_http else "an https:// URL"
        raise ValidationError(field, f"{url[:100]!r} is not {wanted}")
    return url


@dataclass(frozen=True)
class UrlPolicy:
    """Which URLs users may give: ``https:`` only unless ``allow_http`` (a setting,
    ``HERALD_ALLOW_HTTP_URLS``, for closed networks)."""

    allow_http: bool = False

    def check(self, url: str | None, field: str) -> None:
        """``ValidationError`` naming ``field`` unless ``url`` is None or allowed."""
        if url is not None:
            checked_web_url(url, field, allow_http=self.allow_http)


HTTPS_ONLY = UrlPolicy()
"""The default policy."""
