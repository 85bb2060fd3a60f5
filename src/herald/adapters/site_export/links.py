"""The same-site links of a fetched body, for the crawl to follow: ``href`` and ``src``
in HTML (and XML), strings in JSON that look like paths or URLs, and absolute URLs
anywhere in the text.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

_ABSOLUTE_URL = re.compile(r"https?://[^\s<>\"'`)]+")
_ATTRIBUTE_URL = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")


def links_in(body: bytes, media_type: str, page_url: str, base_url: str) -> set[str]:
    """Same-site paths (with any query string, without fragment) a body links to."""
    text = body.decode("utf-8", "replace")
    found: set[str] = set()
    kind = media_type.split(";")[0].strip().lower()
    if kind == "text/html":
        collector = _Links()
        collector.feed(text)
        collector.close()
        found.update(collector.links)
    elif kind.endswith("json"):
        with contextlib.suppress(ValueError):
            found.update(_json_strings(json.loads(text)))
    elif kind.endswith("xml"):
        found.update(unescape(link) for link in _ATTRIBUTE_URL.findall(text))
    found.update(unescape(url) for url in _ABSOLUTE_URL.findall(text))
    paths = set()
    for link in found:
        path = same_site_path(link, page_url, base_url)
        if path is not None:
            paths.add(path)
    return paths


def same_site_path(link: str, page_url: str, base_url: str) -> str | None:
    """``link`` (resolved against ``page_url``) as a path and query, or None elsewhere."""
    link = link.strip()
    if not link or link.startswith(("#", "mailto:", "javascript:", "data:")):
        return None
    absolute = urljoin(page_url, link)
    parts, base = urlsplit(absolute), urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.links.add(value)


def _json_strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        if value.startswith(("/", "http://", "https://")):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
