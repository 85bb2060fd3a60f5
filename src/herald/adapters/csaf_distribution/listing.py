"""Directory listings of the distribution's folders (CSAF 2.0 requirement 14).

Plain HTML with one link per entry, as a file server's autoindex gives: folders first
(with a trailing slash), then files, each by name. Links are absolute, so a listing
works whether its folder was asked for with or without the trailing slash.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from herald.adapters.csaf_distribution.layout import DistributionUrls

LISTING_POLICY = "default-src 'none'"
"""A listing is links only: it may load and run nothing, wherever it is served."""


def listings(urls: DistributionUrls, paths: Iterable[str]) -> dict[str, bytes]:
    """A listing for every folder holding one of ``paths`` (the top folder is ``""``)."""
    entries: dict[str, set[str]] = {"": set()}
    for path in paths:
        parts = path.split("/")
        for depth in range(len(parts)):
            folder = "".join(f"{part}/" for part in parts[:depth])
            name = parts[depth] + ("/" if depth < len(parts) - 1 else "")
            entries.setdefault(folder, set()).add(name)
    return {folder: _page(urls, folder, names) for folder, names in entries.items()}


def _page(urls: DistributionUrls, folder: str, names: set[str]) -> bytes:
    title = escape(f"Index of /.well-known/csaf/{folder}")
    ordered = sorted(names, key=lambda name: (not name.endswith("/"), name))
    rows = [
        f'<li><a href="{escape(urls.of(folder + name))}">{escape(name)}</a></li>'
        for name in ordered
    ]
    if folder:
        parent = folder.rstrip("/").rpartition("/")[0]
        parent_url = urls.of(f"{parent}/" if parent else "")
        rows.insert(0, f'<li><a href="{escape(parent_url)}">../</a></li>')
    body = "\n".join(rows)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{LISTING_POLICY}">\n'
        f"<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n<ul>\n{body}\n</ul>\n"
        "</body>\n</html>\n"
    ).encode()
